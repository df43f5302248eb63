from django.apps import AppConfig


class PeerConfig(AppConfig):
    name = "api.peer"
    label = "peer"
    verbose_name = "Peer groups, sessions and events"
