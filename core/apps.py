from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core plumbing"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from core import checks  # noqa: F401  (registers system checks)
        from core.fields import use_for_model_fields

        use_for_model_fields()  # before any serializer class is used: fields are built per instance

        # Import every app's tasks module so periodic jobs are registered in any process (the worker above all).
        autodiscover_modules("tasks")
