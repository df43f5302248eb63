"""Project settings, read from the environment (see docs/operations.md).

A fresh checkout runs on SQLite, the in-memory channel layer and the local-memory
cache. ``DATABASE_URL`` switches to PostgreSQL and ``REDIS_URL`` to Redis for the
cache and the channel layer.
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from backend.env import env_bool, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("TESTING", False)

_DEV_SECRET = "dev-only-insecure-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105 - used only with DEBUG or TESTING on
SECRET_KEY = env_str("SECRET_KEY") or (_DEV_SECRET if (DEBUG or TESTING) else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if (DEBUG or TESTING) else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Browser origins allowed to open the WebSocket. Native apps send no Origin header.
WEBSOCKET_ALLOWED_ORIGINS = env_list("WEBSOCKET_ALLOWED_ORIGINS", CSRF_TRUSTED_ORIGINS)
BENCH_BARE_VIEW = env_bool("BENCH_BARE_VIEW", False)  # exposes /bench/bare/ for benchmarks only
PUBLIC_BASE_URL = env_url("PUBLIC_BASE_URL", schemes=("http", "https")) or "http://127.0.0.1:8000"

# Lets staff read case data without a second factor in the local demo only.
# A system check refuses it with DEBUG off.
DEMO_RELAX_MFA = env_bool("DEMO_RELAX_MFA", False)
if DEMO_RELAX_MFA and not DEBUG:
    raise ImproperlyConfigured("DEMO_RELAX_MFA cannot be on with DEBUG off: it is for the local demo only")

INSTALLED_APPS = [
    "daphne",
    "backend.apps.MFAAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.headless",
    "auditlog",
    "django_tasks",
    "django_tasks_db",
    "core",
    "accounts",
    "audit",
    "cases",
    "notifications",
    "api.peer",
    "api.wellbeing",
    "schools",
    "transitions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "audit.middleware.AuditContextMiddleware",
]

ROOT_URLCONF = "backend.urls"
WSGI_APPLICATION = "backend.wsgi.application"
ASGI_APPLICATION = "backend.asgi.application"

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
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASE_URL = env_url("DATABASE_URL", schemes=("postgres", "postgresql", "sqlite"))
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(VAR_DIR / "db.sqlite3")),
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),  # reuse connections: each open re-runs the PRAGMAs
            "OPTIONS": {
                # WAL lets the web process read while the task worker writes; IMMEDIATE
                # takes the write lock at BEGIN, so two writers queue on busy_timeout
                # instead of failing half-way with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and channel layer -----------------------------------------------------
REDIS_URL = env_url("REDIS_URL", schemes=("redis", "rediss", "unix"))
# --- Redis faults (begin): timeouts and the fallback while Redis is unreachable ---------
# See docs/operations.md. The cache falls back to process memory while Redis is down; the
# channel layer's socket timeout stays above channels-redis's 5 s listen wait.
REDIS_CONNECT_TIMEOUT = env_int("REDIS_CONNECT_TIMEOUT", 2, minimum=1)
REDIS_CACHE_TIMEOUT = env_int("REDIS_CACHE_TIMEOUT", 2, minimum=1)
REDIS_RETRY_SECONDS = env_int("REDIS_RETRY_SECONDS", 10, minimum=1)
CHANNEL_LAYER_SOCKET_TIMEOUT = env_int("CHANNEL_LAYER_SOCKET_TIMEOUT", 30, minimum=10)
# --- Redis faults (end) ------------------------------------------------------------------
if REDIS_URL:
    from core.redis import cache_settings, channel_layer_settings

    CACHES: dict[str, dict[str, Any]] = {
        "default": cache_settings(
            REDIS_URL,
            connect_timeout=REDIS_CONNECT_TIMEOUT,
            socket_timeout=REDIS_CACHE_TIMEOUT,
            retry_seconds=REDIS_RETRY_SECONDS,
        )
    }
    CHANNEL_LAYERS: dict[str, dict[str, Any]] = {
        "default": channel_layer_settings(
            REDIS_URL,
            prefix=env_str("CHANNEL_PREFIX", "yc"),
            connect_timeout=REDIS_CONNECT_TIMEOUT,
            socket_timeout=CHANNEL_LAYER_SOCKET_TIMEOUT,
        )
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Background tasks -----------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A task claimed by a worker that has not finished after this long is presumed
# orphaned by a dead worker and is made ready again.
TASK_LEASE_SECONDS = env_int("TASK_LEASE_SECONDS", 600, minimum=30)
# --- Push delivery faults (begin) ---------------------------------------------------------
# A push claimed this long ago by a worker that died is sent again (and its task re-run):
# longer than one FCM call can take (two 30 s timeouts), far shorter than the general lease.
PUSH_LEASE_SECONDS = env_int("PUSH_LEASE_SECONDS", 90, minimum=10)
# Urgent pushes (alerts, short-notice cancellations) back off to at most this between tries.
PUSH_URGENT_RETRY_CAP_SECONDS = env_int("PUSH_URGENT_RETRY_CAP_SECONDS", 30, minimum=1)
# --- Push delivery faults (end) -----------------------------------------------------------

# --- Safeguarding alert escalation (begin; api/wellbeing, docs/wellbeing.md) ---------------
ALERT_ESCALATION_MINUTES = env_int("ALERT_ESCALATION_MINUTES", 30, minimum=1)  # raised -> managers, and again
ALERT_MAX_ESCALATIONS = env_int("ALERT_MAX_ESCALATIONS", 2, minimum=1)
ALERT_REMINDER_MINUTES = env_int("ALERT_REMINDER_MINUTES", 60, minimum=5)  # then until someone acknowledges
# --- Safeguarding alert escalation (end) ---------------------------------------------------

# --- Auth -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/admin/"

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.InvitationSignupForm"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"  # the invitation went to a known address
ACCOUNT_PREVENT_ENUMERATION = True  # sign-up and password reset never say whether an address has an account
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # Failed sign-ins: per real client address, per account from one address (accounts.adapter), and
    # per account from anywhere (looser, so a stranger cannot lock a worker out quickly).
    "login_failed": "10/m/ip,5/5m/key",
    "login_failed_account": "30/h/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Riverside Young Carers"

HEADLESS_ONLY = False
HEADLESS_CLIENTS = ("app", "browser")
HEADLESS_SERVE_SPECIFICATION = True
HEADLESS_TOKEN_STRATEGY = "accounts.tokens.TokenStrategy"  # noqa: S105 - allauth JWT, with the MFA claim and reuse detection
HEADLESS_JWT_ALGORITHM = "RS256"
HEADLESS_JWT_ACCESS_TOKEN_EXPIRES_IN = env_int("JWT_ACCESS_TOKEN_SECONDS", 300, minimum=30)
HEADLESS_JWT_REFRESH_TOKEN_EXPIRES_IN = env_int("JWT_REFRESH_TOKEN_SECONDS", 60 * 60 * 24 * 30, minimum=300)
HEADLESS_JWT_ROTATE_REFRESH_TOKEN = True
HEADLESS_JWT_STATEFUL_VALIDATION_ENABLED = True  # sign-out revokes access tokens at once
HEADLESS_FRONTEND_URLS = {
    "account_reset_password_from_key": PUBLIC_BASE_URL + "/app/reset-password/{key}",
    "account_signup": PUBLIC_BASE_URL + "/app/signup",
}


def _jwt_private_key() -> str:
    key = env_str("JWT_PRIVATE_KEY")
    if key:
        return key
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("JWT_PRIVATE_KEY (or JWT_PRIVATE_KEY_FILE) must be set when DEBUG is off")
    from backend.devkeys import development_jwt_key

    return development_jwt_key(VAR_DIR)


HEADLESS_JWT_PRIVATE_KEY = _jwt_private_key()

INVITATION_TTL = timedelta(days=env_int("INVITATION_TTL_DAYS", 14, minimum=1))

# --- REST API -------------------------------------------------------------------------
REST_FRAMEWORK: dict[str, Any] = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.SessionTokenAuthentication",
        "accounts.authentication.JWTAuthentication",
        "accounts.authentication.BrowserSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["core.filter_backends.StrictFilterBackend"],  # unreadable filter values are 400s
    "DEFAULT_PAGINATION_CLASS": "core.pagination.PageNumberPagination",
    "DEFAULT_SCHEMA_CLASS": "core.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "core.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON only: the upload endpoints declare multipart themselves (schools.apis.UPLOADS).
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_RATES": {"anonymous_form": "10/hour", "burst": "120/min"},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append("rest_framework.renderers.BrowsableAPIRenderer")

SPECTACULAR_SETTINGS = {
    "TITLE": "Young carers API",
    "DESCRIPTION": "The API behind the young carers' app, the schools module and the workers' portal. "
    "Sign-in, sign-up and MFA are served by allauth headless: see /_allauth/openapi.html.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # One name per choice set, so every "status" or "kind" enum in the schema says whose it is.
    "ENUM_NAME_OVERRIDES": {
        "AlertActionEnum": "api.wellbeing.models.Alert.Action",
        "AlertReasonEnum": "api.wellbeing.models.Alert.Reason",
        "AlertSeverityEnum": "api.wellbeing.models.Alert.Severity",
        "AlertStatusEnum": "api.wellbeing.models.Alert.Status",
        "AssignmentReasonEnum": "api.wellbeing.models.Assignment.Reason",
        "AssignmentStatusEnum": "api.wellbeing.models.Assignment.Status",
        "AttendanceSourceEnum": "api.peer.models.Attendance.Source",
        "AttendanceStatusEnum": "api.peer.models.Attendance.Status",
        "AwardLevelEnum": "schools.models.AwardLevel",
        "BookingStatusEnum": "api.peer.models.Booking.Status",
        "CaringRoleConditionEnum": "cases.models.CaringRole.Condition",
        "CaringRoleRelationshipEnum": "cases.models.CaringRole.Relationship",
        "CaringRoleTaskEnum": "cases.models.CaringRole.Task",
        "NotificationCategoryEnum": "notifications.kinds.Category",
        "ConsentBasisEnum": "cases.models.Consent.Basis",
        "ConsentSubjectEnum": "cases.models.Consent.Subject",
        "DeliveryAttemptOutcomeEnum": "notifications.models.DeliveryAttempt.Outcome",
        "DeliveryStatusEnum": "notifications.models.Delivery.Status",
        "TransitionEligibilityEnum": "transitions.models.Eligibility",
        "EventKindEnum": "api.peer.models.Event.Kind",
        "ScheduledStatusEnum": "api.peer.models.Event.Status",  # sessions share these values
        "GroupMembershipStatusEnum": "api.peer.models.GroupMembership.Status",
        "HandoverBasisEnum": "transitions.models.Handover.Basis",
        "HandoverStatusEnum": "transitions.models.Handover.Status",
        "InvitationKindEnum": "accounts.models.Invitation.Kind",
        "MilestoneKindEnum": "transitions.models.Milestone.Kind",
        "NotificationPushEnum": "notifications.models.Notification.Push",
        "OrganisationKindEnum": "accounts.models.Organisation.Kind",
        "TransitionOutcomeEnum": "transitions.models.Outcome",
        "SchoolPhaseEnum": "schools.models.Phase",
        "DevicePlatformEnum": "notifications.models.Platform",
        "PresentationAudienceEnum": "schools.models.Presentation.Audience",
        "PresentationStatusEnum": "schools.models.Presentation.Status",
        "ReferralAttachmentKindEnum": "schools.models.ReferralAttachment.Kind",
        "ReferralImpactEnum": "schools.models.Referral.Impact",
        "ReferralParentBasisEnum": "schools.models.Referral.ParentBasis",
        "ReferralStatusEnum": "schools.models.Referral.Status",
        "RiskPhraseCategoryEnum": "api.wellbeing.models.RiskPhrase.Category",
        "RoleEnum": "accounts.models.Role",
        "SelfIdentificationStatusEnum": "schools.models.SelfIdentification.Status",
        "YoungCarersStandardEnum": "schools.models.Standard",
        "StandardProgressStatusEnum": "schools.models.StandardProgress.Status",
        "TransitionStateEnum": "transitions.models.State",
        "ToolkitResourceAudienceEnum": "schools.models.ToolkitResource.Audience",
        "ToolkitResourceCategoryEnum": "schools.models.ToolkitResource.Category",
        "YearGroupEnum": "schools.models.YearGroup",
        "YoungCarerClosedReasonEnum": "cases.models.YoungCarer.ClosedReason",
        "YoungCarerStatusEnum": "cases.models.YoungCarer.Status",
    },
    "APPEND_COMPONENTS": {
        "securitySchemes": {
            "sessionToken": {"type": "apiKey", "in": "header", "name": "X-Session-Token"},
            "jwt": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
        }
    },
    "SECURITY": [{"sessionToken": []}, {"jwt": []}],
    "AUTHENTICATION_WHITELIST": [],
}

IDEMPOTENCY_KEY_TTL = timedelta(hours=24)
IDEMPOTENCY_LOCK_SECONDS = 60

# --- Audit ------------------------------------------------------------------------------
AUDITLOG_LOGENTRY_MODEL = "audit.AuditEntry"
# auditlog's own LogEntry is swapped for audit.AuditEntry, so its migrations (which would
# create an unused table pointing at content types) are not run.
MIGRATION_MODULES = {"auditlog": None}
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

# --- i18n -------------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private-media")))
STORAGES = {
    # Uploaded files (consent forms, attachments) are private: no MEDIA_URL serves them;
    # each download goes through a view that checks access first.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": MEDIA_ROOT}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Riverside Young Carers <no-reply@localhost>")

# --- Push notifications -------------------------------------------------------------
PUSH_TRANSPORT = env_str("PUSH_TRANSPORT", "log")
FCM_CREDENTIALS = env_str("FCM_CREDENTIALS")  # service account JSON, or FCM_CREDENTIALS_FILE
FCM_PROJECT_ID = env_str("FCM_PROJECT_ID")
FCM_ENDPOINT = env_url("FCM_ENDPOINT", schemes=("http", "https"))  # tests point this at the fake server
if PUSH_TRANSPORT not in {"log", "fcm"}:
    raise ImproperlyConfigured(f"PUSH_TRANSPORT must be 'log' or 'fcm', got {PUSH_TRANSPORT!r}")

# --- Security (production) ---------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^ready/$"]

# --- Sign-in, sessions, proxies and headers (docs/security.md, docs/operations.md) ------------
# Reverse proxies whose X-Forwarded-For we believe (addresses or CIDRs, comma-separated).
# Empty: the header is ignored and the connection address is the client (core.clientip).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {exc}") from exc
# A staff session (browser, app session token or JWT) unused this long ends (accounts.sessions).
STAFF_IDLE_TIMEOUT_MINUTES = env_int("STAFF_IDLE_TIMEOUT_MINUTES", 30, minimum=1)

INSTALLED_APPS.append("csp")
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "accounts.middleware.BrowserSessionMiddleware",
)
MIDDLEWARE.insert(1, "csp.middleware.CSPMiddleware")
MIDDLEWARE.insert(2, "core.middleware.SecurityHeadersMiddleware")

# The allauth API spec page, served from Swagger UI in drf-spectacular-sidecar (no CDN).
HEADLESS_SPECIFICATION_TEMPLATE_NAME = "accounts/allauth_openapi.html"
# No inline script anywhere (the docs pages load theirs from /static/). Inline styles are allowed:
# the admin, Swagger UI and the consent page set them, and they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Nothing here needs the camera, microphone, location or payments (core.middleware).
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "interest-cohort=(), browsing-topics=(), display-capture=(), fullscreen=(self)"
)
# Responses under these paths hold personal data: never stored by a browser or a proxy.
NO_STORE_PATH_PREFIXES = ("/api/", "/_allauth/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "daphne": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},  # one line per push otherwise
    },
}
