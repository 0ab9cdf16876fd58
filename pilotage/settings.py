"""Pilotage CTI settings: one file, driven by environment variables (see README, "Production").

SQLite is the embedded default; production and CI set DATABASE_URL to PostgreSQL.
"""

from decimal import Decimal
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from pilotage.core.env import env, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
# The demo and the tests run with a throwaway key; production must set SECRET_KEY: the
# "django-insecure-" prefix makes `check --deploy` fail while this default is in use.
SECRET_KEY = env("SECRET_KEY", "django-insecure-demo-key-change-me-" + "x" * 30)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
DEMO_BANNER = env_bool("DEMO_BANNER", False)

INSTALLED_APPS = [
    # Before the admin, as django-modeltranslation asks (it patches the models at start-up).
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the built-in widget templates, for FORM_RENDERER below
    "django_filters",
    "django_htmx",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "pilotage.core",
    "pilotage.programmes",
    "pilotage.results",
    "pilotage.prestations",
    "pilotage.governance",
    "pilotage.fund",
    "pilotage.certification",
    "pilotage.standards",
    "pilotage.projects",
    "pilotage.training",
    "pilotage.reports",
    "pilotage.dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "pilotage.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "pilotage.core.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "pilotage.core.middleware.UserLanguageMiddleware",
    "pilotage.core.middleware.TwoFactorMiddleware",
    "pilotage.core.middleware.BadInputMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pilotage.urls"
# Widgets render with the project's templates too (pilotage/templates/partials/…).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "pilotage.wsgi.application"
ASGI_APPLICATION = "pilotage.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "pilotage" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pilotage.core.context_processors.platform",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves pages while the task worker writes. WAL lets readers run beside
    # the one writer; IMMEDIATE takes the write lock when a transaction begins, so two writers
    # queue behind the busy timeout instead of one failing with "database is locked" when it
    # upgrades a read lock; synchronous=NORMAL is safe in WAL mode and spares an fsync per commit.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 30),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "pilotage.core.hashers.Argon2idHasher",  # why: pilotage/core/hashers.py
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # older accounts, upgraded at sign-in
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600  # invitations reuse the reset token: three days to accept

# Failed sign-ins: lock the account (whatever the spelling of its address, from whatever network
# address) after 5 failures for 15 minutes; a successful password reset lifts the lock.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "pilotage.core.lockout.lockout_identity"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
if env_bool("BEHIND_PROXY"):
    # Behind the HTTPS proxy every request comes from the proxy: lock out by the client's address.
    AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 1)
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

# Two-factor authentication (core/two_factor.py): required for ministry roles and administrators,
# offered to everyone, and asked before the admin opens or an API token is issued. The demo's
# accounts (addresses under the reserved `.example` domain, which no real person has) keep
# signing in without it wherever the demo data is loaded; production sets 0, and
# `check --deploy` warns until it does (core/checks.py).
TWO_FACTOR_DEMO_EXEMPT = env_bool("TWO_FACTOR_DEMO_EXEMPT", True)
OTP_TOTP_ISSUER = "Pilotage CTI"
OTP_TOTP_THROTTLE_FACTOR = 1  # a wrong code doubles the wait before the next try: 1 s, 2 s, 4 s…
OTP_STATIC_THROTTLE_FACTOR = 1

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("ar", "العربية"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "pilotage" / "locale"]
TIME_ZONE = "Africa/Casablanca"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "pilotage_language"
# The names users read (organisations, indicators, axes...) are stored per language; a missing
# translation falls back to French, which the pages mark (core/templatetags translated_field).
MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_LANGUAGES = ("fr", "ar", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fr",)
MODELTRANSLATION_AUTO_POPULATE = False

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Front-end packages come from npm (package-lock.json) and are served by the app: no CDN.
STATICFILES_DIRS = [
    BASE_DIR / "pilotage" / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/vega", BASE_DIR / "node_modules" / "vega" / "build"),
    ("vendor/vega-lite", BASE_DIR / "node_modules" / "vega-lite" / "build"),
    ("vendor/vega-embed", BASE_DIR / "node_modules" / "vega-embed" / "build"),
    # Fonts the PDFs embed (Arabic and Latin), read from disk by WeasyPrint: no font is fetched.
    ("vendor/fonts", BASE_DIR / "node_modules" / "@fontsource"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Production collects static files once (hashed names, compressed); the demo and a developer's run
# serve them straight from the source folders, so `make demo` needs no collectstatic.
STATIC_FROM_SOURCE = env_bool("STATIC_FROM_SOURCE", DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", not STATIC_FROM_SOURCE)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = STATIC_FROM_SOURCE

# Content-Security-Policy: scripts and styles from the app's own files only. No inline script,
# handler or style attribute in the templates (behaviour lives in static files, e.g.
# data-autosubmit; a test scans them); no eval (Vega's expressions run through its interpreter,
# see charts.js); no <style> element (htmx, vega-embed and vega-tooltip are told not to add
# theirs: pilotage.css has their rules). Scripts may still set styles through the DOM (Bootstrap,
# Popper, Vega): the policy allows that. The API's Swagger page comes under it too (django-ninja
# starts it from a static file); the admin allows one library's exact style attribute (admin.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Browser features the platform never uses, refused to any page (and to what might be injected).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=()"
)

# Uploads: a request body larger than this is refused before Django reads it.
MAX_UPLOAD_SIZE = env_int("MAX_UPLOAD_SIZE", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Rows one import may carry (the national scale of DESIGN §9 is 100,000 deliveries a year).
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 200_000)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# The Ed25519 key that signs certificates' tokens (core/signing.py): PEM in SIGNING_KEY, or a file
# named by SIGNING_KEY_FILE; without either, one is generated here (demo, tests).
SIGNING_KEY = env("SIGNING_KEY")
GENERATED_SIGNING_KEY = Path(
    env("GENERATED_SIGNING_KEY", str(BASE_DIR / "var" / "signing-key.pem"))
)

# How long standards work usually stays in a stage before it shows as late (days); the public
# enquiry is late past its own closing date, a published standard past its five-year review.
STANDARD_STAGE_DAYS = {
    "proposal": 180, "programme": 365, "drafting": 365, "committee_draft": 180,
    "homologation": 120,
}  # fmt: skip

# A laboratory's accreditation is flagged this many days before it ends (renewal audit).
ACCREDITATION_WARNING_DAYS = env_int("ACCREDITATION_WARNING_DAYS", 90)
# A trainee completes a programme with at least this share of the cohort's hours attended and
# this assessment score out of 20 (the build-to-print protocol's rule, adjustable per deployment).
TRAINING_MIN_ATTENDANCE = Decimal(env("TRAINING_MIN_ATTENDANCE", "0.8"))
TRAINING_PASS_MARK = Decimal(env("TRAINING_PASS_MARK", "10"))

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH")  # for EMAIL_BACKEND=…filebased.EmailBackend
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Pilotage CTI <no-reply@pilotage-cti.example>")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("REDIS_URL"),
    }
    if env("REDIS_URL")
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cache_table",
        # Past this many rows the database cache drops a third of those still live: the default
        # (300) would drop the throttle's slots (and so loosen it) and the kept figures on a busy
        # day. The large rows, kept figures (~1 MB for a national plan), expire within the hour.
        "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 20_000)},
    }
}
# Figures kept in the cache (`core.figures`) are replaced as soon as their records change; this
# only bounds how long a worker killed between a commit and its cache write leaves them stale.
FIGURES_KEPT_SECONDS = int(env("FIGURES_KEPT_SECONDS", "3600"))

