from django.urls import path
from rest_framework.routers import SimpleRouter

from api.wellbeing import apis

router = SimpleRouter()
# The fixed paths come before "checkins/<id>" and "alerts/<id>".
router.register("checkins/tags", apis.MoodTagViewSet, basename="mood-tag")
router.register("checkins", apis.CheckInViewSet, basename="checkin")
router.register("alerts/risk-phrases", apis.RiskPhraseViewSet, basename="risk-phrase")
router.register("alerts", apis.AlertViewSet, basename="alert")
router.register("questionnaires/definitions", apis.InstrumentViewSet, basename="questionnaire-definition")
router.register("questionnaires/assignments", apis.AssignmentViewSet, basename="questionnaire-assignment")
router.register("questionnaires/responses", apis.ResponseViewSet, basename="questionnaire-response")

urlpatterns = [path("help/", apis.HelpView.as_view(), name="help"), *router.urls]
