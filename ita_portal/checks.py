"""Deployment checks of the portal's own settings (`manage.py check --deploy`).

- W001: TRUSTED_PROXIES is 0 in production: behind nginx every client would have the proxy's
  address, so five wrong passwords would lock a username out for everybody and ten reset
  requests an hour would stop password resets for all.
- W002: the cache is one per process (local memory or dummy): with several workers or servers
  the page cache, the sitemaps, the reset limit are not shared. Production uses Redis.
- W003: SITE_URL is not an https address on this server: links in e-mails would be wrong.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.security, deploy=True)
def check_proxies(app_configs, **kwargs):
    if settings.DEBUG or getattr(settings, "TRUSTED_PROXIES", 0) > 0:
        return []
    return [
        Warning(
            "TRUSTED_PROXIES เป็น 0: หลัง reverse proxy (nginx) ทุกคำขอจะมีที่อยู่ของ proxy"
            " ผู้ใช้ทุกคนจะถูกระงับการเข้าสู่ระบบและการขอตั้งรหัสผ่านใหม่พร้อมกัน",
            hint="ตั้ง TRUSTED_PROXIES=1 เมื่อมี nginx หนึ่งตัวอยู่หน้าระบบ (docs/DEPLOYMENT.md);"
            " ถ้าไม่มี proxy จริง ให้ปิดคำเตือนนี้ด้วย SILENCED_SYSTEM_CHECKS",
            id="ita_portal.W001",
        )
    ]


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or backend not in PER_PROCESS_CACHES:
        return []
    return [
        Warning(
            "แคชของระบบแยกกันในแต่ละ process: หน้าสาธารณะที่เก็บไว้ แผนผังเว็บไซต์ และการนับคำขอตั้งรหัสผ่านใหม่"
            " ไม่ใช้ร่วมกันระหว่าง worker และเครื่องแม่ข่าย",
            hint="ตั้ง CACHE_URL=redis://127.0.0.1:6379/1 (docs/DEPLOYMENT.md)",
            id="ita_portal.W002",
        )
    ]


@register(Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):
    site = urlsplit(settings.SITE_URL)
    hosts = set(settings.ALLOWED_HOSTS)
    if settings.DEBUG or (site.scheme == "https" and ("*" in hosts or site.hostname in hosts)):
        return []
    return [
        Warning(
            f"SITE_URL ({settings.SITE_URL}) ไม่ใช่ที่อยู่ https ของเว็บไซต์นี้ (ALLOWED_HOSTS):"
            " ลิงก์ในอีเมลเชิญ แจ้งเตือน และตั้งรหัสผ่านใหม่จะพาไปผิดที่",
            hint="ตั้ง SITE_URL=https://<ชื่อเว็บไซต์>",
            id="ita_portal.W003",
        )
    ]
