"""Settings for Aluna, read from the environment (django-environ).

One module for every environment. Without DATABASE_URL the app uses an SQLite
file under var/; without REDIS_URL Celery tasks run in-process. Production is
whatever runs with DEBUG off: it refuses to start without a SECRET_KEY.
"""

import ipaddress
import secrets
import sys
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
# Under pytest the dev-style keys in var/ are fine; production never imports pytest.
TESTING = env.bool("ALUNA_TESTING", default="pytest" in sys.modules)


def _secret_key() -> str:
    key = env.str("SECRET_KEY", default="")
    if key:
        return key
    if not DEBUG and not TESTING:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. In production set SECRET_KEY in the environment "
            "(50+ random characters); for local development set DEBUG=true."
        )
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Our own reverse proxies (addresses or networks, e.g. "10.0.0.5,172.18.0.0/16").
# Only a request whose peer is one of them has its X-Forwarded-For read (see
# aluna/core/client_address.py); empty, the client is REMOTE_ADDR and the header
# is ignored, so nobody can choose the address their login failures count on.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an address") from _error

INSTALLED_APPS = [
    # Shared apps (aluna imports no domain app)
    "aluna.accounts",
    "aluna.audit",
    "aluna.encryption",
    "aluna.notifications",
    "aluna.pdf",
    "aluna.outbox",
    "aluna.core",
    # Domain apps: accompaniment is the hub
    "accompaniment",
    "crisis",
    "security",
    "training",
    "advocacy",
    # Django and third parties
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
]
if TESTING:
    # A tiny app whose model exercises the encrypted fields and blind index.
    INSTALLED_APPS += ["tests.encryption_app"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "aluna.core.middleware.RequestIdMiddleware",
    # Above sessions and auth: a database outage while loading them is a 503 too.
    "aluna.core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "aluna.accounts.middleware.SessionTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "aluna.accounts.middleware.RequireTwoFactorMiddleware",
    "aluna.accounts.middleware.RequirePasskeyMiddleware",
    "aluna.audit.middleware.AuditDenialMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "aluna.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "aluna.urls"
CSRF_FAILURE_VIEW = "aluna.core.views.csrf_failure"
WSGI_APPLICATION = "aluna.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aluna.core.context_processors.navigation",
                "aluna.core.offline.offline",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'aluna.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A form's select iterates its queryset with .iterator(): on PostgreSQL a server-side
    # cursor (DECLARE ... WITH HOLD, FETCH, CLOSE: three round trips and a materialised
    # result) for a catalogue of a few dozen rows, on every page with a filter form. The
    # project never streams a large result through .iterator(), so fetch client-side.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    # The database lives on SSD (or in RAM): PostgreSQL's default random_page_cost of 4
    # prices an index lookup for a spinning disk, so it scanned all 20,000 processes to
    # find an accompanier's 280 (subject list: 16 ms -> 1.6 ms at 1.1, the usual SSD value).
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _pg_options["options"] = " ".join(
        filter(
            None,
            [
                _pg_options.get("options", ""),
                f"-c random_page_cost={env.float('PG_RANDOM_PAGE_COST', default=1.1)}",
            ],
        )
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery --------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "aluna.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="aluna"),
            # A stopped or frozen Redis fails a cache call in a second or two
            # instead of holding the request (as the broker options below), and the
            # backend treats that failure as a miss (aluna/core/cache.py).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    # No Redis: run tasks in-process so the embedded demo works on its own.
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="aluna")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "America/Mexico_City"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A message whose worker died unacknowledged goes back to its queue after
    # this many seconds; keep it above the longest task (tests use a few seconds).
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=300),
    # A stopped or frozen Redis fails a publish within about two seconds instead
    # of holding the request: the task waits in the outbox (aluna/outbox).
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
}
# Periodic work lives here, not in the database (django-celery-beat does not
# support Django 6.1). Apps add their entries as they land.
CELERY_BEAT_SCHEDULE = {
    "outbox-dispatch": {
        "task": "aluna.outbox.dispatch",
        "schedule": 15.0,
        # A run that waited longer than its period is superseded by the next one.
        "options": {"expires": 14},
    },
    "accompaniment-follow-up-reminders": {
        "task": "accompaniment.tasks.send_follow_up_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # The audit chain's head, to a sink outside the database (aluna/audit/anchor.py).
    "audit-anchor": {"task": "aluna.audit.anchor", "schedule": 60.0, "options": {"expires": 55}},
    "crisis-escalate": {"task": "crisis.escalate", "schedule": 60.0},
    "crisis-follow-up-reminders": {
        "task": "crisis.remind_follow_ups",
        "schedule": crontab(minute="*/5"),
    },
    "advocacy-report-due-reminders": {
        "task": "advocacy.tasks.send_report_due_reminders",
        "schedule": crontab(hour=7, minute=10),
    },
    "training-follow-up-reminders": {
        "task": "training.tasks.send_training_follow_up_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    "security-overdue-checkins": {
        "task": "security.tasks.check_overdue_checkins",
        "schedule": 60.0,
    },
    "security-purge-closed-checkins": {
        "task": "security.tasks.purge_closed_checkins",
        "schedule": crontab(hour=3, minute=15),
    },
    "security-measure-expiry-reminders": {
        "task": "security.tasks.send_measure_expiry_reminders",
        "schedule": crontab(hour=7, minute=5),
    },
    "security-plan-review-reminders": {
        "task": "security.tasks.send_plan_review_reminders",
        "schedule": crontab(hour=7, minute=10),
    },
}
# Check-ins: grace before the alert chain starts, delay between contacts, and
# how long a closed check-in is kept (data minimisation).
CHECKIN_GRACE_MINUTES = env.int("CHECKIN_GRACE_MINUTES", default=30)
CHECKIN_ALERT_STEP_MINUTES = env.int("CHECKIN_ALERT_STEP_MINUTES", default=15)
CHECKIN_RETENTION_DAYS = env.int("CHECKIN_RETENTION_DAYS", default=30)

# --- Crisis response ------------------------------------------------------------------
# Unacknowledged alerts for risk alto/crítico escalate after this many minutes.
CRISIS_ESCALATION_MINUTES = env.int("CRISIS_ESCALATION_MINUTES", default=30)
# Follow-up contacts after a crisis, in hours: +24 h, +72 h, +7 days.
CRISIS_FOLLOW_UP_HOURS = env.list("CRISIS_FOLLOW_UP_HOURS", cast=int, default=[24, 72, 168])

# --- Auth -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
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
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "aluna.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_RATE_LIMITS = {
    # Failed logins are counted per account (the e-mail typed, known or not: 5 in
    # 15 minutes, then that account waits until the first of them is 15 minutes
    # old) and per client address with a much higher limit, against spraying one
    # password over many accounts (10 a minute, 30 in 15 minutes). A refused try
    # counts nowhere (AccountAdapter.pre_authenticate): one person's lockout never
    # spends the limit of the office they share an address with.
    "login_failed": "10/1m/ip,30/15m/ip,5/15m/key",
    "reset_password": "5/15m/ip,3/15m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Aluna] "
MFA_ADAPTER = "aluna.accounts.mfa_adapter.MFAAdapter"
# Passkeys and security keys (WebAuthn) beside the authenticator app; administración
# and coordinación must add one once the deadline an administrator sets has passed
# (accounts.SecurityPolicy, RequirePasskeyMiddleware). They are a second factor
# after the password, not a way to skip it.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_USER_VERIFICATION = "preferred"
MFA_FORMS = {"add_webauthn": "aluna.accounts.forms.AddPasskeyForm"}
MFA_TOTP_ISSUER = "Aluna"
MFA_RECOVERY_CODE_COUNT = 10
# Accept the code of the previous or next 30-second period too: phones' clocks drift.
MFA_TOTP_TOLERANCE = 1
# The demo may switch the second factor off, and only when DEBUG is on.
MFA_REQUIRED = not (DEBUG and env.bool("DEMO_SKIP_MFA", default=False))

# --- Sessions and cookies ---------------------------------------------------------
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=15 * 60)
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE = env.bool("SECURE_COOKIES", default=not DEBUG and not TESTING)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
LANGUAGE_COOKIE_SECURE = SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Security headers -------------------------------------------------------------
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    # The service worker and the web app manifest come from this site only.
    "worker-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG and not TESTING)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "interest-cohort=(), accelerometer=(), gyroscope=(), magnetometer=()"
)

