"""The web page behind a parent's emailed link: no account, no app, an answer kept in the case's consents."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from api.peer.models import Booking
from cases.models import Consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def jo_awaiting_consent(cast, client_for, trip, run_tasks):
    response = client_for(cast.priya).post(
        f"/api/v1/events/{trip.pk}/book/",
        {"young_carer": cast.jo_case.pk, "parent_name": "Karen Taylor", "parent_email": "karen@example.org"},
    )
    assert response.json()["status"] == "awaiting_consent"
    run_tasks()
    link = re.search(r"https?://\S+/consent/\S+?/", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    return Booking.objects.get(pk=response.json()["id"]), link.group(0).split("://", 1)[1].split("/", 1)[1]


def test_the_emailed_link_opens_a_page_naming_the_child_and_the_trip(jo_awaiting_consent, trip):
    _, path = jo_awaiting_consent
    page = Client().get("/" + path)
    assert page.status_code == 200
    text = page.content.decode()
    assert f"Can Jo go to {trip.title}?" in text
    assert "Karen Taylor" in text  # the name the worker gave, ready to confirm


def test_a_parents_yes_confirms_the_place_and_is_kept_as_consent(jo_awaiting_consent, cast):
    booking, path = jo_awaiting_consent
    browser = Client(enforce_csrf_checks=True)
    browser.get("/" + path)
    answer = {
        "given": "yes",
        "parent_name": "Karen Taylor",
        "relationship": "mother",
        "csrfmiddlewaretoken": browser.cookies["csrftoken"].value,
    }
    done = browser.post("/" + path, answer)
    assert done.status_code == 200 and "You said yes" in done.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    consent = Consent.objects.get(case=cast.jo_case, subject="trips")
    assert (consent.given, consent.basis, consent.given_by_relationship) == (True, "parent", "mother")
    again = browser.get("/" + path)
    assert again.status_code == 409 and "already been answered" in again.content.decode()


def test_a_form_without_an_answer_is_shown_again_and_changes_nothing(jo_awaiting_consent):
    booking, path = jo_awaiting_consent
    page = Client().post("/" + path, {"parent_name": "Karen Taylor"})
    assert page.status_code == 400
    booking.refresh_from_db()
    assert booking.status == Booking.Status.AWAITING_CONSENT
    assert not Consent.objects.filter(case=booking.case, subject="trips").exists()


def test_a_forged_link_is_refused(cast):
    page = Client().get("/consent/not-a-signed-token/")
    assert page.status_code == 404 and "not valid" in page.content.decode()
