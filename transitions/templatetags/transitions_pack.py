"""Show values of any shape (text, lists, mappings) in the hand-over pack, from other modules' readers."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

# Values arrive as JSON: dates and datetimes as ISO strings, written here one way, as the portal writes them.
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
DATE = "j F Y"
DATE_TIME = "j F Y, H:i"


@register.filter
def when(value: Any, part: str = "") -> Any:
    """An ISO date as "4 March 2026"; an ISO datetime as "4 March 2026, 15:30" in London time (``:"day"``: the
    date alone). Anything else is left as it is."""
    if not isinstance(value, str):
        return value
    if ISO_DATE.match(value):
        return date_format(date.fromisoformat(value), DATE)
    if ISO_DATETIME.match(value):
        moment = datetime.fromisoformat(value)
        moment = timezone.localtime(moment) if timezone.is_aware(moment) else moment
        return date_format(moment, DATE if part == "day" else DATE_TIME)
    return value


def _label(key: Any) -> str:
    text = str(key).replace("_", " ")
    return text if text.isupper() else text.capitalize()


def _rows_table(rows: list[dict[str, Any]]) -> SafeString:
    """A list of records as one table, a column per field: how scores over time and groups read best on paper."""
    columns: list[str] = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    head = format_html_join("", "<th>{}</th>", ((_label(column),) for column in columns))
    body = format_html_join(
        "",
        "<tr>{}</tr>",
        ((format_html_join("", "<td>{}</td>", ((_render(row.get(c)),) for c in columns)),) for row in rows),
    )
    return format_html('<table class="rows"><tr>{}</tr>{}</table>', head, body)


def _render(value: Any) -> SafeString:
    if isinstance(value, dict):
        rows = format_html_join(
            "", "<tr><th>{}</th><td>{}</td></tr>", ((_label(k), _render(v)) for k, v in value.items())
        )
        return format_html("<table>{}</table>", rows)
    if isinstance(value, list | tuple) and value and all(isinstance(item, dict) for item in value):
        return _rows_table(list(value))
    if isinstance(value, list | tuple):
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((_render(item),) for item in value)))
    if value is None or value == "":
        return format_html("-")
    if isinstance(value, bool):
        return format_html("{}", "yes" if value else "no")
    return format_html("{}", when(value))


@register.simple_tag
def show_value(value: Any, empty: str = "Nothing recorded.") -> SafeString:
    if not value:
        return format_html('<p class="none">{}</p>', empty)
    if isinstance(value, str):
        return format_html(
            '<p class="none">{}</p>', value[:1].upper() + value[1:] + ("" if value.endswith(".") else ".")
        )
    return _render(value)
