"""The personas the matrix walks through, and the groups rows name instead of listing people one by one.

Relative to the matrix's usual target (Sam's case: Riverside Young Carers, a pupil of Northgate Academy):
``key_worker`` is Sam's key worker, ``other_worker`` works for Riverside too, ``other_project_worker`` for
Eastbank; ``school_lead`` and ``school_staff`` are Northgate's, ``other_school_staff`` is St Anne's.
"""

from __future__ import annotations

PERSONAS: tuple[str, ...] = (
    "young_carer",
    "other_young_carer",
    "parent_link",
    "key_worker",
    "other_worker",
    "other_project_worker",
    "manager",
    "school_lead",
    "school_staff",
    "other_school_staff",
    "adult_services",
    "commissioner",
    "anonymous",
)

YOUNG_PEOPLE = frozenset({"young_carer", "other_young_carer"})
SIGNED_OUT = frozenset({"parent_link", "anonymous"})
STAFF_PERSONAS: tuple[str, ...] = tuple(p for p in PERSONAS if p not in YOUNG_PEOPLE | SIGNED_OUT)

EVERYONE = frozenset(PERSONAS)
SIGNED_IN = EVERYONE - SIGNED_OUT
STAFF = frozenset(STAFF_PERSONAS)

# Riverside Young Carers, the project that holds Sam's case.
PROJECT_WORKERS = frozenset({"key_worker", "other_worker"})
PROJECT_STAFF = PROJECT_WORKERS | {"manager"}
ALL_PROJECT_STAFF = PROJECT_STAFF | {"other_project_worker"}
# Northgate Academy, Sam's school; and every school's staff.
SCHOOL_OF_PUPIL = frozenset({"school_lead", "school_staff"})
SCHOOL_STAFF = SCHOOL_OF_PUPIL | {"other_school_staff"}
NOBODY: frozenset[str] = frozenset()
