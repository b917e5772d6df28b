"""Gongkai settings. Every value comes from the environment, with safe local defaults.

Environment variables: DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS, GONGKAI_VAR_DIR,
TIME_ZONE, EMAIL_URL, TASKS_BACKEND, REDIS_URL, CACHE_URL, CSRF_TRUSTED_ORIGINS,
SECURE_SSL_REDIRECT, FIELD_ENCRYPTION_KEYS, FIELD_HASH_KEY, FIELD_HASH_KEYS_PREVIOUS,
PUBLIC_PAGE_CACHE_SECONDS, PUBLIC_PAGE_GENERATION_SECONDS, MEDIA_QUARANTINE_DAYS,
DATABASE_CONN_MAX_AGE (and the others read below).
"""

import base64
import os
import secrets
from collections.abc import Callable
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent  # the gongkai package
REPO_DIR = BASE_DIR.parent

env = environ.Env()


def _default_var_dir() -> Path:
    """var/ beside the code in a source checkout; the user's data directory for an installed wheel."""
    if (REPO_DIR / "pyproject.toml").exists() and (REPO_DIR / "manage.py").exists():
        return REPO_DIR / "var"
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "gongkai"


# Everything the platform writes (SQLite file, uploads, search index, local keys) lives here.
VAR_DIR = Path(env.str("GONGKAI_VAR_DIR", default="") or _default_var_dir())
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _local_secret_key() -> str:
    """Return the secret key stored under var/, creating it on first use (local use only)."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="") or _local_secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])


def _local_key_file(name: str, make: Callable[[], str]) -> list[str]:
    """Return the lines of var/NAME, writing ``make()`` there first if absent (local use only).

    Created with a hard link from a private temporary file, so that several processes starting
    at once all end up with the same key.
    """
    path = VAR_DIR / name
    if not path.exists():
        tmp = VAR_DIR / f".{name}.{secrets.token_hex(8)}"
        tmp.write_text(make() + "\n")
        tmp.chmod(0o600)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return [line.strip() for line in path.read_text().splitlines() if line.strip()]


# Applicants' ID and phone numbers are encrypted at rest (gongkai/core/crypto.py): Fernet keys,
# newest first, comma-separated; and the separate HMAC key of their exact-match lookup hashes.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[]) or _local_key_file(
    "field_keys", lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
)
FIELD_HASH_KEY = (
    env.str("FIELD_HASH_KEY", default="")
    or _local_key_file("field_hash_key", lambda: secrets.token_urlsafe(48))[0]
)
# While the hash key is changed: the old key(s), comma-separated, accepted by exact-match lookups
# until `gongkai keys rehash` has recomputed every hash under FIELD_HASH_KEY (docs/security.md).
FIELD_HASH_KEYS_PREVIOUS = env.list("FIELD_HASH_KEYS_PREVIOUS", default=[])

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'gongkai.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if env.str("DATABASE_REPLICA_URL", default=""):
    # A read replica for the public portal's reads (see gongkai/core/db_router.py).
    DATABASES["replica"] = env.db_url("DATABASE_REPLICA_URL")
DATABASE_ROUTERS = ["gongkai.core.db_router.PrimaryReplicaRouter"]
# Each server thread keeps its database connection between requests (checked before reuse):
# opening a PostgreSQL connection per request cost a new server process and several round trips
# (docs/performance.md, portal reads). DATABASE_CONN_MAX_AGE=0 opens one per request again.
for _alias in DATABASES:
    DATABASES[_alias].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES[_alias].setdefault("CONN_HEALTH_CHECKS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the worker share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "gongkai.core",
    "gongkai.accounts",
    "gongkai.agencies",
    "gongkai.workcalendar",
    "gongkai.applications",
    "gongkai.letters",
    "gongkai.reports",
    "gongkai.search",
    "gongkai.catalog",
    "gongkai.portal",
    "gongkai.notifications",
    "gongkai.api",
    "gongkai.ledger",
    "gongkai.responses",
    "gongkai.gazette",
    "gongkai.engagement",
    "gongkai.supervision",
    "gongkai.stats",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "gongkai.core.middleware.SecurityHeadersMiddleware",
    "gongkai.core.middleware.BadInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "gongkai.core.middleware.RequestContextMiddleware",
    "gongkai.accounts.middleware.StaffSecurityMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gongkai.urls"
WSGI_APPLICATION = "gongkai.wsgi.application"

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
                "gongkai.core.context_processors.platform",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "gongkai.accounts.password_validation.CharacterClassesValidator"},
]
# Staff security (等保 2.0 level 3): second factor, password age, idle sessions.
# GONGKAI_DEMO marks the demo instance that `make run` serves on this machine: its demo logins
# work with the password alone and the login page says so (never in production: prod-check).
GONGKAI_DEMO = env.bool("GONGKAI_DEMO", default=False)
GONGKAI_REQUIRE_2FA = env.bool("GONGKAI_REQUIRE_2FA", default=not (DEBUG or GONGKAI_DEMO))
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=90)
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Gongkai")
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes): lock a username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]  # platform-wide strings (apps keep their own)
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
# Uploaded files live outside the web root; they are only ever served through views
# that check permissions.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Background tasks: the database queue (`gongkai db_worker`) by default, or Redis through RQ with
# TASKS_BACKEND=django_tasks_rq.RQBackend and REDIS_URL (pip install 'gongkai[redis]', then
# `gongkai rqworker`; docs/deploy.md §8). TASK_QUEUES lists every queue_name our tasks use.
TASK_QUEUES = ["default"]
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": TASK_QUEUES,
    }
}
if TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
    # RQ kills a job after DEFAULT_TIMEOUT seconds; report roll-ups and imports may take long.
    RQ_QUEUES = {
        name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": env.int("RQ_JOB_TIMEOUT", default=3600)}
        for name in TASK_QUEUES
    }

# The cache holds rate-limit counters and API replay keys, so production needs one shared by
# every server process: CACHE_URL=redis://host:6379/1 (Django's RedisCache, from the redis
# extra) or dbcache://gongkai_cache (after `gongkai createcachetable`). Default: per process.
_CACHE_URL = env.str("CACHE_URL", default="locmemcache://")
CACHES = {
    "default": env.cache_url_config(
        _CACHE_URL,
        backend=(
            "django.core.cache.backends.redis.RedisCache"
            if _CACHE_URL.startswith(("redis://", "rediss://"))
            else None
        ),
    )
}

# Anonymous visitors' public catalogue and search pages are served from the cache for this many
# seconds (0 = off); changes to catalogue items and agencies make them stale at once where the
# cache is shared (gongkai/core/pagecache.py).
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=15)
# A process reads the shared generation of public content at most this often (seconds, 0 = on
# every request): a change made in another process reaches its pages within it (decision 1805).
PUBLIC_PAGE_GENERATION_SECONDS = env.float("PUBLIC_PAGE_GENERATION_SECONDS", default=1.0)
# Days the media sweep keeps quarantined orphan files (VAR_DIR/orphans/<date>/); 0 = for ever.
MEDIA_QUARANTINE_DAYS = env.int("MEDIA_QUARANTINE_DAYS", default=30)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="gongkai@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "gongkai.core.logging.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env.str("LOG_FORMAT", default="plain"),
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Platform identity shown in the portal header and the government-site meta tags.
PLATFORM_NAME = env.str("PLATFORM_NAME", default="政府信息公开平台")
PLATFORM_SITE_ID = env.str("PLATFORM_SITE_ID", default="")

# Catalogue (主动公开). The 索引号 pattern may use {org_code} (9-character 组织机构代码),
# {credit_code}, {division} (6-digit area code from the credit code), {year} and {serial}.
CATALOG_INDEX_NUMBER_PATTERN = env.str(
    "CATALOG_INDEX_NUMBER_PATTERN", default="{org_code}/{year}-{serial:05d}"
)
CATALOG_ATTACHMENT_MAX_BYTES = env.int("CATALOG_ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
# Response documents (答复材料): size and page limits of one file, office → PDF conversion by
# LibreOffice (the binary, and seconds before a conversion is killed), resolution of redacted
# pages. See docs/decisions/1701-redaction-engine.md.
RESPONSE_FILE_MAX_BYTES = env.int("RESPONSE_FILE_MAX_BYTES", default=50 * 1024 * 1024)
RESPONSE_MAX_PAGES = env.int("RESPONSE_MAX_PAGES", default=2000)
RESPONSE_SOFFICE = env.str("RESPONSE_SOFFICE", default="soffice")
RESPONSE_CONVERT_TIMEOUT = env.int("RESPONSE_CONVERT_TIMEOUT", default=120)
RESPONSE_REDACTION_DPI = env.int("RESPONSE_REDACTION_DPI", default=200)
# Require a 政策解读 before a 行政规范性文件 may be approved.
CATALOG_REQUIRE_INTERPRETATION = env.bool("CATALOG_REQUIRE_INTERPRETATION", default=False)

# Search engine: "tantivy" (embedded index under VAR_DIR/search, kept current from the
# database's outbox on every server) or "postgres" (PostgreSQL full-text search).
SEARCH_BACKEND = env.str("SEARCH_BACKEND", default="tantivy")
