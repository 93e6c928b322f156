from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "เอกสารและเว็บไซต์สาธารณะ"

    def ready(self):
        from .public import caching  # noqa: F401 - connects the page cache's signal receivers
