"""Getting an invitation to the person: an email sent after commit, or a printable letter with a QR code.

The code exists only here, on its way out: the database keeps its hash. The email leaves through Django's
email backend (the console in development), and only once the invitation row is committed, so a rolled-back
request sends nothing. A failed send is logged (without the code); the worker can send a new invitation.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from functools import partial
from smtplib import SMTPException
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Invitation
from schools.qr import qr_png

logger = logging.getLogger(__name__)


def signup_url(token: str) -> str:
    """The app's sign-up page with the code filled in."""
    return f"{settings.HEADLESS_FRONTEND_URLS['account_signup']}?{urlencode({'invitation': token})}"


def language_for(invitation: Invitation) -> str:
    """A young person reads it in their own language where we have it (English or Welsh); staff in English."""
    case = invitation.case
    if case is not None and case.language.lower().startswith("cy"):
        return "cy"
    return "en"


@dataclass(frozen=True)
class Wording:
    subject: str
    greeting: str
    invited: str
    open_link: str
    enter_code: str
    expires: str
    ignore: str
    sign_off: str


def _wording(invitation: Invitation) -> Wording:
    """The texts, in the language active when called."""
    organisation = invitation.organisation.name
    expires = formats.date_format(timezone.localtime(invitation.expires_at), "j F Y")
    if invitation.kind == Invitation.Kind.YOUNG_CARER:
        assert invitation.case is not None
        name = invitation.case.preferred_name or invitation.case.first_name
        subject, greeting = _("Your invitation to the app"), _("Hello {name},").format(name=name)
        invited = _("{project} has invited you to use the app.").format(project=organisation)
    else:
        subject = _("Invitation to join {organisation}").format(organisation=organisation)
        greeting = _("Hello,")
        invited = _(
            "You have been invited to join {organisation} as {role}. You will set up two-factor "
            "authentication (an authenticator app) before you can see anything about young people."
        ).format(organisation=organisation, role=invitation.get_role_display())
    return Wording(
        subject=subject,
        greeting=greeting,
        invited=invited,
        open_link=_("To create your account, open this link:"),
        enter_code=_('Or open the app, choose "Create an account" and enter this code:'),
        expires=_("The invitation works once, until {date}.").format(date=expires),
        ignore=_("If you did not expect this, you can ignore it."),
        sign_off=organisation,
    )


def render_email(invitation: Invitation, token: str) -> tuple[str, str]:
    """Subject and plain-text body, in the invitee's language."""
    with translation.override(language_for(invitation)):
        words = _wording(invitation)
        body = render_to_string(
            "accounts/invitation_email.txt", {"words": words, "url": signup_url(token), "code": token}
        )
    return words.subject, body


def send_email_on_commit(invitation: Invitation, token: str) -> None:
    """Email the invitation once the row is committed. Nothing to send without an address."""
    if invitation.email:
        transaction.on_commit(partial(_send, invitation, token))


def _send(invitation: Invitation, token: str) -> None:
    subject, body = render_email(invitation, token)
    try:
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[invitation.email])
    except (SMTPException, OSError):
        logger.warning("invitation %s: email not sent", invitation.pk, exc_info=True)


def render_letter_html(invitation: Invitation, token: str) -> str:
    url = signup_url(token)
    qr = base64.b64encode(qr_png(url)).decode()
    language = language_for(invitation)
    with translation.override(language):
        words = _wording(invitation)
        context = {
            "words": words,
            "title": _("Your invitation"),
            "scan": _("Scan this code with your phone's camera to create your account."),
            "your_code": _("Your code"),
            "keep_private": _("Keep this letter somewhere private: anyone with the code could use it."),
            "url": url,
            "code": token,
            "qr": qr,
            "language": language,
        }
        return render_to_string("accounts/invitation_letter.html", context)


def render_letter_pdf(invitation: Invitation, token: str) -> bytes:
    from weasyprint import HTML  # imported here: it loads native libraries, and only this view needs them

    pdf = HTML(string=render_letter_html(invitation, token)).write_pdf()
    assert pdf is not None
    return bytes(pdf)
