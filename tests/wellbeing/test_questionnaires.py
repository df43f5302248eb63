"""The engine with the shipped example and a MACA-YC18-shaped instrument built from placeholders.

The MACA-YC18 facts (18 items scored 0/1/2, total 0-36, six subscales of 3 items 0-6, bands
0 none, 1-9 low, 10-13 moderate, 14-17 high, 18+ very high, scored only when complete) are
checked with made-up item ids and texts: the real wording is licensed and never stored here.
"""

from __future__ import annotations

from datetime import date

import pytest

from api.wellbeing import scoring
from api.wellbeing.models import Alert, Assignment, Instrument, QuestionnaireResponse
from api.wellbeing.questionnaires import create_due_reviews
from api.wellbeing.selectors import safeguarding_summary_for_case, scores_for_case
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db

SUBSCALES = [
    "domestic",
    "household_management",
    "financial_practical",
    "personal_care",
    "emotional_care",
    "sibling_care",
]


def maca_like() -> dict:
    items = [{"id": f"i{n:02d}", "text": f"Item {n}", "options": "freq"} for n in range(1, 19)]
    return {
        "option_sets": {"freq": [{"value": v, "label": f"Option {v}", "score": v} for v in (0, 1, 2)]},
        "items": items,
        "subscales": [
            {"id": name, "name": name, "items": [f"i{3 * k + j:02d}" for j in (1, 2, 3)]}
            for k, name in enumerate(SUBSCALES)
        ],
        "scoring": {
            "method": "sum",
            "require_complete": True,
            "higher_is_better": False,
            "bands": [
                {"min": 0, "max": 0, "label": "none"},
                {"min": 1, "max": 9, "label": "low"},
                {"min": 10, "max": 13, "label": "moderate"},
                {"min": 14, "max": 17, "label": "high"},
                {"min": 18, "max": None, "label": "very high"},
            ],
        },
    }


def answers(total: int) -> dict[str, int]:
    """18 answers summing to ``total``, filled item by item."""
    out = {}
    for n in range(1, 19):
        value = min(2, total)
        out[f"i{n:02d}"] = value
        total -= value
    return out


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "none"),
        (1, "low"),
        (9, "low"),
        (10, "moderate"),
        (13, "moderate"),
        (14, "high"),
        (17, "high"),
        (18, "very high"),
        (36, "very high"),
    ],
)
def test_maca_style_totals_fall_in_the_published_bands(total, band):
    result = scoring.score(scoring.validate_definition(maca_like()), answers(total))
    assert (result.raw_total, result.band, result.complete) == (total, band, True)


def test_maca_style_subscales_are_three_items_scored_0_to_6():
    result = scoring.score(maca_like(), {f"i{n:02d}": 2 for n in range(1, 19)})
    assert result.subscales == dict.fromkeys(SUBSCALES, 6)
    assert result.raw_total == 36


def test_maca_style_is_not_scored_until_every_item_is_answered():
    partial = answers(20)
    partial.pop("i18")
    result = scoring.score(maca_like(), partial)
    assert (result.complete, result.raw_total, result.score, result.band) == (False, None, None, "")
    assert result.subscales["sibling_care"] is None and result.subscales["domestic"] == 6


def test_a_conversion_table_turns_raw_totals_into_scores():
    definition = {
        "items": [{"id": f"q{n}", "options": [{"value": v, "score": v} for v in range(1, 6)]} for n in range(1, 8)],
        "scoring": {"conversion": [{"raw": raw, "score": 7 + (raw - 7) * 0.9} for raw in range(7, 36)], "bands": []},
    }
    result = scoring.score(scoring.validate_definition(definition), {f"q{n}": 3 for n in range(1, 8)})
    assert result.raw_total == 21 and str(result.score) == "19.60"


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ({"items": []}, "items"),
        ({"items": [{"id": "a", "options": "nope"}]}, "unknown option set"),
        ({"subscales": [{"id": "s", "items": ["zz"]}]}, "unknown items"),
        ({"scoring": {"bands": [{"min": 5, "max": 9, "label": "b"}, {"min": 1, "max": 3, "label": "a"}]}}, "overlap"),
    ],
)
def test_a_broken_definition_is_refused_with_the_reason(broken, message):
    with pytest.raises(scoring.DefinitionError) as caught:
        scoring.validate_definition({**maca_like(), **broken})
    assert message in caught.value.message


def _import(client, definition=None, code="maca-yc18"):
    body = {
        "code": code,
        "name": "Caring activities (MACA-YC18)",
        "licence_note": "Licensed to Riverside",
        "definition": definition or maca_like(),
    }
    return client.post("/api/v1/questionnaires/definitions/import/", body, format="json")


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("manager", 201), ("key_worker", 404), ("other_project_worker", 404), ("school_staff", 404), ("young_carer", 404)],
)
def test_only_managers_load_licensed_instruments(personas, client_for, persona, expected):
    assert _import(client_for(personas[persona])).status_code == expected


def test_loading_again_versions_the_instrument_and_same_definition_is_a_no_op(cast, client_for):
    tom = client_for(cast.tom)
    assert _import(tom).json()["version"] == 1
    assert _import(tom).json()["version"] == 1
    changed = maca_like()
    changed["items"][0]["text"] = "Item 1 (revised)"
    assert _import(tom, changed).json()["version"] == 2