# --- Encryption and audit keys ----------------------------------------------------
# Comma-separated base64 keys (32 bytes each): the first encrypts, all decrypt.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
# Encrypted values are bound to their row (aluna/encryption/fields.py). Values
# written before that still decrypt while this is on; once `manage.py
# bind_encrypted_rows` reports 0 left, turn it off so that no old, unbound
# ciphertext (from a copy or an old backup) can be pasted into another row.
FIELD_ENCRYPTION_ALLOW_UNBOUND = env.bool("FIELD_ENCRYPTION_ALLOW_UNBOUND", default=True)
BLIND_INDEX_KEY = env.str("BLIND_INDEX_KEY", default="")
AUDIT_HMAC_KEY = env.str("AUDIT_HMAC_KEY", default="")


def _dev_key(name: str) -> str:
    """In DEBUG or tests, generate a key once into var/; production must set it."""
    if not DEBUG and not TESTING:
        raise ImproperlyConfigured(f"{name} is not set in the environment.")
    key_file = VAR_DIR / name.lower()
    if not key_file.exists():
        import base64

        key_file.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


if not FIELD_ENCRYPTION_KEYS:
    FIELD_ENCRYPTION_KEYS = [_dev_key("FIELD_ENCRYPTION_KEY")]
BLIND_INDEX_KEY = BLIND_INDEX_KEY or _dev_key("BLIND_INDEX_KEY")
AUDIT_HMAC_KEY = AUDIT_HMAC_KEY or _dev_key("AUDIT_HMAC_KEY")
# The audit chain's head is appended here every minute and at each backup
# (aluna/audit/anchor.py): a volume the database host cannot reach (README,
# "Audit trail"). AUDIT_ANCHOR_SYSLOG optionally sends the same line to syslog
# ("udp://host:514", "tcp://host:514" or a socket path such as "/dev/log").
AUDIT_ANCHOR_PATH = env.str(
    "AUDIT_ANCHOR_PATH", default=str(VAR_DIR / "audit-anchor" / "audit-anchor.log")
)
AUDIT_ANCHOR_SYSLOG = env.str("AUDIT_ANCHOR_SYSLOG", default="")
# verify_audit reports a gap when the newest anchor is older than this (seconds).
AUDIT_ANCHOR_MAX_AGE = env.int("AUDIT_ANCHOR_MAX_AGE", default=300)
# `manage.py backup`/`restore` only (base64 32 bytes, not a field key). Read when a
# backup runs, not here: the web app starts without it; in DEBUG/tests var/backup_key.
BACKUP_KEY = env.str("BACKUP_KEY", default="")

