from django.contrib.admin.apps import AdminConfig


class MFAAdminConfig(AdminConfig):
    default_site = "backend.admin.MFAAdminSite"
