"""The hand-over pack as a PDF, rendered by WeasyPrint from a Django template.

The JSON pack keeps codes for machines; on paper a person reads the same labels the
portal shows (the choices' labels), dates written one way, and one typeface.
"""

from __future__ import annotations

import copy
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language_info

from api.wellbeing.models import Alert
from transitions.models import Handover

# The safeguarding summary's coded columns, as the alert list in the portal names them.
ALERT_LABELS: dict[str, dict[str, str]] = {
    "severity": dict(Alert.Severity.choices),
    "reason": dict(Alert.Reason.choices),
    "status": dict(Alert.Status.choices),
}


def language_name(tag: str) -> str:
    """The language's English name (en: English, cy: Welsh, pl: Polish); a tag Django does not know stays as given."""
    try:
        return str(get_language_info(tag)["name"])
    except KeyError:
        return tag


def _labelled(row: Any) -> Any:
    if not isinstance(row, dict):
        return row
    return {key: ALERT_LABELS.get(key, {}).get(value, value) for key, value in row.items()}


def printable_pack(pack: dict[str, Any]) -> dict[str, Any]:
    """The pack with every code a person would read replaced by its label."""
    pack = copy.deepcopy(pack)
    details = pack["personal_details"]
    details["language"] = language_name(details["language"])
    pack["handover"]["status"] = dict(Handover.Status.choices).get(pack["handover"]["status"], "")
    if isinstance(pack["safeguarding_summary"], list):
        pack["safeguarding_summary"] = [_labelled(row) for row in pack["safeguarding_summary"]]
    return pack


def render_pack_html(pack: dict[str, Any]) -> str:
    context = {"pack": printable_pack(pack), "generated_at": timezone.localtime()}
    return render_to_string("transitions/handover_pack.html", context)


def render_pack_pdf(pack: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported here: it loads native libraries, and only this view needs them

    pdf = HTML(string=render_pack_html(pack)).write_pdf()
    assert pdf is not None
    return bytes(pdf)
