"""Loads the example questionnaire we wrote ourselves ("How are things at home and school")."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "home_and_school.json"


def load(apps, schema_editor):
    Instrument = apps.get_model("wellbeing", "Instrument")
    InstrumentVersion = apps.get_model("wellbeing", "InstrumentVersion")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    instrument, _ = Instrument.objects.get_or_create(organisation=None, code=data["code"], defaults={"name": data["name"]})
    if not InstrumentVersion.objects.filter(instrument=instrument).exists():
        InstrumentVersion.objects.create(instrument=instrument, number=1, definition=data["definition"])


class Migration(migrations.Migration):
    dependencies = [("wellbeing", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