def test_definitions_are_scoped_to_the_project_that_loaded_them(cast, client_for):
    _import(client_for(cast.tom))
    riverside = {row["code"] for row in client_for(cast.priya).get("/api/v1/questionnaires/definitions/").json()}
    eastbank = {row["code"] for row in client_for(cast.dev).get("/api/v1/questionnaires/definitions/").json()}
    assert riverside == {"home-and-school", "maca-yc18"}
    assert eastbank == {"home-and-school"}
    assert client_for(cast.khan).get("/api/v1/questionnaires/definitions/").json() == []


def _assign(client, case, code="home-and-school"):
    instrument = Instrument.objects.get(code=code)
    return client.post(
        "/api/v1/questionnaires/assignments/",
        {"case": case.pk, "instrument": instrument.pk, "reason": "assessment"},
        format="json",
    )


def test_sam_answers_the_example_and_scores_and_change_are_reported(cast, client_for):
    priya, sam = client_for(cast.priya), client_for(cast.sam)
    first = _assign(priya, cast.sam_case)
    assert first.status_code == 201
    assert [row["id"] for row in sam.get("/api/v1/questionnaires/assignments/").json()["results"]] == [
        first.json()["id"]
    ]
    item_ids = [
        item["id"] for item in Instrument.objects.get(code="home-and-school").versions.get().definition["items"]
    ]
    answered = sam.post(
        "/api/v1/questionnaires/responses/",
        {"assignment": first.json()["id"], "answers": dict.fromkeys(item_ids, 1)},
        format="json",
    )
    assert answered.status_code == 201, answered.content
    mine = answered.json()["response"]
    assert {"score", "band", "raw_total", "subscales"}.isdisjoint(mine)  # staff's reading, not shown to Sam
    staff_view = priya.get(f"/api/v1/questionnaires/responses/{mine['id']}/").json()
    assert (staff_view["score"], staff_view["band"]) == ("6.00", "Finding things hard")
    second = _assign(priya, cast.sam_case).json()
    sam.post(
        "/api/v1/questionnaires/responses/",
        {"assignment": second["id"], "answers": dict.fromkeys(item_ids, 2)},
        format="json",
    )
    [row] = scores_for_case(cast.sam_case)
    assert (row["first_score"], row["latest_score"], row["change"], row["meaningful"], row["band"]) == (
        6.0,
        12.0,
        6.0,
        True,
        "Some things hard",
    )
    assert (
        client_for(cast.priya)
        .get(f"/api/v1/questionnaires/responses/scores/?case={cast.sam_case.pk}")
        .json()[0]["change"]
        == 6.0
    )


def test_an_answer_for_an_item_not_in_the_version_is_refused(cast, client_for):
    assignment = _assign(client_for(cast.priya), cast.sam_case).json()
    error = assert_error(
        client_for(cast.sam).post(
            "/api/v1/questionnaires/responses/",
            {"assignment": assignment["id"], "answers": {"made_up": 1}},
            format="json",
        ),
        400,
        "unknown_item",
    )
    assert "made_up" in error["message"]
    bad_value = {"assignment": assignment["id"], "answers": {"home_sleep": 9}}
    assert_error(
        client_for(cast.sam).post("/api/v1/questionnaires/responses/", bad_value, format="json"), 400, "invalid_answer"
    )
    assert not QuestionnaireResponse.objects.exists()
    assert Assignment.objects.get().status == "pending"


def test_a_big_fall_in_score_raises_an_alert(cast, client_for):
    priya, sam = client_for(cast.priya), client_for(cast.sam)
    item_ids = [i["id"] for i in Instrument.objects.get(code="home-and-school").versions.get().definition["items"]]
    for value in (3, 1):
        assignment = _assign(priya, cast.sam_case).json()
        result = sam.post(
            "/api/v1/questionnaires/responses/",
            {"assignment": assignment["id"], "answers": dict.fromkeys(item_ids, value)},
            format="json",
        ).json()
    assert result["support"]["alert_raised"] is True
    alert = Alert.objects.get()
    assert alert.reason == "score_fall" and alert.response_id == result["response"]["id"]
    summary = safeguarding_summary_for_case(cast.sam_case)
    assert [(row["reason"], row["status"]) for row in summary] == [("score_fall", "raised")]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("key_worker", 201),
        ("manager", 201),
        ("young_carer", 404),
        ("other_project_worker", 404),
        ("school_staff", 404),
        ("adult_services", 404),
    ],
)
def test_who_may_assign_a_questionnaire(personas, cast, client_for, persona, expected):
    assert _assign(client_for(personas[persona]), cast.sam_case).status_code == expected


def test_an_assessment_questionnaire_comes_back_every_six_months(cast, client_for):
    _assign(client_for(cast.priya), cast.sam_case)
    first = Assignment.objects.get()
    first.due_on = date(2026, 1, 10)
    first.status = "completed"
    first.save()
    assert create_due_reviews(today=date(2026, 7, 9)) == 0
    assert create_due_reviews(today=date(2026, 7, 10)) == 1
    assert create_due_reviews(today=date(2026, 7, 11)) == 0
    review = Assignment.objects.get(status="pending")
    assert (review.reason, review.due_on) == ("review", date(2026, 7, 10))


def test_one_pending_assignment_per_instrument(cast, client_for):
    priya = client_for(cast.priya)
    _assign(priya, cast.sam_case)
    assert_error(_assign(priya, cast.sam_case), 409, "already_assigned")
