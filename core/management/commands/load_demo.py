"""Load the demo cast (idempotent) and each app's demo data, then print the logins."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand

from backend.demo import DEFAULT_PASSWORD, build_cast
from backend.env import env_str


class Command(BaseCommand):
    help = "Load the demo cast from the product brief. Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        password = env_str("DEMO_PASSWORD", DEFAULT_PASSWORD)
        cast = build_cast(password)
        for config in apps.get_app_configs():
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            module.load(cast)
            self.stdout.write(f"  demo data: {config.label}")
        self.stdout.write(self.style.SUCCESS(f"Demo loaded. Every login's password: {password}"))
        for name, what, email in cast.logins:
            self.stdout.write(f"  {email:<24} {name} ({what})")
