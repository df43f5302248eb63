"""The page behind a presentation's QR code: a pupil with a phone, no app and no account."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from notifications.models import Notification
from schools.models import Presentation, SelfIdentification
from schools.throttles import SelfIdentificationThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture
def presentation(schools):
    return Presentation.objects.get(school=schools.northgate)


@pytest.fixture
def link(client_for, schools, presentation):
    """The link exactly as staff are given it (and as the QR code encodes it), as a path."""
    url = client_for(schools.priya).get(f"/api/v1/presentations/{presentation.pk}/").json()["self_identification_url"]
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def _answers(browser: Client, **fields) -> dict[str, str]:
    page = browser.get(browser.last_path).content.decode()
    started = re.search(r'name="form_started" value="([^"]+)"', page)
    assert started, page
    return {
        "csrfmiddlewaretoken": browser.cookies["csrftoken"].value,
        "form_started": started.group(1),
        "first_name": "Zara",
        "year_group": "8",
        "who_they_care_for": "Mum",
        "ok_to_contact": "yes",
        "website": "",
        **fields,
    }


def _browser(path: str, **headers) -> Client:
    browser = Client(enforce_csrf_checks=True, **headers)
    browser.last_path = path
    return browser


def _send(browser: Client, path: str, answers: dict[str, str], later: int = 30):
    with time_machine.travel(timezone.now() + timedelta(seconds=later)):
        return browser.post(path, answers)


def test_the_qr_link_opens_a_form_naming_the_school(link, schools):
    page = Client().get(link)
    assert page.status_code == 200
    text = page.content.decode()
    assert '<html lang="en-GB">' in text
    assert "I think I might be a young carer" in text and schools.northgate.name in text
    assert '<label for="id_first_name">Your first name</label>' in text
    assert "<legend>Is it OK for someone from school to talk to you about this?</legend>" in text


def test_a_pupil_sends_the_form_and_the_school_and_project_are_told(link, schools, presentation):
    browser = _browser(link)
    done = _send(browser, link, _answers(browser))
    assert done.status_code == 200, done.content.decode()
    assert "Thank you" in done.content.decode() and "in private" in done.content.decode()
    item = SelfIdentification.objects.get()
    assert (item.presentation, item.first_name, item.year_group, item.who_they_care_for, item.ok_to_contact) == (
        presentation,
        "Zara",
        8,
        "Mum",
        True,
    )
    told = set(Notification.objects.filter(kind="referral.self_identified").values_list("recipient", flat=True))
    assert told == {schools.khan.pk, schools.priya.pk}


def test_the_form_refuses_a_post_without_the_csrf_token(link):
    browser = _browser(link)
    answers = _answers(browser)
    del answers["csrfmiddlewaretoken"]
    assert _send(browser, link, answers).status_code == 403
    assert not SelfIdentification.objects.exists()


def test_a_missing_name_is_shown_next_to_the_field_and_in_the_summary(link):
    browser = _browser(link)
    page = _send(browser, link, _answers(browser, first_name="  ", ok_to_contact=""))
    assert page.status_code == 400
    text = page.content.decode()
    assert '<a href="#id_first_name">Tell us your first name so someone can find you.</a>' in text
    assert '<a href="#id_ok_to_contact_0">Choose yes or no.</a>' in text
    assert 'aria-describedby="first_name-error"' in text and 'id="first_name-error"' in text
    assert 'value="Mum"' in text  # what was typed is kept
    assert not SelfIdentification.objects.exists()


def test_the_honeypot_and_a_too_quick_send_are_refused_like_the_api(link):
    browser = _browser(link)
    refused = _send(browser, link, _answers(browser, website="http://spam.example"))
    assert refused.status_code == 400 and "could not be sent" in refused.content.decode()
    quick = _send(browser, link, _answers(browser), later=0)
    assert quick.status_code == 429 and "That was very quick" in quick.content.decode()
    assert 'name="form_started"' in quick.content.decode()  # shown again, ready to resend
    assert not SelfIdentification.objects.exists()


def test_a_forged_start_token_is_refused(link):
    browser = _browser(link)
    page = _send(browser, link, _answers(browser, form_started="forged:token"))
    assert page.status_code == 400 and "check your answers" in page.content.decode()
    assert not SelfIdentification.objects.exists()


def test_a_closed_or_unknown_link_says_so_plainly(link, presentation):
    unknown = Client().get("/self-identify/not-a-real-token")
    assert unknown.status_code == 404 and "This link is not open any more" in unknown.content.decode()
    presentation.delivered_at = timezone.now() - timedelta(days=40)
    presentation.save()
    closed = Client().get(link)
    assert closed.status_code == 404 and closed.content == unknown.content


def test_the_page_and_the_api_share_one_rate_limit(link, presentation, monkeypatch):
    monkeypatch.setattr(SelfIdentificationThrottle, "rate", "2/hour")
    browser = _browser(link)
    assert browser.get(link).status_code == 200  # 1
    assert browser.get(f"/api/v1/self-identifications/form/{presentation.token}/").status_code == 200  # 2
    limited = browser.get(link)
    assert limited.status_code == 429 and "wait a while" in limited.content.decode()


def test_the_page_is_in_welsh_for_a_welsh_browser_or_lang_cy(link, schools):
    for browser, path in ((Client(headers={"accept-language": "cy"}), link), (Client(), link + "?lang=cy")):
        page = browser.get(path)
        text = page.content.decode()
        assert page.status_code == 200 and page["Content-Language"] == "cy"
        assert '<html lang="cy">' in text
        assert "Eich enw cyntaf" in text and "Blwyddyn 8" in text
        assert schools.northgate.name in text
    english = Client(headers={"accept-language": "cy"}).get(link + "?lang=en").content.decode()
    assert "Your first name" in english


def test_a_welsh_pupil_gets_the_thank_you_in_welsh(link):
    path = link + "?lang=cy"
    browser = _browser(path)
    done = _send(browser, path, _answers(browser))
    assert done.status_code == 200 and "Diolch" in done.content.decode()
    assert SelfIdentification.objects.count() == 1


def test_a_send_without_its_start_token_says_what_to_do(link):
    browser = _browser(link)
    answers = _answers(browser)
    del answers["form_started"]
    page = _send(browser, link, answers)
    assert (
        page.status_code == 400 and "<li>Please check your answers and send them again.</li>" in page.content.decode()
    )
    assert not SelfIdentification.objects.exists()
