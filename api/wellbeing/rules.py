"""Safeguarding rules: pure functions over what is already known, so they are easy to test.

Services call these inside the transaction that writes the check-in or response; a
match becomes an :class:`~api.wellbeing.models.Alert` in that same transaction.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

DEFAULT_PHRASES_FILE = Path(__file__).resolve().parent / "data" / "risk_phrases.json"

VERY_LOW_MOOD = 1
LOW_MOOD_IN_A_ROW = 2
LOW_MOOD_IN_WINDOW = 3
LOW_MOOD_WINDOW = timedelta(days=7)

_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`]")
_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)


@dataclass(frozen=True)
class Match:
    reason: str
    severity: str
    trigger: dict[str, Any] = field(default_factory=dict)


def normalise(text: str) -> str:
    """Lower case, apostrophes dropped ("don't" -> "dont"), other punctuation as spaces, single-spaced."""
    text = _APOSTROPHES.sub("", text.casefold())
    text = _NOT_WORD.sub(" ", text).replace("_", " ")
    return " ".join(text.split())


@cache
def default_phrases() -> tuple[tuple[str, str], ...]:
    """(phrase, category) pairs shipped with the product, for a project without its own list."""
    data = json.loads(DEFAULT_PHRASES_FILE.read_text(encoding="utf-8"))
    return tuple((phrase, category) for category, phrases in data["phrases"].items() for phrase in phrases)


def matching_categories(words: str, phrases: Iterable[tuple[str, str]]) -> list[str]:
    """Categories of the phrases found in ``words`` as whole words, ignoring case and punctuation."""
    haystack = f" {normalise(words)} "
    found = []
    for phrase, category in phrases:
        needle = normalise(phrase)
        if needle and f" {needle} " in haystack and category not in found:
            found.append(category)
    return found


def risk_words_match(words: str, phrases: Iterable[tuple[str, str]]) -> Match | None:
    if not words.strip():
        return None
    categories = matching_categories(words, phrases)
    if not categories:
        return None
    return Match("risk_words", "high", {"rule": "risk_phrase", "categories": categories})


def low_mood_match(*, in_a_row: int, very_low_in_window: int) -> Match | None:
    """Very low mood twice in a row, or three times in the last seven days (the new check-in counted)."""
    if in_a_row >= LOW_MOOD_IN_A_ROW:
        return Match("low_mood", "medium", {"rule": "very_low_in_a_row", "count": in_a_row})
    if very_low_in_window >= LOW_MOOD_IN_WINDOW:
        return Match("low_mood", "medium", {"rule": "very_low_in_7_days", "count": very_low_in_window})
    return None


def score_fall_match(
    *, instrument: str, worse_by: float, threshold: float | None, previous: float, latest: float
) -> Match | None:
    if threshold is None or worse_by < threshold:
        return None
    trigger = {
        "rule": "score_worse",
        "instrument": instrument,
        "previous": previous,
        "latest": latest,
        "threshold": threshold,
    }
    return Match("score_fall", "medium", trigger)


CRISIS_LINES: list[dict[str, str]] = [
    {"name": "Childline", "how": "call", "number": "0800 1111", "when": "Free, any time, day or night"},
    {"name": "Shout", "how": "text", "number": "85258", "when": "Text any time, day or night"},
    {"name": "Emergency services", "how": "call", "number": "999", "when": "If you or someone else is in danger now"},
]
