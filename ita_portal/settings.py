"""Settings for the ITA measures portal.

Everything that differs between machines comes from the environment (or a `.env` file):
DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS, EMAIL_URL, MEDIA_ROOT, S3_BUCKET (and the other
S3_* variables, docs/DEPLOYMENT.md "Files").
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from .storage_settings import default_storage_from_env

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
)
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env("DEBUG")
# The fallback key is only good for local demos: production must set SECRET_KEY.
SECRET_KEY = env("SECRET_KEY", default="insecure-dev-key-change-me-" + "x" * 40)
ALLOWED_HOSTS = env("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "ita_portal.apps.AdminConfig",  # the Django admin, with Buddhist-Era dates
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "django_htmx",
    "django_tables2",
    "simple_history",
    "ita_portal.apps.AxesConfig",  # django-axes, named in Thai in the admin
    "csp",
    "ita_portal.apps.PortalConfig",  # the deployment checks
    "measures",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ita_portal.limits.RequestSizeLimit",  # before anything reads the body (CSRF reads the form)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the Thai lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ita_portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["measures.templatetags.thai"],
        },
    },
]

WSGI_APPLICATION = "ita_portal.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL lets readers and one writer work at once on the demo database.
    DATABASES["default"]["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL;")
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username/address before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("ไทย"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": default_storage_from_env(),  # MEDIA_ROOT, or an S3-compatible bucket when S3_BUCKET is set
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "measures:dashboard"
LOGOUT_REDIRECT_URL = "login"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# A mail server that hangs must not hold an officer's request for long: the message waits in the
# outbox (measures.OutgoingEmail) and `send_reminders` sends it again.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="ita-portal@localhost")

# Security that holds on every deployment, the demo included (HTTPS-only settings are in
# ita_portal/settings_production.py). Staff sessions end after 8 hours or when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "ita_portal.views.csrf_failure"  # templates/403_csrf.html, in Thai
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: no inline script or style anywhere, nothing from other sites.
# The embeddable list (reports.public.opendata.embed) widens frame-ancestors for itself only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # A nonce lets a document's own <style> (its @page rules) through, nothing else inline.
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Login throttling (django-axes): after 5 failures for a username from one address, that pair
# waits 30 minutes; an organisation admin or the platform admin can lift it (`axes_reset`).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The reverse proxies in front of the portal (nginx: 1). TRUSTED_PROXIES is the one setting that
# tells who the client is: with N > 0 the client's address is the N-th from the right of
# X-Forwarded-For (ita_portal.clients: django-axes's lock-outs, the password-reset limit) and X-Forwarded-Proto says
# whether the request came over HTTPS (SECURE_PROXY_SSL_HEADER). With 0 the client is REMOTE_ADDR,
# and behind a proxy every client would share the proxy's address (`check --deploy` warns in
# production). Never set it without such a proxy: anyone could then choose their own address.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
AXES_CLIENT_IP_CALLABLE = "ita_portal.clients.client_address"
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Evidence uploads (files attached to progress entries).
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
EVIDENCE_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "odt", "ods"]
# At most this many files per save, and this many bytes together (refused in Thai before any file is read).
EVIDENCE_MAX_FILES = env.int("EVIDENCE_MAX_FILES", default=10)
EVIDENCE_MAX_TOTAL_BYTES = env.int("EVIDENCE_MAX_TOTAL_BYTES", default=50 * 1024 * 1024)
# A request whose body says it is larger than this is answered 413 in Thai before a byte of it is
# read (ita_portal.limits.RequestSizeLimit): the evidence of one save and its form, with room.
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=EVIDENCE_MAX_TOTAL_BYTES + 1024 * 1024)

DJANGO_TABLES2_TEMPLATE = "tables/table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table"}

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Serve static files straight from the app folders when `collectstatic` has not been run
# (the demo); production runs collectstatic and may turn this off.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)
WHITENOISE_AUTOREFRESH = DEBUG

# Absolute links in e-mails (invitations, reminders, password resets), never the request's Host.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Reminders (`manage.py send_reminders`, daily): approvals waiting longer than this many days;
# progress rounds due on (month, day) of the year the fiscal year ends; warn this many days before.
REMINDER_APPROVAL_DAYS = env.int("REMINDER_APPROVAL_DAYS", default=3)
ROUND_DUE_DATES = {6: (4, 30), 12: (10, 31)}
REMINDER_DAYS_BEFORE_DUE = env.int("REMINDER_DAYS_BEFORE_DUE", default=14)

# --- Cache ---------------------------------------------------------------------------------
# Django's cache keeps the rendered public pages (reports.public.caching: the organisation page and the
# document pages, keyed by the state of the data they show, so publishing or withdrawing shows
# at once whatever the cache). The default is a local-memory cache in each worker process: no
# other service. It holds up to 50,000 entries, each page kept compressed (about 10 KB for a page
# of 10–30 measures: reports.public.caching), so a worker's memory grows with the pages visited:
# ~30 MB for a province's 3,000 public pages, ~220 MB for the 21,000 of 2,000 organisations (the
# long tail then stays in the cache; at 20,000 entries it was culled by a third at a time and
# served 0.09 of the static file's requests per second). CACHE_URL chooses another, e.g.
# `redis://127.0.0.1:6379/1` (Django's Redis backend with the `redis` client: one copy for all
# workers and servers, so that the page cache, its invalidation, the sitemaps and the
# password-reset limit are shared; production uses it) or `filecache:///var/cache/ita-portal`.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://ita-portal?max_entries=50000")}
# Two deployments sharing one Redis database must not read each other's keys: give each its own
# database, or a prefix here (a `?key_prefix=` in CACHE_URL is dropped by django-environ).
CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX", default="")
# Those pages are served from the cache right after WhiteNoise, before the other middleware
# (reports.public.caching.PublicPageCache keeps the headers they added when the page was rendered).
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1, "reports.public.caching.PublicPageCache"
)
# An organisation's former address answers 301 to its current one (reports.public.redirects).
MIDDLEWARE.insert(
    MIDDLEWARE.index("reports.public.caching.PublicPageCache") + 1, "reports.public.redirects.FormerAddressRedirect"
)
