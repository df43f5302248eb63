from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accounts.access import require_case_data_access
from cases.models import Consent, YoungCarer


def young_carers_visible_to(user: Any) -> QuerySet[YoungCarer]:
    """Cases the user may read. Young carers: their own. Project staff (with MFA): their projects'. Others: none."""
    access = require_case_data_access(user)
    cases = YoungCarer.objects.select_related("organisation", "school", "key_worker")
    if access.young_carer_id is not None:
        return cases.filter(pk=access.young_carer_id)
    return cases.filter(organisation_id__in=access.project_ids)


def consents_of(case: YoungCarer) -> QuerySet[Consent]:
    return case.consents.select_related("recorded_by").order_by("-given_at", "-id")
