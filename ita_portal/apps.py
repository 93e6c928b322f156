"""Django apps of other projects, named in Thai where the admin shows them."""

from axes.apps import AppConfig as AxesAppConfig


class AxesConfig(AxesAppConfig):
    """django-axes (login throttling) under a Thai heading in the admin."""

    verbose_name = "การระงับการเข้าสู่ระบบ (django-axes)"
