"""Amtsflow settings. Every value comes from the environment; `.env.example` documents each variable.

The defaults are the embedded set-up (SQLite, local files, eager background tasks), so a plain
checkout runs without any server. Production differs only through the environment.
"""

import json
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from amtsflow.conf.env import env_bool, env_int, env_list, env_path, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# A source checkout keeps its data in <checkout>/var wherever a command is started from (a command run from
# another directory must not quietly open an empty database with a new secret key); an installed package
# uses ./var of its working directory unless AMTSFLOW_DATA_DIR says otherwise.
_CHECKOUT = PACKAGE_DIR.parent.parent
_DEFAULT_DATA = _CHECKOUT / "var" if (_CHECKOUT / "manage.py").is_file() else Path.cwd() / "var"
DATA_DIR = env_path("AMTSFLOW_DATA_DIR", _DEFAULT_DATA)
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DJANGO_DEBUG", False)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data directory."""
    key = env_str("SECRET_KEY")
    if key:
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "mozilla_django_oidc",
    "pgtrigger",
    "amtsflow.core",
    "amtsflow.tenants",
    "amtsflow.audit",
    "amtsflow.files",
    "amtsflow.processes",
    "amtsflow.einvoices",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "amtsflow.core.logging.RequestLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "amtsflow.tenants.middleware.TenantContextMiddleware",
    "amtsflow.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "amtsflow.conf.urls"
WSGI_APPLICATION = "amtsflow.conf.wsgi.application"
AUTH_USER_MODEL = "tenants.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "amtsflow.core.context_processors.shell",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'amtsflow.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server, a worker and a shell share the file; IMMEDIATE transactions
    # take the write lock up front, so two concurrent writers queue instead of failing on the lock upgrade.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------------
OIDC_ENABLED = env_bool("AMTSFLOW_OIDC_ENABLED", False)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # must come first: refuses locked-out logins
    "django.contrib.auth.backends.ModelBackend",
]
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("amtsflow.tenants.oidc.AmtsflowOIDCBackend")

OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT")
OIDC_CREATE_USER = env_bool("AMTSFLOW_OIDC_CREATE_USER", True)
OIDC_PROVIDER_NAME = env_str("AMTSFLOW_OIDC_PROVIDER_NAME", "Single Sign-On")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "root"  # picks the user's municipality; there is no top-level URL named "home"
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/"  # mozilla-django-oidc redirects there as is (no reverse)
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("AMTSFLOW_PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lockout (django-axes): per user name and address, so one attacker cannot lock out everybody.
AXES_FAILURE_LIMIT = env_int("AMTSFLOW_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AMTSFLOW_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Session: idle timeout, renewed on every request.
SESSION_COOKIE_AGE = env_int("AMTSFLOW_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Transport security (HTTPS assumed unless AMTSFLOW_HTTPS=false, as in `make run`) ---------
HTTPS = env_bool("AMTSFLOW_HTTPS", True)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("AMTSFLOW_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("AMTSFLOW_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("AMTSFLOW_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy: own origin only, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", *env_list("AMTSFLOW_CSP_FORM_ACTION", [])],
    }
}

# --- Internationalisation: German first, English second ---------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]  # the page shell's assets, shared by all apps
STATIC_ROOT = env_path("AMTSFLOW_STATIC_ROOT", DATA_DIR / "static")
MEDIA_ROOT = env_path("AMTSFLOW_MEDIA_ROOT", DATA_DIR / "media")
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    # Document content (E-Akte blobs): local directory, or S3-compatible object storage.
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env_path("AMTSFLOW_DOCUMENT_ROOT", DATA_DIR / "documents")},
    },
}
if env_str("AMTSFLOW_S3_BUCKET"):
    STORAGES["documents"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AMTSFLOW_S3_BUCKET"),
            "endpoint_url": env_str("AMTSFLOW_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AMTSFLOW_S3_REGION") or None,
            "access_key": env_str("AMTSFLOW_S3_ACCESS_KEY") or None,
            "secret_key": env_str("AMTSFLOW_S3_SECRET_KEY") or None,
            "default_acl": None,
            "file_overwrite": False,
        },
    }
