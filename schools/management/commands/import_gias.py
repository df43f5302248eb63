"""manage.py import_gias <establishments.csv>: create or update schools from the GIAS extract."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from schools import gias


class Command(BaseCommand):
    help = "Create or update schools from a Get Information about Schools establishments CSV (matched by URN)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv", type=Path, help="The establishments CSV (UTF-8 or Windows-1252).")
        parser.add_argument("--no-progress", action="store_true", help="Do not draw a progress bar.")
        parser.add_argument("--max-errors", type=int, default=50, help="How many bad rows to list (all are counted).")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["csv"]
        try:
            text = gias.decode(path.read_bytes())
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
        total = max(text.count("\n") - 1, 0)
        with tqdm(total=total, unit="rows", disable=options["no_progress"] or None, file=self.stderr) as bar:
            try:
                result = gias.import_rows(gias.parse(text), progress=bar.update)
            except gias.ImportFileError as exc:
                raise CommandError(str(exc)) from None
        for line, reason in result.errors[: options["max_errors"]]:
            self.stderr.write(f"  line {line}: {reason} (skipped)")
        if len(result.errors) > options["max_errors"]:
            self.stderr.write(f"  ... and {len(result.errors) - options['max_errors']} more bad rows")
        summary = (
            f"{result.rows} rows: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged, {len(result.errors)} skipped."
        )
        self.stdout.write(self.style.SUCCESS(summary) if not result.errors else self.style.WARNING(summary))
