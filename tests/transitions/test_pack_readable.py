"""The hand-over pack on paper reads like the page a person reads: labels, not codes; one date style; one typeface."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from api.wellbeing.models import Alert
from tests.transitions.conftest import walk
from transitions.models import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def handover(cast):
    Alert.objects.create(
        case=cast.alex_case,
        organisation=cast.riverside,
        severity=Alert.Severity.HIGH,
        reason=Alert.Reason.HELP_REQUESTED,
        raised_at=datetime(2026, 3, 4, 15, 30, tzinfo=UTC),
    )
    return walk(cast, cast.alex_case, State.HANDOVER_REFERRED).handovers.get()


def _pdf(client_for, user, handover) -> PdfReader:
    response = client_for(user).get(f"/api/v1/handovers/{handover.pk}/pack.pdf")
    assert response.status_code == 200
    return PdfReader(io.BytesIO(response.content))


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_shows_labels_not_codes(cast, client_for, handover):
    text = _text(_pdf(client_for, cast.grace, handover))
    for code in ("help_requested", "raised", "high", " en", "(en)"):
        assert code not in text, code
    assert "Asked for help now" in text and "Raised" in text and "High" in text
    assert "English" in text


def test_the_pdf_writes_every_date_one_way(cast, client_for, handover):
    text = _text(_pdf(client_for, cast.grace, handover))
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), re.findall(r"\d{4}-\d{2}-\d{2}\S*", text)
    born = cast.alex_case.date_of_birth
    assert f"{born.day} {born:%B %Y}" in text
    assert "4 March 2026, 15:30" in text  # London time, as the portal shows it


def test_the_pdf_uses_one_typeface(cast, client_for, handover):
    fonts = set()
    for page in _pdf(client_for, cast.grace, handover).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    families = {re.sub(r"[-,](Bold|Oblique|Italic|BoldOblique)$", "", name) for name in fonts}
    assert len(families) == 1, fonts
