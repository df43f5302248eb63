"""Invitations reach the invitee: an email after commit with the link and the code, or a printed letter."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from accounts.models import Invitation, Role
from accounts.services import hash_token
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db

URL = "/api/v1/invitations/"


@pytest.fixture
def unlinked_sam(cast: Any) -> Any:
    cast.sam_case.account = None
    cast.sam_case.save(update_fields=["account"])
    return cast.sam_case


def _code_in(body: str) -> str:
    match = re.search(r"invitation=([A-Za-z0-9_\-]+)", body)
    assert match, body
    return match.group(1)


def test_a_young_person_is_emailed_the_link_and_code_after_commit(
    cast, client_for, unlinked_sam, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(cast.priya).post(
            URL, {"kind": "young_carer", "case": unlinked_sam.pk, "email": "s@x.example"}
        )
    assert response.status_code == 201, response.json()
    assert response.json()["emailed"] is True and response.json()["token"] is None
    assert callbacks, "the email waits for the commit"
    [email] = mail.outbox
    assert email.to == ["s@x.example"]
    assert email.subject == "Your invitation to the app"
    code = _code_in(email.body)
    assert "/app/signup?invitation=" in email.body and f"\n{code}\n" in email.body
    assert email.body.startswith("Hello Sam,")
    assert Invitation.objects.get().token_hash == hash_token(code)


def test_nothing_is_sent_when_the_request_is_refused(
    cast, client_for, unlinked_sam, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.dev).post(
            URL, {"kind": "young_carer", "case": unlinked_sam.pk, "email": "s@x.example"}
        )
    assert_error(response, 404)
    assert mail.outbox == []


def test_a_welsh_speaking_young_person_gets_it_in_welsh(
    cast, client_for, unlinked_sam, django_capture_on_commit_callbacks
):
    unlinked_sam.language = "cy"
    unlinked_sam.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        client_for(cast.priya).post(URL, {"kind": "young_carer", "case": unlinked_sam.pk, "email": "s@x.example"})
    [email] = mail.outbox
    assert email.subject == "Eich gwahoddiad i'r ap"
    assert email.body.startswith("Helo Sam,")


def test_staff_are_emailed_and_the_inviter_never_holds_their_code(cast, client_for, django_capture_on_commit_callbacks):
    payload = {"kind": "staff", "organisation": cast.riverside.pk, "role": Role.PROJECT_WORKER, "email": "n@x.example"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.tom).post(URL, payload)
    assert response.status_code == 201 and response.json()["token"] is None
    [email] = mail.outbox
    assert email.subject == "Invitation to join Riverside Young Carers" and "as Project worker" in email.body
    assert Invitation.objects.get().token_hash == hash_token(_code_in(email.body))


def test_without_email_the_worker_gets_the_code_and_a_printable_letter(cast, client_for, unlinked_sam):
    created = client_for(cast.priya).post(URL, {"kind": "young_carer", "case": unlinked_sam.pk})
    assert created.json()["emailed"] is False and created.json()["token"]
    first_code = created.json()["token"]
    letter = client_for(cast.priya).post(f"{URL}{created.json()['id']}/letter/")
    assert letter.status_code == 200
    assert letter["Content-Type"] == "application/pdf" and letter.content.startswith(b"%PDF")
    assert mail.outbox == []
    # The letter carries a fresh code: the one shown before stops working, so only the printed one can be used.
    assert Invitation.objects.get().token_hash != hash_token(first_code)


def test_the_letter_html_has_the_code_and_a_qr_code(cast, unlinked_sam):
    from accounts.delivery import render_letter_html
    from accounts.services import invitation_create_for_young_carer

    invitation, token = invitation_create_for_young_carer(actor=cast.priya, case=unlinked_sam)
    html = render_letter_html(invitation, token)
    assert token in html and 'src="data:image/png;base64,' in html and "Hello Sam," in html


def test_only_the_cases_project_prints_a_letter(cast, client_for, unlinked_sam):
    created = client_for(cast.priya).post(URL, {"kind": "young_carer", "case": unlinked_sam.pk}).json()
    before = Invitation.objects.get().token_hash
    for user in (cast.dev, cast.khan, cast.sam, cast.grace):
        refused = client_for(user).post(f"{URL}{created['id']}/letter/")
        assert_error(refused, 404)
        assert refused.json() == client_for(user).post(f"{URL}999999/letter/").json()
    assert Invitation.objects.get().token_hash == before


def test_a_used_or_revoked_invitation_gets_no_letter(cast, client_for, unlinked_sam):
    created = client_for(cast.priya).post(URL, {"kind": "young_carer", "case": unlinked_sam.pk}).json()
    client_for(cast.priya).post(f"{URL}{created['id']}/revoke/")
    assert_error(client_for(cast.priya).post(f"{URL}{created['id']}/letter/"), 409, "not_pending")
