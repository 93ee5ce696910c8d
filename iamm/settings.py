"""Settings for the IAMM self-assessment app.

Everything that differs between a laptop and production comes from environment variables,
read through the tiny typed helpers below. The defaults fail closed: DEBUG is off unless set
(`make run` and the tests set it), SECRET_KEY is then required, a boolean or number that cannot
be read stops start-up instead of being taken as false, and proxy headers are trusted only when
named. Importing this module has no side effects.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.log import DEFAULT_LOGGING
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in TRUE_WORDS | FALSE_WORDS:
        return value in TRUE_WORDS
    # A typo (`ture`) read as false would silently turn a protection off.
    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r} is not a boolean: use one of "
        f"{', '.join(sorted(TRUE_WORDS))} or {', '.join(sorted(FALSE_WORDS))}."
    )


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envheader(name: str) -> str:
    """The request.META key of the HTTP header named in the variable (`X-Forwarded-Proto` gives
    `HTTP_X_FORWARDED_PROTO`), or "" when the variable is unset."""
    header = os.environ.get(name, "").strip()
    if header and not re.fullmatch(r"[A-Za-z0-9-]+", header):
        raise ImproperlyConfigured(f"{name}={header!r} is not an HTTP header name.")
    return "HTTP_" + header.upper().replace("-", "_") if header else ""


# Off unless set: a production deploy that forgets a variable must not run in debug.
DEBUG = envbool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only: a fixed key makes sessions survive restarts of `make run`.
    SECRET_KEY = "django-insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

# Demo mode creates the fictional country and its accounts (`make run`); never in production.
DEMO_MODE = envbool("DEMO_MODE", DEBUG)

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch its forms.
    "modeltranslation",
    "iamm.apps.IammAdminConfig",  # django.contrib.admin with a grouped sidebar
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks_db",
    "iamm",
    "assessments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "assessments.web.http_methods_middleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "assessments.accounts.middleware.SessionActivityMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "assessments.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as its documentation asks: it turns lockouts raised below into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "iamm.urls"
WSGI_APPLICATION = "iamm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    # The embedded default: an SQLite file under var/ (the Makefile creates the folder; settings
    # create nothing, so that importing them has no side effects).
    DATABASE_URL = f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"
# A gunicorn worker keeps its PostgreSQL connection between requests: opening one per request
# (Django's default) cost a server process per page and, under 50 officials, the largest part of
# the pages' p95 (`make loadtest`: 450 ms → 220 ms for saves). SQLite opens a file, which is cheap,
# and the development server's thread per request would only pile connections up.
DB_CONN_MAX_AGE = envint("DB_CONN_MAX_AGE", 0 if DATABASE_URL.startswith("sqlite") else 60)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=DB_CONN_MAX_AGE,
        # A connection kept from an earlier request is checked before use, so that a database
        # restart costs one reconnection instead of a failed request.
        conn_health_checks=DB_CONN_MAX_AGE > 0,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite (`make run`) takes no row locks: two writes at once (a double click on "Validate")
    # made the second fail at once with "database is locked". Each transaction takes the write
    # lock when it begins, so the second waits its turn and then finds the first one's result.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds counters that must be shared by every gunicorn worker and machine (wrong
# workshop codes per address): by default a table in the app's database (created by the
# migrations), so nothing else has to run; "redis://…" for Redis (the `redis` extra);
# "locmem" for one process only.
CACHE_URL = os.environ.get("CACHE_URL", "db")
if CACHE_URL == "db":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "iamm_cache",
        }
    }
elif CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
elif CACHE_URL == "locmem":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured("CACHE_URL must be db, locmem or a redis:// URL.")
# Template fragments ({% cache %}, which uses this alias) are drawn from the code, the
# translations, the values each one varies on and a published framework version's content,
# which is frozen: every process keeps its own, and a deployment restarts them all. The page
# header and the task list's rows were a third of a task list's time; the framework content of
# the section page, a fifth of it. A fragment is about half a KiB (a few KiB for an item's
# content): some 10 MiB per process at most, the least recently used dropped first.
CACHES["template_fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "template-fragments",
    "OPTIONS": {"MAX_ENTRIES": 10_000},
}
# The section page's answer fields, unbound, keyed on every value they show
# (AnswerForm.display_key): a page drawn again without a change draws none of them. An item's
# fields are a few KiB, up to some 35 KiB with every text at its longest: at most 35 MiB per
# process, and some 3 MiB in use.
CACHES["answer_fields"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "answer-fields",
    "OPTIONS": {"MAX_ENTRIES": 1_000},
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

AUTH_USER_MODEL = "assessments.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "assessments:dashboard"
LOGOUT_REDIRECT_URL = "iamm:home"

AUTHENTICATION_BACKENDS = [
    # Refuses sign-in for an account or address locked out after repeated failures.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the facilitator role with the user (one query less a page).
    "assessments.accounts.backends.AccountBackend",
]
# The header holding the client's address, as written by the trusted reverse proxy (e.g.
# `X-Forwarded-For`); unset, the address is the TCP peer's (REMOTE_ADDR).
CLIENT_IP_HEADER = envheader("CLIENT_IP_HEADER")
AXES_ENABLED = not envbool("LOGIN_THROTTLE_DISABLED", False)
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", 15))
# Failures count per client address (CLIENT_IP_HEADER behind a proxy), whatever the account:
# an address guessing passwords is paused, while an account is never locked for everyone, so
# failing on purpose cannot keep a known coordinator out from their own address.
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_CLIENT_IP_CALLABLE = "assessments.accounts.audit.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Roles that must use two-factor authentication ("staff" stands for staff administrators).
TWO_FACTOR_REQUIRED_ROLES = set(
    envlist("TWO_FACTOR_REQUIRED_ROLES", "" if DEBUG else "staff,coordinator")
)

# Argon2 first (memory-hard, and a third of PBKDF2's CPU per sign-in at Django's settings);
# older PBKDF2 hashes still verify and are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: IOM's three official languages.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
FORMAT_MODULE_PATH = ["iamm.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language switcher's choice is kept in a cookie for a year (Django's default is the browser
# session), so an official finds the app in their language on every visit from that browser.
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Rendered PDFs go through the default storage: S3-compatible storage is a setting away
# (README, Production; needs the `s3` extra).
if os.environ.get("STORAGE_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["STORAGE_S3_BUCKET"],
            "endpoint_url": os.environ.get("STORAGE_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("STORAGE_S3_REGION") or None,
            "location": os.environ.get("STORAGE_S3_PREFIX", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Background tasks (Django's tasks framework): PDFs are rendered by workers, never inside a
# request. "database" (the default) keeps the queue in the app's database and needs no other
# service: `manage.py db_worker` runs it (`make run` starts one). "redis" uses RQ on REDIS_URL
# (the `redis` extra; workers: `manage.py rqworker default --job-class django_tasks_rq.Job`).
# "immediate" runs each task inside the request that queues it (tests).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "redis":
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": envint("PDF_TASK_TIMEOUT", 600)}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
else:
    raise ImproperlyConfigured("TASKS_BACKEND must be database, redis or immediate.")

# A PDF that takes longer to render is stopped (in the task worker: assessments.reports.limits)
# and reported as a failed render, so that one hostile text cannot hold a worker for minutes.
PDF_RENDER_SECONDS = envint("PDF_RENDER_SECONDS", 20)

# E-mail (Django 6.1 MAILERS): the console in development unless EMAIL_HOST is set; SMTP
# (a local relay by default) in production.
if os.environ.get("EMAIL_HOST") or not DEBUG:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": envint("EMAIL_PORT", 587 if os.environ.get("EMAIL_HOST") else 25),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": envbool("EMAIL_USE_TLS", bool(os.environ.get("EMAIL_HOST"))),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "iamm@localhost")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# A user-assigned ISO 3166 code for the demo country, so demo answers are never mistaken
# for a real State's.
# User-assigned ISO codes (QZ, XA–XZ) for the fictional countries of the demo.
COUNTRIES_OVERRIDE = {
    "QZ": _("Demoland (fictional demo country)"),
    "XA": _("Northland (fictional demo country)"),
    "XB": _("Eastmarch (fictional demo country)"),
    "XC": _("Southport (fictional demo country)"),
    "XD": _("Westland (fictional demo country)"),
}

# Regional exercises show no figure for fewer sharing States than this (never below 3, which
# the code enforces whatever is set here).
REGIONAL_MIN_SHARES = max(3, envint("REGIONAL_MIN_SHARES", 3))

# Score bands (DESIGN.md): lower bounds, highest first. The labels are SDG indicator 10.7.2's,
# so the defaults are its thresholds: below 40, 40 to below 80, 80 to below 100, exactly 100.
SCORE_BANDS = [
    (envint("BAND_FULLY_MEETS", 100), "fully_meets"),
    (envint("BAND_MEETS", 80), "meets"),
    (envint("BAND_PARTIALLY_MEETS", 40), "partially_meets"),
    (0, "requires_progress"),
]

# Training workshops: practice data is deleted this many days after a workshop's last day
# (`manage.py purge_workshops`); wrong workshop codes allowed per address per window.
WORKSHOP_RETENTION_DAYS = envint("WORKSHOP_RETENTION_DAYS", 30)
WORKSHOP_JOIN_FAILURE_LIMIT = envint("WORKSHOP_JOIN_FAILURE_LIMIT", 10)
WORKSHOP_JOIN_WINDOW_SECONDS = envint("WORKSHOP_JOIN_WINDOW_SECONDS", 15 * 60)

# HTTPS and cookies: on whenever DEBUG is off, unless explicitly disabled behind a TLS proxy.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# Headers set by the reverse proxy are trusted only when the deployment names them: without a
# proxy that overwrites them, any client could send them.
if PROXY_SSL_HEADER := envheader("PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (PROXY_SSL_HEADER, "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (Django 6): only the app's own files; no inline script or style.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 60 * 60 * 8)
# The age counts from the last request (inactivity expiry): SessionActivityMiddleware saves the
# session at most once a minute for it, instead of SESSION_SAVE_EVERY_REQUEST's every request.

# Django's own console handler (DEBUG only) printed every django.* record a second time beside
# the root's, so the "django" logger has none: its records reach the console once, through the
# root. Configuring "django" resets its children, so runserver's request lines get back their
# own handler and format, as Django defines them.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"django.server": DEFAULT_LOGGING["formatters"]["django.server"]},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": DEFAULT_LOGGING["handlers"]["django.server"],
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO"},
        "django.server": DEFAULT_LOGGING["loggers"]["django.server"],
    },
}

# The offline workbook (assessments/exchange/workbook_import.py). An upload is refused beyond
# these limits: its size; once unzipped, its total size and number of entries (checked from the
# archive's directory before anything is inflated, against zip bombs); its rows and cells.
WORKBOOK_MAX_UPLOAD_BYTES = envint("WORKBOOK_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
WORKBOOK_MAX_UNCOMPRESSED_BYTES = envint("WORKBOOK_MAX_UNCOMPRESSED_BYTES", 50 * 1024 * 1024)
WORKBOOK_MAX_ZIP_ENTRIES = 200
WORKBOOK_MAX_ROWS = 1000
WORKBOOK_MAX_CELLS = 20_000
