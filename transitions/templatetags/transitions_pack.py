"""Show values of any shape (text, lists, mappings) in the hand-over pack, from other modules' readers."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


def _label(key: Any) -> str:
    return str(key).replace("_", " ").capitalize()


def _render(value: Any) -> SafeString:
    if isinstance(value, dict):
        rows = format_html_join(
            "", "<tr><th>{}</th><td>{}</td></tr>", ((_label(k), _render(v)) for k, v in value.items())
        )
        return format_html("<table>{}</table>", rows)
    if isinstance(value, list | tuple):
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((_render(item),) for item in value)))
    if value is None or value == "":
        return format_html("-")
    if isinstance(value, bool):
        return format_html("{}", "yes" if value else "no")
    return format_html("{}", value)


@register.simple_tag
def show_value(value: Any, empty: str = "Nothing recorded.") -> SafeString:
    if not value:
        return format_html('<p class="none">{}</p>', empty)
    if isinstance(value, str):
        return format_html(
            '<p class="none">{}</p>', value[:1].upper() + value[1:] + ("" if value.endswith(".") else ".")
        )
    return _render(value)
