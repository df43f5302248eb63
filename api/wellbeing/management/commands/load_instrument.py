"""Load a licensed questionnaire (items, options, scoring) from a JSON file the organisation holds.

The file has {"code", "name", "licence_note"?, "definition"}; see api.wellbeing.scoring for the
definition. Item wording stays in the organisation's file and database, never in this repository.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from api.wellbeing.questionnaires import instrument_load
from core.errors import ServiceError


class Command(BaseCommand):
    help = "Load (or version) a questionnaire for a project from a JSON file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--organisation", type=int, required=True, help="The project's organisation id.")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(pk=options["organisation"], kind=Organisation.Kind.PROJECT).first()
        if organisation is None:
            raise CommandError("No such project organisation.")
        try:
            data = json.loads(options["file"].read_text(encoding="utf-8"))
            version = instrument_load(
                organisation=organisation,
                code=data["code"],
                name=data["name"],
                licence_note=data.get("licence_note", ""),
                definition=data["definition"],
            )
        except (OSError, ValueError, KeyError, ServiceError) as exc:
            raise CommandError(f"Could not load the questionnaire: {exc}") from exc
        self.stdout.write(
            f"{version.instrument.name}: version {version.number} ({len(version.definition['items'])} items)"
        )
