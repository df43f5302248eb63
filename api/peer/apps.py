from django.apps import AppConfig


class PeerConfig(AppConfig):
    name = "api.peer"
    label = "peer"
    verbose_name = "Peer groups, sessions and events"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from api.peer import tasks  # noqa: F401 - registers the periodic jobs
        from api.peer.models import Attendance, Booking, Event, GroupMembership, PeerGroup, Session

        auditlog.register(PeerGroup, m2m_fields={"facilitators"})
        auditlog.register(GroupMembership)
        auditlog.register(Session, exclude_fields=["check_in_code"])
        auditlog.register(Attendance)
        auditlog.register(Event)
        auditlog.register(Booking)
