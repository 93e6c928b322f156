"""The project's app (its checks) and other projects' apps, named in Thai where the admin shows them."""

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AxesConfig(AxesAppConfig):
    """django-axes (login throttling) under a Thai heading in the admin."""

    verbose_name = "การระงับการเข้าสู่ระบบ (django-axes)"

    def ready(self):
        super().ready()
        from axes.admin import AccessAttemptAdmin  # noqa: PLC0415 (the admin loads once the apps are ready)

        # A column django-axes names after its method, in English, with no message to translate.
        AccessAttemptAdmin.status.short_description = "สถานะ"


class AdminConfig(DjangoAdminConfig):
    """The Django admin, with Buddhist-Era dates (ita_portal.admin_dates)."""

    def ready(self):
        from . import admin_dates  # noqa: PLC0415 (imports models: only once the apps are ready)

        admin_dates.install()  # before the ModelAdmins are made (autodiscover): they copy the form defaults
        super().ready()
        admin_dates.without_date_hierarchy(self.module.site)


class PortalConfig(AppConfig):
    """The project itself: its deployment checks (ita_portal.checks)."""

    name = "ita_portal"
    verbose_name = "ระบบติดตามมาตรการ ITA"

    def ready(self):
        from . import checks  # noqa: F401, PLC0415 (registers the checks)