# --- E-mail ----------------------------------------------------------------------------
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
# Django 6.1 configures mail through MAILERS; django-environ still speaks EMAIL_*.
_MAILER_OPTIONS = {
    "EMAIL_HOST": "host",
    "EMAIL_PORT": "port",
    "EMAIL_HOST_USER": "username",
    "EMAIL_HOST_PASSWORD": "password",
    "EMAIL_USE_TLS": "use_tls",
    "EMAIL_USE_SSL": "use_ssl",
    "EMAIL_TIMEOUT": "timeout",
    "EMAIL_FILE_PATH": "file_path",
}
_email_backend = _email["EMAIL_BACKEND"]
_accepted = {
    "django.core.mail.backends.smtp.EmailBackend": {
        "host",
        "port",
        "username",
        "password",
        "use_tls",
        "use_ssl",
        "timeout",
    },
    "django.core.mail.backends.filebased.EmailBackend": {"file_path"},
}.get(_email_backend, set())
MAILERS = {
    "default": {
        "BACKEND": _email_backend,
        "OPTIONS": {
            option: _email[key]
            for key, option in _MAILER_OPTIONS.items()
            if option in _accepted and _email.get(key) not in (None, "")
        },
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Aluna <no-reply@aluna.org.mx>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Absolute links in e-mails (notifications, invitations).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "es-mx"
LANGUAGES = [("es-mx", _("Spanish (Mexico)")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Mexico_City"
USE_I18N = True
USE_TZ = True

# --- Static files ------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
# In development and tests serve straight from the app folders (no collectstatic).
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Logging: nothing sensitive leaves the process ---------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub": {"()": "aluna.core.logging.ScrubSensitiveFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["scrub"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
ADMINS: list = []