# Background work (e-mails now; imports and reports later). The database backend needs no extra
# service; `make demo` starts its worker. Scaled out, TASKS_BACKEND points at django-tasks-rq.
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# Scaled out: TASKS_BACKEND=django_tasks_rq.RQBackend, jobs in Redis (RQ_URL, else REDIS_URL), run
# by `manage.py rqworker --job-class django_tasks_rq.Job` (README, "Running it in production").
RQ_QUEUES = {
    "default": {
        "URL": env("RQ_URL") or env("REDIS_URL") or "redis://127.0.0.1:6379/0",
        "DEFAULT_TIMEOUT": env_int("RQ_JOB_TIMEOUT", 3600),  # a large import may run for minutes
    }
}
if TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]

# A running job (an import) writes a heartbeat at least this often; one silent for longer was
# abandoned by a dead worker and ends failed (pilotage/core/jobs.py).
JOB_LEASE_SECONDS = env_int("JOB_LEASE_SECONDS", 120)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True  # history is append-only, also in the admin

# Achievement bands of the scorecards: on track from 90 %, at risk from 70 %, else off track.
RESULTS_ON_TRACK = env("RESULTS_ON_TRACK", "0.9")
RESULTS_AT_RISK = env("RESULTS_AT_RISK", "0.7")

NINJA_PAGINATION_PER_PAGE = 50
# "NULLS NOT DISTINCT" uniqueness (one original target per year) is enforced by PostgreSQL, the
# production and CI database; the embedded SQLite demo cannot express it.
SILENCED_SYSTEM_CHECKS = [
    "models.W047",
    # axes warns when the network address is not part of the lockout key, since rotating user
    # agents or cookies would dodge it; our key, the account, neither rotates nor depends on where
    # the guesses come from (and does not lock out a whole office behind one address).
    "axes.W006",
]
NINJA_PAGINATION_MAX_LIMIT = 500

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# Shown in the language switcher and on pages; kept here so templates need no hard-coded names.
PLATFORM_NAME = _("Pilotage CTI")

# The licence the open data is published under (datapackage.json); the ministry may choose
# another: an entry of the Frictionless licence list (name, path, title).
OPEN_DATA_LICENCE = {
    "name": env("OPEN_DATA_LICENCE_NAME", "ODC-BY-1.0"),
    "path": env("OPEN_DATA_LICENCE_PATH", "https://opendatacommons.org/licenses/by/1-0/"),
    "title": env("OPEN_DATA_LICENCE_TITLE", "Open Data Commons Attribution License 1.0"),
}

# The watch list's thresholds (pilotage/dashboards/watch.py): a CTI whose paid share of its FACET
# allocation trails the plan's time elapsed by 25 points or more, or runs 25 points ahead of its
# indicators' average achievement; a year's quarters are assessed from 1 July (month-day).
WATCH_FACET_LAG = env("WATCH_FACET_LAG", "0.25")
WATCH_FACET_AHEAD = env("WATCH_FACET_AHEAD", "0.25")
WATCH_MID_YEAR = env("WATCH_MID_YEAR", "07-01")
# Benchmarking (pilotage/dashboards/benchmarks.py): the network's quartiles of a ratio are shown to
# users who may not read every CTI only when at least this many CTIs have the ratio.
BENCHMARK_MIN_CTIS = env_int("BENCHMARK_MIN_CTIS", 5)
