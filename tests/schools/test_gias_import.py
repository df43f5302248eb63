from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Organisation
from schools.models import SchoolProfile

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).resolve().parents[2] / "schools" / "data" / "gias_sample.csv"
HEADER = "URN,EstablishmentName,TypeOfEstablishment (name),PhaseOfEducation (name),LA (name),Postcode,EstablishmentStatus (name)\n"


def _import(path: Path, capsys) -> tuple[str, str]:
    call_command("import_gias", str(path), "--no-progress")
    captured = capsys.readouterr()
    return captured.out, captured.err


def test_the_sample_imports_reports_bad_rows_and_is_idempotent(capsys):
    # The test database holds the demo cast, whose three schools are in the sample by URN.
    out, err = _import(SAMPLE, capsys)
    assert "19 rows: 13 created, 3 updated, 0 unchanged, 3 skipped." in out
    assert "line 18: EstablishmentName is empty (skipped)" in err
    assert "line 19: Postcode 'NOT A CODE' is not a UK postcode (skipped)" in err
    willow = SchoolProfile.objects.get(organisation__urn="100008")
    assert (willow.phase, willow.local_authority, willow.postcode) == ("special", "Riverside", "RV6 8WT")
    assert Organisation.objects.get(urn="100018").name == "École Française de Riverside"
    out, _ = _import(SAMPLE, capsys)
    assert "0 created, 0 updated, 16 unchanged, 3 skipped" in out
    assert Organisation.objects.filter(kind="school").count() == 16


def test_a_windows_1252_file_with_changes_updates_by_urn(tmp_path, capsys):
    _import(SAMPLE, capsys)
    changed = tmp_path / "edubase.csv"
    changed.write_bytes(
        (HEADER + "100004,Brookfield Primary – Academy,Academy converter,Primary,Riverside,rv41bf,Open\n").encode(
            "cp1252"
        )
    )
    out, _ = _import(changed, capsys)
    assert "1 updated" in out
    brookfield = Organisation.objects.get(urn="100004")
    assert brookfield.name == "Brookfield Primary – Academy"
    assert (brookfield.school_profile.establishment_type, brookfield.school_profile.postcode) == (
        "Academy converter",
        "RV4 1BF",
    )


def test_the_demo_schools_keep_their_organisation_and_gain_a_profile(cast, capsys):
    out, _ = _import(SAMPLE, capsys)
    assert "13 created, 3 updated" in out
    assert SchoolProfile.objects.get(organisation=cast.northgate).phase == "secondary"


def test_a_file_without_the_columns_is_refused_and_nothing_is_written(tmp_path):
    before = Organisation.objects.count()
    bad = tmp_path / "bad.csv"
    bad.write_text("URN,Name\n100001,X\n")
    with pytest.raises(CommandError, match="missing these columns: EstablishmentName"):
        call_command("import_gias", str(bad), "--no-progress")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_gias", str(tmp_path / "missing.csv"), "--no-progress")
    assert Organisation.objects.count() == before
    assert not SchoolProfile.objects.exists()


def test_duplicate_urns_and_ragged_rows_are_reported(tmp_path, capsys):
    ragged = tmp_path / "ragged.csv"
    ragged.write_text(
        HEADER
        + "200001,One,Community school,Primary,X,AB1 2CD,Open\n"
        + "200001,One again,Community school,Primary,X,AB1 2CD,Open\n"
        + "200002,Two,Community school,Primary,X,AB1 2CD,Open,extra\n"
    )
    out, err = _import(ragged, capsys)
    assert "1 created" in out and "2 skipped" in out
    assert "line 3: URN 200001 appears more than once" in err and "line 4: the row has more fields" in err
