"""The questionnaires engine: an instrument is data, this module checks it and scores answers against it.

A definition (stored on :class:`InstrumentVersion`) looks like::

    {
      "option_sets": {"often": [{"value": 0, "label": "Never", "score": 0}, ...]},
      "items": [{"id": "q1", "text": "Item 1", "options": "often"}, ...],   # or "options": [ ...inline... ]
      "subscales": [{"id": "domestic", "name": "Domestic", "items": ["q1", "q2", "q3"]}],
      "scoring": {
        "method": "sum",
        "require_complete": true,             # no score unless every item is answered
        "conversion": [{"raw": 7, "score": 7.0}, ...],   # optional: raw total -> reported score
        "bands": [{"min": 0, "max": 0, "label": "none"}, {"min": 1, "max": 9, "label": "low"}, ...],
        "higher_is_better": true,
        "meaningful_change": 3,
        "alert_when_worse_by": 3              # optional: a change this big for the worse raises an alert
      }
    }

Item wording lives only in the data an organisation loads; the engine never needs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from core.errors import ServiceError

MAX_ITEMS = 200
MAX_TEXT = 1000


class DefinitionError(ServiceError):
    def __init__(self, message: str) -> None:
        super().__init__(f"Instrument definition: {message}", code="invalid_definition", field="definition")


@dataclass(frozen=True)
class Score:
    complete: bool
    raw_total: int | None
    score: Decimal | None
    band: str
    subscales: dict[str, int | None] = field(default_factory=dict)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise DefinitionError(message)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_options(options: Any, where: str) -> None:
    _require(isinstance(options, list) and 2 <= len(options) <= 20, f"{where} needs a list of 2 to 20 options.")
    values = set()
    for option in options:
        _require(isinstance(option, dict), f"{where}: each option is an object.")
        value = option.get("value")
        _require(
            isinstance(value, int | str) and not isinstance(value, bool),
            f"{where}: option value must be a number or text.",
        )
        _require(str(value) not in values, f"{where}: option value {value!r} appears twice.")
        values.add(str(value))
        _require(
            isinstance(option.get("score"), int) and not isinstance(option.get("score"), bool),
            f"{where}: option {value!r} needs a whole-number score.",
        )
        _require(
            isinstance(option.get("label", ""), str) and len(option.get("label", "")) <= MAX_TEXT,
            f"{where}: option label must be text.",
        )


def _check_bands(bands: Any, where: str) -> None:
    _require(isinstance(bands, list), f"{where} bands must be a list.")
    previous_max: float | None = None
    for band in bands:
        _require(
            isinstance(band, dict) and isinstance(band.get("label"), str) and band["label"],
            f"{where}: each band needs a label.",
        )
        _require(_is_number(band.get("min")), f"{where}: band {band.get('label')!r} needs a numeric min.")
        _require(
            band.get("max") is None or _is_number(band["max"]), f"{where}: band {band['label']!r} max must be a number."
        )
        _require(
            previous_max is None or band["min"] > previous_max, f"{where}: bands must be in order and must not overlap."
        )
        previous_max = band["max"] if band.get("max") is not None else float("inf")


def validate_definition(definition: Any) -> dict[str, Any]:
    """Raise :class:`DefinitionError` naming the first problem; return the definition unchanged."""
    _require(isinstance(definition, dict), "must be an object.")
    option_sets = definition.get("option_sets", {})
    _require(isinstance(option_sets, dict), "option_sets must be an object.")
    for name, options in option_sets.items():
        _check_options(options, f"option set {name!r}")
    items = definition.get("items")
    _require(isinstance(items, list) and 1 <= len(items) <= MAX_ITEMS, f"items must be a list of 1 to {MAX_ITEMS}.")
    ids: set[str] = set()
    for item in items:
        _require(
            isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"], "each item needs a text id."
        )
        _require(item["id"] not in ids, f"item id {item['id']!r} appears twice.")
        ids.add(item["id"])
        _require(
            isinstance(item.get("text", ""), str) and len(item.get("text", "")) <= MAX_TEXT,
            f"item {item['id']!r} text must be text.",
        )
        options = item.get("options")
        if isinstance(options, str):
            _require(options in option_sets, f"item {item['id']!r} uses unknown option set {options!r}.")
        else:
            _check_options(options, f"item {item['id']!r}")
    for subscale in definition.get("subscales", []):
        _require(isinstance(subscale, dict) and isinstance(subscale.get("id"), str), "each subscale needs an id.")
        members = subscale.get("items")
        _require(isinstance(members, list) and bool(members), f"subscale {subscale['id']!r} needs items.")
        unknown = [m for m in members if m not in ids]
        _require(not unknown, f"subscale {subscale['id']!r} names unknown items {unknown}.")
        if "bands" in subscale:
            _check_bands(subscale["bands"], f"subscale {subscale['id']!r}")
    _check_scoring(definition.get("scoring"))
    return definition


def _check_scoring(scoring: Any) -> None:
    _require(isinstance(scoring, dict), "scoring must be an object.")
    _require(scoring.get("method", "sum") == "sum", "scoring method must be 'sum'.")
    _require(isinstance(scoring.get("require_complete", True), bool), "require_complete must be true or false.")
    _check_bands(scoring.get("bands", []), "scoring")
    conversion = scoring.get("conversion")
    if conversion is not None:
        _require(isinstance(conversion, list) and bool(conversion), "conversion must be a list of {raw, score}.")
        raws = set()
        for row in conversion:
            _require(
                isinstance(row, dict) and isinstance(row.get("raw"), int) and _is_number(row.get("score")),
                "each conversion row needs an integer raw and a numeric score.",
            )
            _require(row["raw"] not in raws, f"conversion raw {row['raw']} appears twice.")
            raws.add(row["raw"])
    for key in ("meaningful_change", "alert_when_worse_by"):
        _require(
            scoring.get(key) is None or (_is_number(scoring[key]) and scoring[key] > 0),
            f"{key} must be a positive number.",
        )
    _require(isinstance(scoring.get("higher_is_better", True), bool), "higher_is_better must be true or false.")


def options_for(definition: dict[str, Any], item: dict[str, Any]) -> list[dict[str, Any]]:
    options = item["options"]
    return list(definition["option_sets"][options]) if isinstance(options, str) else list(options)


def check_answers(definition: dict[str, Any], answers: Any) -> dict[str, int]:
    """Item id -> score for each answer. Raises a 400 naming an item that is not in the version or a bad value."""
    if not isinstance(answers, dict) or not answers:
        raise ServiceError("Answer at least one item.", code="invalid", field="answers")
    items = {item["id"]: item for item in definition["items"]}
    scores: dict[str, int] = {}
    for item_id, value in answers.items():
        item = items.get(item_id)
        if item is None:
            raise ServiceError(
                f"Item {item_id!r} is not in this version of the questionnaire.", code="unknown_item", field="answers"
            )
        by_value = {str(option["value"]): option["score"] for option in options_for(definition, item)}
        if isinstance(value, bool) or not isinstance(value, int | str) or str(value) not in by_value:
            raise ServiceError(
                f"{value!r} is not an answer option for item {item_id!r}.", code="invalid_answer", field="answers"
            )
        scores[item_id] = by_value[str(value)]
    return scores


def band_for(bands: list[dict[str, Any]], value: float | Decimal | None) -> str:
    if value is None:
        return ""
    for band in bands:
        upper = band.get("max")
        if value >= band["min"] and (upper is None or value <= upper):
            return str(band["label"])
    return ""


def score(definition: dict[str, Any], answers: dict[str, Any]) -> Score:
    """Score ``answers`` (already checked) against ``definition``."""
    item_scores = check_answers(definition, answers)
    rules = definition["scoring"]
    complete = len(item_scores) == len(definition["items"])
    withhold = rules.get("require_complete", True) and not complete
    subscales: dict[str, int | None] = {}
    for subscale in definition.get("subscales", []):
        answered = [item_scores[i] for i in subscale["items"] if i in item_scores]
        missing = len(answered) < len(subscale["items"])
        subscales[subscale["id"]] = None if missing and rules.get("require_complete", True) else sum(answered)
    if withhold:
        return Score(False, None, None, "", subscales)
    raw = sum(item_scores.values())
    value = _convert(rules.get("conversion"), raw)
    return Score(complete, raw, value, band_for(rules.get("bands", []), value), subscales)


def _convert(conversion: list[dict[str, Any]] | None, raw: int) -> Decimal | None:
    if not conversion:
        return Decimal(raw)
    table = {row["raw"]: row["score"] for row in conversion}
    if raw not in table:
        return None
    return Decimal(str(table[raw])).quantize(Decimal("0.01"))


def worse_by(definition: dict[str, Any], previous: Decimal, latest: Decimal) -> Decimal:
    """How much worse ``latest`` is than ``previous`` (positive = worse)."""
    higher_is_better = definition["scoring"].get("higher_is_better", True)
    return previous - latest if higher_is_better else latest - previous
