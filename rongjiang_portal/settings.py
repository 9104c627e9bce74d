"""Settings for the Rongjiang relocation follow-up portal.

Everything that differs between machines comes from the environment (or a `.env` file beside
`manage.py`), read with django-environ. Local defaults apply only while DEBUG is on; with DEBUG off the
portal refuses to start until its secrets and production services are configured.
"""

from datetime import date, timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
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
ALLOWED_HOSTS = [
    host.strip() for host in _local_default("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if host.strip()
]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "simple_history",
    "import_export",
    "django_filters",
    "settlements",
    "tasks",
    "employment",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "settlements.request_checks.RefuseNulCharactersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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
]

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
