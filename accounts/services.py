"""Writes for accounts: invitations (issue, revoke, redeem at sign-up) and memberships."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.access import PROJECT_STAFF_ROLES, Access, access_for, forget_access, require_case_data_access
from accounts.delivery import send_email_on_commit
from accounts.models import MANAGING_ROLES, ROLES_BY_KIND, Invitation, Membership, Organisation, Role, User
from accounts.selectors import invitations_visible_to
from accounts.sockets import close_user_sockets_on_commit
from core.errors import Conflict, NotFound, ServiceError


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def _has_account(email: str) -> bool:
    """Whether the address already has an account: never told to the inviter.

    The invitation is made either way, with the same answer, so inviting cannot be used to find out who has an
    account; an address that has one is sent nothing (it could not sign up with it anyway).
    """
    return bool(email) and User.objects.filter(email__iexact=email).exists()


@transaction.atomic
def invitation_create_for_young_carer(*, actor: User, case: Any, email: str = "") -> tuple[Invitation, str]:
    """A key worker invites a young person to the app, tied to their case. Returns the invitation and its token."""
    if not access_for(actor).holds(case.organisation_id, *PROJECT_STAFF_ROLES):
        raise NotFound()
    if case.account_id is not None:
        raise Conflict("This young person already has an app account.", code="already_linked")
    if case.status == case.Status.CLOSED:
        raise ServiceError("The case is closed.", code="case_closed")
    email = email.strip().lower()
    token, token_hash = _new_token()
    # A new invitation replaces any still pending for the same case.
    Invitation.objects.filter(case=case, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    invitation = Invitation.objects.create(
        kind=Invitation.Kind.YOUNG_CARER,
        organisation_id=case.organisation_id,
        case=case,
        email=email,
        token_hash=token_hash,
        created_by=actor,
        expires_at=timezone.now() + settings.INVITATION_TTL,
    )
    if not _has_account(email):
        send_email_on_commit(invitation, token)
    return invitation, token


def can_invite_staff(actor: User, organisation: Organisation, role: str) -> bool:
    """Who may bring someone into an organisation, with which role.

    Only an organisation's admin grants its admin role. A school's staff are invited by its young carers
    lead, or by a manager of a project the school has agreed to work with (an accepted link). Projects and
    adult services invite through their own managers.
    """
    if actor.is_superuser:
        return True
    access = access_for(actor)
    if access.holds(organisation.pk, Role.ADMIN):
        return True
    if role == Role.ADMIN:
        return False
    if organisation.kind == Organisation.Kind.SCHOOL:
        return access.holds(organisation.pk, Role.SCHOOL_LEAD) or _manages_a_project_serving(access, organisation)
    return access.holds(organisation.pk, Role.PROJECT_MANAGER)


def _manages_a_project_serving(access: Access, school: Organisation) -> bool:
    from schools.access import project_ids_serving  # schools builds on accounts, not the other way round

    return bool(access.managed_project_ids & project_ids_serving(school.pk))


@transaction.atomic
def invitation_create_for_staff(
    *, actor: User, organisation: Organisation, role: str, email: str
) -> tuple[Invitation, str]:
    """Invite someone to a staff role. Refused exactly like a missing organisation; the inviter needs MFA."""
    if not can_invite_staff(actor, organisation, role):
        raise NotFound()
    require_case_data_access(actor)
    if role not in ROLES_BY_KIND[organisation.kind]:
        raise ServiceError(
            f"The role {role!r} does not exist in a {organisation.get_kind_display().lower()}.", field="role"
        )
    if not email:
        raise ServiceError("Staff invitations need an email address.", field="email")
    email = email.strip().lower()
    token, token_hash = _new_token()
    invitation = Invitation.objects.create(
        kind=Invitation.Kind.STAFF,
        organisation=organisation,
        role=role,
        email=email,
        token_hash=token_hash,
        created_by=actor,
        expires_at=timezone.now() + settings.INVITATION_TTL,
    )
    if not _has_account(email):
        send_email_on_commit(invitation, token)
    return invitation, token


@transaction.atomic
def invitation_reissue_code(*, actor: User, invitation: Invitation) -> tuple[Invitation, str]:
    """A fresh code for a pending young carer invitation (for a printed letter); the old code stops working."""
    if invitation.kind != Invitation.Kind.YOUNG_CARER or not access_for(actor).holds(
        invitation.organisation_id, *PROJECT_STAFF_ROLES
    ):
        raise NotFound()
    require_case_data_access(actor)
    if invitation.state != "pending":
        raise Conflict(f"The invitation is {invitation.state}; send a new one.", code="not_pending")
    token, token_hash = _new_token()
    invitation.token_hash = token_hash
    invitation.save(update_fields=["token_hash"])
    return invitation, token


def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    if not invitations_visible_to(actor).filter(pk=invitation.pk).exists():
        raise NotFound()
    if invitation.state != "pending":
        raise Conflict(f"The invitation is {invitation.state} and cannot be revoked.", code="not_pending")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


class InvitationInvalid(ServiceError):
    code = "invitation_invalid"


def invitation_check(token: str, email: str = "") -> Invitation:
    """The pending invitation for ``token``; raises naming why it cannot be used."""
    invitation = Invitation.objects.filter(token_hash=hash_token(token.strip())).first()
    if invitation is None:
        raise InvitationInvalid("This invitation code is not recognised.", field="invitation")
    state = invitation.state
    if state != "pending":
        raise InvitationInvalid(
            f"This invitation has been {state if state != 'expired' else 'expired'}.", field="invitation"
        )
    if invitation.email and email and invitation.email.lower() != email.strip().lower():
        raise InvitationInvalid("This invitation was sent to a different email address.", field="email")
    return invitation


def invitation_redeem(*, token: str, user: User) -> Invitation:
    """Link the new account to its case or organisation. Call inside the sign-up transaction."""
    invitation = invitation_check(token, user.email)
    claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True).update(
        accepted_at=timezone.now(), accepted_by=user
    )
    if not claimed:
        raise InvitationInvalid("This invitation has just been used.", field="invitation")
    if invitation.kind == Invitation.Kind.YOUNG_CARER:
        case = invitation.case
        assert case is not None
        if case.account_id is not None:
            raise Conflict("This young person already has an app account.", code="already_linked")
        user.first_name, user.last_name = case.preferred_name or case.first_name, case.last_name
        user.save(update_fields=["first_name", "last_name"])
        case.account = user
        case.save(update_fields=["account", "updated_at"])
    else:
        Membership.objects.create(user=user, organisation=invitation.organisation, role=invitation.role)
    forget_access(user)
    invitation.refresh_from_db()
    return invitation


@transaction.atomic
def membership_end(*, actor: User, membership: Membership) -> Membership:
    if not (actor.is_superuser or access_for(actor).holds(membership.organisation_id, *MANAGING_ROLES)):
        raise NotFound()
    if membership.ended_at is not None:
        raise Conflict("This membership has already ended.", code="already_ended")
    membership.ended_at = timezone.now()
    membership.save(update_fields=["ended_at"])
    _release_caseload(membership)
    close_user_sockets_on_commit(membership.user_id)  # a live socket must not outlive the role behind it
    return membership


def _release_caseload(membership: Membership) -> None:
    """Someone who leaves a project stops being key worker there, so nothing about those children reaches them.

    Each case is saved on its own so the audit trail records the change; the cases go back to the
    project's unassigned list for a manager to give a new key worker.
    """
    from cases.models import YoungCarer

    still_there = Membership.objects.filter(
        user_id=membership.user_id, organisation_id=membership.organisation_id, ended_at__isnull=True
    ).exists()
    if still_there:
        return
    for case in YoungCarer.objects.filter(organisation_id=membership.organisation_id, key_worker_id=membership.user_id):
        case.key_worker = None
        case.save(update_fields=["key_worker", "updated_at"])


def membership_set_on_duty(*, actor: User, membership: Membership, on_duty: bool) -> Membership:
    if not (
        actor.is_superuser or access_for(actor).holds(membership.organisation_id, Role.PROJECT_MANAGER, Role.ADMIN)
    ):
        raise NotFound()
    membership.is_on_duty = on_duty
    membership.save(update_fields=["is_on_duty"])
    return membership


def user_update_profile(*, user: User, **fields: Any) -> User:
    allowed = {"first_name", "last_name", "locale"}
    changed = [name for name, value in fields.items() if name in allowed and getattr(user, name) != value]
    for name in changed:
        setattr(user, name, fields[name])
    if changed:
        user.save(update_fields=changed)
    return user
