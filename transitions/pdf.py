"""The hand-over pack as a PDF, rendered by WeasyPrint from a Django template."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone


def render_pack_html(pack: dict[str, Any]) -> str:
    return render_to_string("transitions/handover_pack.html", {"pack": pack, "generated_at": timezone.localtime()})


def render_pack_pdf(pack: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported here: it loads native libraries, and only this view needs them

    pdf = HTML(string=render_pack_html(pack)).write_pdf()
    assert pdf is not None
    return bytes(pdf)
