"""Settings for the Rongjiang relocation follow-up portal.

Everything that differs between machines comes from the environment (or a `.env` file beside
`manage.py`), read with django-environ. Local defaults apply only while DEBUG is on; with DEBUG off the
portal refuses to start until its secrets and production services are configured.
"""

import base64
import binascii
from datetime import date, timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(env.str("PORTAL_ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
VAR_DIR = Path(env.str("PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))


def _local_default(name, local_value):
    """The value of `name` from the environment, or `local_value` while DEBUG is on.

    With DEBUG off a missing variable stops the portal with a message naming it.
    """
    if name in env.ENVIRON:
        return env.ENVIRON[name]
    if DEBUG:
        return local_value
    raise ImproperlyConfigured(
        f"环境变量 {name} 未设置：生产环境（DEBUG=false）必须配置它。"
        f" / The environment variable {name} is required when DEBUG is off."
    )


def _secret_key():
    key = _local_default("SECRET_KEY", "django-insecure-local-development-key-only")
    if not DEBUG and (len(key) < 50 or key.startswith("django-insecure")):
        raise ImproperlyConfigured(
            "SECRET_KEY 太短或不安全：生产环境需要至少 50 个随机字符。"
            " / SECRET_KEY must be at least 50 random characters in production."
        )
    return key


SECRET_KEY = _secret_key()

# --- Personal data encrypted at rest (settlements/personal_data.py) ------------------------------------------
# PERSONAL_DATA_KEYS: comma-separated `version:base64key` entries, the current key first (`2:…,1:…` while a
# rotation runs). Each key is at least 32 random bytes. With DEBUG on, a fixed development key applies.
LOCAL_DEVELOPMENT_KEY = b"local-development-personal-data-key-not-secret"
PERSONAL_DATA_KEY_BYTES = 32


def _personal_data_keys() -> list[tuple[int, bytes]]:
    text = _local_default("PERSONAL_DATA_KEYS", "1:" + base64.b64encode(LOCAL_DEVELOPMENT_KEY).decode())
    keys = []
    for entry in (part.strip() for part in text.split(",")):
        version, _, encoded = entry.partition(":")
        try:
            key = base64.b64decode(encoded, validate=True)
            number = int(version)
        except (ValueError, binascii.Error):
            key, number = b"", 0
        if number < 1 or len(key) < PERSONAL_DATA_KEY_BYTES:
            raise ImproperlyConfigured(
                f"PERSONAL_DATA_KEYS 的“{version}:…”格式不正确：应为“版本号:base64密钥”，版本号为正整数，"
                f"密钥至少 {PERSONAL_DATA_KEY_BYTES} 字节，多个以逗号分隔。"
                f" / PERSONAL_DATA_KEYS entries are `version:base64key` (a positive version, a key of at least"
                f" {PERSONAL_DATA_KEY_BYTES} bytes), comma-separated."
            )
        keys.append((number, key))
    if len({number for number, _ in keys}) != len(keys):
        raise ImproperlyConfigured("PERSONAL_DATA_KEYS 中有重复的版本号。 / PERSONAL_DATA_KEYS repeats a version.")
    if not DEBUG and any(key == LOCAL_DEVELOPMENT_KEY for _, key in keys):
        raise ImproperlyConfigured(
            "PERSONAL_DATA_KEYS 使用了本地开发密钥：生产环境须配置自己的随机密钥。"
            " / PERSONAL_DATA_KEYS holds the local development key; production needs its own random key."
        )
    return keys


PERSONAL_DATA_KEYS = _personal_data_keys()
ALLOWED_HOSTS = [
    host.strip() for host in _local_default("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if host.strip()
]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "settlements.apps.PortalAdminConfig",  # django.contrib.admin with the portal's site (settlements/admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "simple_history",
    "import_export",
    "django_filters",
    "settlements",
    "tasks",
    "employment",
    "services",
    "culture",
    "governance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before whitenoise and every middleware that may answer by itself: every response carries the headers.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After authentication, so the page that refuses an oversized request shows who is signed in.
    "settlements.request_limits.RequestSizeLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "settlements.request_checks.RefuseNulCharactersMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "settlements.audit.AuditRequestMiddleware",
    # Until the second factor is verified (or enrolled) and an expired or initial password changed, a user
    # reaches nothing else; the superuser reaches nothing at all.
    "settlements.accounts.middleware.AccountGateMiddleware",
    # Axes last: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rongjiang_portal.urls"
WSGI_APPLICATION = "rongjiang_portal.wsgi.application"

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
                "settlements.context_processors.portal",
                "tasks.context_processors.inbox",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------------
# The embedded default is a SQLite file under var/; production and the tests use PostgreSQL.
DATABASES = {"default": env.db_url_config(_local_default("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The worker and the web process share the file: wait for locks instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users, login and sessions -----------------------------------------------------------------------
AUTH_USER_MODEL = "settlements.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "settlements.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "settlements.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    # No reuse of the last passwords (how many: the security policy, settlements.accounts.policy).
    {"NAME": "settlements.validators.PasswordHistoryValidator"},
]

# The second factor (django-otp): TOTP on the user's authenticator app, and ten single-use recovery codes.
# The roles that need it, like the password's maximum age and history, are the security policy's (data the
# security administrator sets, `SecurityPolicy`), not settings.
OTP_TOTP_ISSUER = "榕江县搬迁后续扶持平台"

# Idle timeout: every request renews the session; after this many idle minutes it has expired.
SESSION_IDLE_TIMEOUT_MINUTES = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=30)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login lockout per account (django-axes).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLE_ADMIN = False  # shown in Chinese as 登录失败与锁定记录 by the settlements admin
# Locking by IP address as well would lock a whole township office behind one NAT address after a few
# mistyped passwords of different colleagues: the county asked for per-account lockout.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# --- The audit trail (settlements.audit) ----------------------------------------------------------------
# Entries are kept in the database this many days (never fewer than 180: the trigger refuses earlier
# deletion), then moved to gzip files here by the nightly archive job.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=180)
AUDIT_ARCHIVE_DIR = Path(env.str("AUDIT_ARCHIVE_DIR", default=str(VAR_DIR / "audit-archive")))

# --- Backups (settlements.backups) -------------------------------------------------------------------------
# The nightly job backs up the database and MEDIA_ROOT and AUDIT_ARCHIVE_DIR into a timestamped folder here and
# keeps the newest BACKUP_KEEP. Keep this folder on another disk than the database, and copy it off the machine.
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(VAR_DIR / "backups")))
BACKUP_KEEP = env.int("BACKUP_KEEP", default=14)
if BACKUP_KEEP < 1:
    raise ImproperlyConfigured(f"BACKUP_KEEP 必须至少为 1（现为 {BACKUP_KEEP}）。 / BACKUP_KEEP must be at least 1.")

# --- Language and time ---------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files: all served by the portal itself, no CDN ------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Uploaded ledgers hold full ID numbers: a nightly job deletes them this many days after the upload.
UPLOAD_RETENTION_DAYS = env.int("UPLOAD_RETENTION_DAYS", default=30)
if UPLOAD_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("UPLOAD_RETENTION_DAYS 至少为 1 天。 / UPLOAD_RETENTION_DAYS must be at least 1.")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Security (check --deploy passes with DEBUG off) ------------------------------------------------
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env.bool("USE_X_FORWARDED_PROTO", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts, styles, fonts and connections from the portal itself only,
# no inline script or style (the pages' scripts are static files under static/js/, their data json_script
# blocks), no eval. Images also as data: URIs (Bootstrap's icons, the TOTP enrolment QR code).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
# Permissions-Policy (django-permissions-policy): no page of the portal uses a device or a payment.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# --- Request and upload sizes ------------------------------------------------------------------------
# A request body larger than REQUEST_MAX_MB is refused (413, in Chinese) before it is read; the reverse
# proxy's limit (nginx client_max_body_size) should match. It must hold the largest legitimate request:
# a progress report's evidence (10 files of 20 MB), a ledger of UPLOAD_MAX_MB and one upload of photos
# (PHOTO_MAX_FILES of PHOTO_MAX_MB: 20 × 15 MB).
UPLOAD_MAX_MB = env.int("UPLOAD_MAX_MB", default=30)
# Photos (settlements.photos): each at most PHOTO_MAX_MB as sent, at most PHOTO_MAX_FILES in one upload; kept
# as a print size whose long side is at most PHOTO_PRINT_PX and a thumbnail of at most PHOTO_THUMBNAIL_PX.
PHOTO_MAX_MB = env.int("PHOTO_MAX_MB", default=15)
PHOTO_MAX_FILES = env.int("PHOTO_MAX_FILES", default=20)
PHOTO_PRINT_PX = env.int("PHOTO_PRINT_PX", default=2000)
PHOTO_THUMBNAIL_PX = env.int("PHOTO_THUMBNAIL_PX", default=320)
if PHOTO_MAX_MB < 1 or PHOTO_MAX_FILES < 1:
    raise ImproperlyConfigured(
        "PHOTO_MAX_MB 和 PHOTO_MAX_FILES 至少为 1。 / PHOTO_MAX_MB and PHOTO_MAX_FILES must be at least 1."
    )
if not 64 <= PHOTO_THUMBNAIL_PX <= PHOTO_PRINT_PX <= 10000:
    raise ImproperlyConfigured(
        "须满足 64 ≤ PHOTO_THUMBNAIL_PX ≤ PHOTO_PRINT_PX ≤ 10000。"
        " / PHOTO_THUMBNAIL_PX and PHOTO_PRINT_PX must satisfy 64 <= thumbnail <= print <= 10000."
    )
REQUEST_MAX_MB = env.int("REQUEST_MAX_MB", default=310)
if max(UPLOAD_MAX_MB, PHOTO_MAX_MB * PHOTO_MAX_FILES) >= REQUEST_MAX_MB:
    raise ImproperlyConfigured(
        f"REQUEST_MAX_MB（{REQUEST_MAX_MB}）必须大于 UPLOAD_MAX_MB（{UPLOAD_MAX_MB}），"
        f"也必须大于 PHOTO_MAX_MB × PHOTO_MAX_FILES（{PHOTO_MAX_MB * PHOTO_MAX_FILES}）。"
        " / REQUEST_MAX_MB must exceed UPLOAD_MAX_MB and PHOTO_MAX_MB × PHOTO_MAX_FILES."
    )
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # the form fields of one request, files apart
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000  # a household form of 100 members stays below it
# A report takes 10 evidence files, an upload PHOTO_MAX_FILES photos: up to twice as many get the page's own
# message naming the limit, more a 413.
DATA_UPLOAD_MAX_NUMBER_FILES = max(20, 2 * PHOTO_MAX_FILES)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # larger uploads go to a temporary file, not memory
FILE_UPLOAD_PERMISSIONS = 0o640  # ledgers hold full ID numbers: not readable by other accounts
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

# --- Email ----------------------------------------------------------------------------------------------
# EMAIL_URL sets EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, ... in one variable.
globals().update(env.email_url_config(_local_default("EMAIL_URL", "consolemail://")))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="榕江县易地扶贫搬迁后续扶持工作平台 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery: one worker and one beat run the scheduled jobs -----------------------------------------------
# The embedded default needs no Redis: a file-system broker under var/ serves a worker started with
# the portal. Production sets CELERY_BROKER_URL to Redis.
CELERY_BROKER_URL = _local_default("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "celery-broker"
    _broker_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "control_folder": str(_broker_dir / "control"),
    }
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "purge-expired-sessions": {
        "task": "settlements.tasks.purge_expired_sessions",
        "schedule": crontab(hour=3, minute=15),
    },
    "archive-audit-trail": {
        "task": "settlements.tasks.archive_audit_trail",
        "schedule": crontab(hour=3, minute=45),
    },
    "take-backup": {
        "task": "settlements.tasks.take_backup",
        "schedule": crontab(hour=4, minute=15),  # after the audit archive, so tonight's archive file is in it
    },
    "take-indicator-snapshots": {
        "task": "tasks.tasks.take_snapshots",
        "schedule": crontab(hour=1, minute=30),  # the day before, complete, and today
    },
    "refresh-stale-snapshots": {
        "task": "tasks.tasks.refresh_stale_snapshots",
        "schedule": crontab(minute="*/10"),  # corrections queue their own; this catches any left over
    },
    "check-deadlines": {
        "task": "tasks.tasks.check_deadlines",
        "schedule": crontab(hour=8, minute=0),
    },
    "remind-unreported-units": {
        "task": "tasks.tasks.remind_unreported_units",
        "schedule": crontab(hour=8, minute=30),
    },
    "alert-zero-employment-households": {
        "task": "employment.alerts.alert_zero_employment_households",
        "schedule": crontab(hour=2, minute=30),
    },
    "alert-out-of-school-children": {
        "task": "services.schooling_alerts.alert_out_of_school_children",
        "schedule": crontab(hour=2, minute=45),
    },
    "purge-expired-uploads": {
        "task": "settlements.imports.tasks.purge_expired_uploads",
        "schedule": crontab(hour=3, minute=45),
    },
}

# --- Logging ---------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}


# --- Sane ranges of what the portal accepts (settlements/input_ranges.py says why these defaults) ----------


def _env_date(name, default):
    text = env.str(name, default=default)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ImproperlyConfigured(f"环境变量 {name} 应为日期，如 1900-01-01。 / {name} must be a date.") from None


INPUT_MAX_AGE_YEARS = env.int("INPUT_MAX_AGE_YEARS", default=120)  # born at most this many years ago
INPUT_EARLIEST_DATE = _env_date("INPUT_EARLIEST_DATE", "1900-01-01")  # no dated fact or time limit before it
INPUT_FACT_HORIZON_DAYS = env.int("INPUT_FACT_HORIZON_DAYS", default=366)  # a fact at most this far ahead
INPUT_PLAN_HORIZON_YEARS = env.int("INPUT_PLAN_HORIZON_YEARS", default=10)  # a time limit at most this far ahead

PORTAL_TITLE = "榕江县易地扶贫搬迁后续扶持工作平台"
# The portal's address as users reach it, for links in reminder emails (e.g. https://portal.rongjiang.gov.cn).
PORTAL_URL = env.str("PORTAL_URL", default="http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
