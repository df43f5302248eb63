import pytest

from api.wellbeing import demo
from api.wellbeing.models import Alert, CheckIn, QuestionnaireResponse

pytestmark = pytest.mark.django_db


def test_the_demo_loads_twice_without_doubling(cast):
    demo.load(cast)
    demo.load(cast)
    assert CheckIn.objects.count() == 16
    assert QuestionnaireResponse.objects.get().band == "Some things hard"
    assert Alert.objects.get().status == "raised"
