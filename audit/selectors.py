"""Reading the audit trail: which entries a reader sees, and whether they see the values in them.

The rule (docs/security.md, "The audit trail"):

- Rows: managers and admins see entries stamped with an organisation they manage. An entry that names a case is
  shown only if the reader may read that case today, or if the case no longer exists (then the entry's
  organisation is who could read it when it existed).
- Values: the changed-field values and the record's name (``object_repr``) are shown only when the reader may open
  the record itself: for a case's records, the case; for a referral or its attachments, the referral (a project sees
  a school's draft only once it is submitted to it); for the organisation's own records (groups, events,
  memberships, invitations...), being its manager. So a deleted case or a deleted draft referral keeps who, when,
  what and which fields, without the values. Where values are hidden the reader sees that a record changed, but
  not what it said.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet

from accounts.access import access_for
from accounts.models import Role
from audit.models import AuditEntry
from cases.models import YoungCarer
from cases.selectors import young_carers_visible_to
from schools.models import Referral, ReferralAttachment
from schools.selectors import referrals_visible_to

AUDIT_READER_ROLES = (Role.PROJECT_MANAGER, Role.ADMIN)


def audit_entries_visible_to(user: Any) -> QuerySet[AuditEntry]:
    """The entries a manager or admin may list, each annotated with ``values_visible``; nobody else sees any."""
    organisation_ids = access_for(user).org_ids(*AUDIT_READER_ROLES)
    cases = young_carers_visible_to(user).values("pk")
    case_gone = ~Exists(YoungCarer.objects.filter(pk=OuterRef("case_id")))
    return (
        AuditEntry.objects.filter(organisation_id__in=organisation_ids)
        .filter(Q(case_id__isnull=True) | Q(case_id__in=cases) | case_gone)
        .annotate(values_visible=ExpressionWrapper(_values_visible(user, cases), output_field=BooleanField()))
        .select_related("content_type")
        .order_by("-timestamp", "-id")
    )


def _values_visible(user: Any, cases: QuerySet[Any]) -> Q:
    """Whether the reader may see what the record said: see the module docstring."""
    content_types = ContentType.objects.get_for_models(Referral, ReferralAttachment)
    referral_type, attachment_type = content_types[Referral], content_types[ReferralAttachment]
    referrals = referrals_visible_to(user).values("pk")
    attachments = ReferralAttachment.objects.filter(referral__in=referrals).values("pk")
    no_case_record = (
        ~Q(content_type__in=[referral_type, attachment_type])
        | Q(content_type=referral_type, object_id__in=referrals)
        | Q(content_type=attachment_type, object_id__in=attachments)
    )
    return Q(case_id__in=cases) | (Q(case_id__isnull=True) & no_case_record)