# Largest accepted document upload.
AMTSFLOW_MAX_UPLOAD_BYTES = env_int("AMTSFLOW_MAX_UPLOAD_BYTES", 100 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("AMTSFLOW_UPLOAD_MAX_MEMORY_BYTES", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

# --- Processes ------------------------------------------------------------------------------
# URL prefixes the http.call connector may reach; empty means none (tenant models must not reach the network).
AMTSFLOW_HTTP_ALLOWLIST = env_list("AMTSFLOW_HTTP_ALLOWLIST", [])
AMTSFLOW_HTTP_TIMEOUT = env_int("AMTSFLOW_HTTP_TIMEOUT", 10)

# --- E-invoices (XRechnung) -------------------------------------------------------------------
# Installed KoSIT validator-configuration releases (`manage.py install_xrechnung_rules ZIP`).
AMTSFLOW_XRECHNUNG_RULES_DIR = env_path("AMTSFLOW_XRECHNUNG_RULES_DIR", DATA_DIR / "xrechnung-rules")
# Largest e-invoice XML accepted for validation, and deepest element nesting (both refused above).
AMTSFLOW_EINVOICE_MAX_BYTES = env_int("AMTSFLOW_EINVOICE_MAX_BYTES", 20 * 1024 * 1024)
AMTSFLOW_EINVOICE_MAX_DEPTH = env_int("AMTSFLOW_EINVOICE_MAX_DEPTH", 100)


def _json_list(name: str) -> list:
    raw = env_str(name).strip()
    try:
        value = json.loads(raw) if raw else []
    except json.JSONDecodeError as exc:
        raise ValueError(f"{name}: expected a JSON list, {exc}") from exc
    if not isinstance(value, list):
        raise ValueError(f"{name}: expected a JSON list")
    return value


# Mailboxes polled for incoming e-invoices, as a JSON list of objects with the fields of
# amtsflow.einvoices.mailbox.MailboxConfig, e.g. [{"name": "rechnungen", "host": "imap.example.de",
# "username": "rechnung@example.de", "password_env": "RECHNUNG_IMAP_PASSWORD", "tenant": "musterstadt"}]
# ("password_env" names the variable holding the password). Empty: no mailbox is polled.
AMTSFLOW_INVOICE_MAILBOXES = _json_list("AMTSFLOW_INVOICE_MAILBOXES")

# --- Mail -------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "amtsflow@localhost")
# Public address of this installation, used in links sent by e-mail.
BASE_URL = env_str("AMTSFLOW_BASE_URL", "http://127.0.0.1:8000")

# --- Background work (Celery) -----------------------------------------------------------------
_broker = env_str("CELERY_BROKER_URL")
# No broker configured: run tasks in-process so the embedded set-up needs no server.
CELERY_BROKER_URL = _broker or "memory://"
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", _broker or "cache+memory://")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not _broker)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Process timers and incident retries; `manage.py run_timers` does the same without beat.
CELERY_BEAT_SCHEDULE = {
    "process-clock": {"task": "amtsflow.processes.tasks.tick", "schedule": env_int("AMTSFLOW_TIMER_INTERVAL", 30)},
    "invoice-mailboxes": {
        "task": "amtsflow.einvoices.tasks.poll_mailboxes",
        "schedule": env_int("AMTSFLOW_INVOICE_MAIL_INTERVAL", 120),
    },
}

# --- REST API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["amtsflow.tenants.api.authentication.ApiClientAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["amtsflow.tenants.api.permissions.HasRequiredScope"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "amtsflow.core.api.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Amtsflow API",
    "DESCRIPTION": "REST API of Amtsflow. Authenticate with an API client token: `Authorization: Token <token>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OrgUnitKindEnum": "amtsflow.tenants.constants.OrgUnitKind",
        "PartyKindEnum": "amtsflow.files.constants.PartyKind",
        "DisposalActionEnum": "amtsflow.files.constants.DisposalAction",
        "VorgangStatusEnum": "amtsflow.files.constants.VorgangStatus",
        "TaskStateEnum": "amtsflow.processes.constants.TaskState",
        "InstanceStatusEnum": "amtsflow.processes.constants.InstanceStatus",
        "IncidentStateEnum": "amtsflow.processes.constants.IncidentState",
        "SearchKindEnum": ["akte", "vorgang", "document"],
        "InvoiceStateEnum": "amtsflow.einvoices.models.InvoiceState",
        "InvoiceValidityEnum": "amtsflow.einvoices.models.Validity",
        "ReceiptStateEnum": "amtsflow.einvoices.models.ReceiptState",
        "InvoiceChannelEnum": "amtsflow.einvoices.models.Channel",
    },
}

# --- Logging: one JSON object per line in production, readable lines in development -----------
LOG_FORMAT = env_str("AMTSFLOW_LOG_FORMAT", "json")
LOG_LEVEL = env_str("AMTSFLOW_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "console": {"format": "%(asctime)s %(levelname)-7s %(name)s: %(message)s"},
    },
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
        # In-process tasks have no broker host; kombu's warning about it says nothing then.
        "kombu.connection": {"level": "ERROR" if CELERY_TASK_ALWAYS_EAGER else "WARNING"},
        # SpiffWorkflow logs every task state change at INFO; the event log keeps what matters.
        "spiff": {"level": "WARNING"},
        # fpdf2 subsets fonts through fontTools, which logs every table it touches at INFO.
        "fontTools": {"level": "WARNING"},
    },
}
