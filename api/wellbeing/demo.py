"""Demo data: a few weeks of check-ins for Sam, Jo and Alex, the example questionnaire answered, one open alert."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from api.wellbeing.models import Alert, Assignment, CheckIn, Instrument, MoodTag
from api.wellbeing.questionnaires import assignment_create, load_example_instrument, response_submit
from api.wellbeing.services import help_request
from backend.demo import Cast

TAGS = [("school", "School"), ("tired", "Tired"), ("home", "Home"), ("friends", "Friends"), ("worried", "Worried")]
# (days ago, mood, tags) per young person: Sam steady, Jo dipping, Alex up and down.
MOODS = {
    "sam": [
        (20, 4, ["school"]),
        (16, 4, ["friends"]),
        (12, 3, ["tired"]),
        (8, 4, []),
        (4, 5, ["friends"]),
        (1, 4, ["school"]),
    ],
    "jo": [(18, 4, ["home"]), (13, 3, ["tired"]), (9, 3, ["school"]), (5, 2, ["tired", "home"]), (2, 2, ["worried"])],
    "alex": [(21, 3, ["school"]), (14, 2, ["home"]), (10, 4, ["friends"]), (6, 2, ["tired"]), (3, 3, [])],
}


@transaction.atomic
def load(cast: Cast) -> None:
    for code, label in TAGS:
        MoodTag.objects.get_or_create(organisation=cast.riverside, code=code, defaults={"label": label})
    now = timezone.now()
    cases = {"sam": cast.sam_case, "jo": cast.jo_case, "alex": cast.alex_case}
    for name, series in MOODS.items():
        case = cases[name]
        if case.checkins.exists():
            continue
        for days, mood, tags in series:
            at = now - timedelta(days=days, hours=3)
            CheckIn.objects.create(
                id=uuid.uuid4(),
                case=case,
                mood=mood,
                tags=tags,
                recorded_at=at,
                received_at=at,
                submitted_by=case.account,
            )
    load_example_instrument()
    example = Instrument.objects.get(organisation=None, code="home-and-school")
    if not Assignment.objects.filter(case=cast.sam_case, instrument=example).exists():
        assignment = assignment_create(
            actor=cast.priya, case=cast.sam_case, instrument=example, reason=Assignment.Reason.ASSESSMENT
        )
        items = [item["id"] for item in example.versions.get(number=1).definition["items"]]
        response_submit(actor=cast.sam, assignment=assignment, answers={item: 2 for item in items})
    if not Alert.objects.filter(case=cast.alex_case).exists():
        help_request(actor=cast.alex, case=cast.alex_case, request_id=None)
