"""Demo data for notifications: a worker's message in Sam's inbox and a Welsh-speaking Jo.

Safe to run again: ``notify()``'s dedupe key writes each item once. No devices are registered:
the app registers its own when it signs in.
"""

from __future__ import annotations

from backend.demo import Cast
from notifications.services import notify


def load(cast: Cast) -> None:
    _jo_speaks_welsh(cast)
    notify(
        recipients=[cast.jo],
        kind="message.from_worker",
        context={"sender_name": "Priya", "preview": "Wela i di yn y grŵp ddydd Iau!"},
        dedupe_key="demo-welcome-jo",
    )
    notify(
        recipients=[cast.sam],
        kind="message.from_worker",
        context={"sender_name": "Priya", "preview": "Looking forward to seeing you on Thursday."},
        dedupe_key="demo-welcome-sam",
    )
    notify(
        recipients=[cast.priya],
        kind="message.to_worker",
        context={"young_person": "Sam", "preview": "Can I bring my brother's schedule to the next session?"},
        dedupe_key="demo-question-priya",
    )


def _jo_speaks_welsh(cast: Cast) -> None:
    """Jo's app and record are in Welsh: her pushes and inbox come from the Welsh catalogue."""
    cast.jo.locale = "cy"
    cast.jo.save(update_fields=["locale"])
    cast.jo_case.language = "cy"
    cast.jo_case.save(update_fields=["language"])
