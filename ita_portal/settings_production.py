"""Production settings: the common settings plus what only holds behind HTTPS.

Use with DJANGO_SETTINGS_MODULE=ita_portal.settings_production. SECRET_KEY and ALLOWED_HOSTS
must come from the environment; `manage.py check --deploy` is clean with these settings.
"""

from .settings import *  # noqa: F403
from .settings import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")  # no fallback: a missing key stops the server from starting
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

# HTTPS only. Behind a reverse proxy set TRUSTED_PROXIES (settings.py): Django then believes the
# proxy's X-Forwarded-Proto and X-Forwarded-For.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"

# Static files come from `collectstatic` (hashed names, compressed), not from the app folders.
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
