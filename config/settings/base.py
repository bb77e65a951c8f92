"""Settings shared by every environment. Secure by default: dev and test only loosen."""

import os
import sys
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# `site` is a standard-library module, so site/ is a plain folder of apps, not a
# package: put it on the import path once, here.
SITE_DIR = BASE_DIR / "site"
if str(SITE_DIR) not in sys.path:
    sys.path.insert(0, str(SITE_DIR))

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    # ours first, so our templates and translations win
    "accounts",
    "villages",
    "audit",
    "notifications",
    "spreadsheets",
    "roster",
    "points",
    "points.shop",
    "deliberation",
    "reports",
    "operations",
    "privacy",
    "cms_home",
    "notices",
    "disclosure",
    # Wagtail
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # third party
    "allauth",
    "allauth.account",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy per area, Permissions-Policy (config.security).
    "config.security.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # No title or comment can be made to read backwards (villages.text).
    "villages.text.BidiControlMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Anonymous readers of the public pages get cached HTML (cms_home.cache).
    "cms_home.cache.PublicPageCacheMiddleware",
    # The same form sent twice at once (a double tap) gets the first answer
    # (operations.submissions). Last, so that CSRF has been checked.
    "operations.submissions.SubmitOnceMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "notifications.context_processors.unread_count",
            ],
        },
    },
]

# SQLite is the embedded default; DATABASE_URL selects PostgreSQL in production.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer costs a page 3 s, then a 503 page
    # (operations.views.server_error), not a worker hung until gunicorn kills it;
    # the next request connects again (conn_health_checks above).
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 3
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate limits (login codes, login attempts) live in the cache, so the cache must be
# shared by every worker process: Redis when REDIS_URL is set, else the database.
# With Redis, the database cache stands in while Redis does not answer
# (operations/cache.py); the table is made by a migration (operations 0002).
DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "xiangyue_cache",
}
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "operations.cache.FailoverRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {"FALLBACK": "fallback", "RETRY_AFTER": 5},
        },
        "fallback": DATABASE_CACHE,
    }
else:
    CACHES = {"default": DATABASE_CACHE}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:me"

# django-allauth: phone number + one-time SMS code, or phone number + password.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"phone"}
ACCOUNT_SIGNUP_FIELDS = ["phone*", "password1*"]
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 300
ACCOUNT_LOGIN_BY_CODE_SUPPORTS_RESEND = True
# Greet people by name (User.__str__), not by their internal username.
ACCOUNT_USER_DISPLAY = str
ACCOUNT_FORMS = {
    "confirm_login_code": "accounts.forms.ConfirmLoginCodeForm",
    "request_login_code": "accounts.forms.RequestLoginCodeForm",
}
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_USER_MODEL_EMAIL_FIELD = None
# People are added by their village's roster, not by signing themselves up; an
# unknown number is told so plainly (the committee, not a stranger, adds numbers).
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_LOGOUT_ON_GET = False
# A whole village may share one address (carrier-grade NAT): limits count per number
# first. What counts per address is only a ceiling against one machine spraying many
# numbers, far above a village's busiest morning (200 people in five minutes, a
# tenth of them mistyping: tests/accounts/test_village_behind_one_address.py).
# Guessing one number's code stays bounded by the number: 10 codes an hour, each
# thrown away after ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS wrong tries.
ACCOUNT_RATE_LIMITS = {
    "login": "300/m/ip",
    "login_failed": "5/300s/key,100/m/ip",
    "request_login_code": "3/m/key,10/h/key,200/m/ip",
    "verify_phone": "1/30s/key,30/m/ip",
}

# SMS: the one setting that picks how texts leave the building.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "accounts.sms.ConsoleSmsBackend")
SMS_HTTP_URL = os.environ.get("SMS_HTTP_URL", "")
SMS_HTTP_KEY_ID = os.environ.get("SMS_HTTP_KEY_ID", "")
SMS_HTTP_SECRET = os.environ.get("SMS_HTTP_SECRET", "")
SMS_HTTP_SIGN_NAME = os.environ.get("SMS_HTTP_SIGN_NAME", "乡约")
SMS_HTTP_TIMEOUT = float(os.environ.get("SMS_HTTP_TIMEOUT", "5"))

# Background work: django-tasks with its database backend (`manage.py db_worker`).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Internationalisation: Simplified Chinese first, English available.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Files that must never be served (uploaded rosters hold every villager's phone).
PRIVATE_ROOT = Path(os.environ.get("PRIVATE_ROOT", BASE_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "roster": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_ROOT / "roster", "base_url": None},
    },
}

# Uploads: files over this stay on disk while Django reads them; forms enforce the
# real per-field limits and answer with a clear message.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# Wagtail
WAGTAIL_SITE_NAME = "乡约"
# The address people reach the site at: links in texts, e-mails and QR codes.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_I18N_ENABLED = False
# The admin asks no outside service: no avatars from gravatar.com, no release check
# from wagtail.org (both leak who works in the admin, and the CSP refuses them).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Attachments of disclosures: documents people can open on a phone; the form also
# enforces MAX_UPLOAD_BYTES (disclosure.document_forms).
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "jpg",
    "jpeg",
    "png",
    "xlsx",
    "xls",
    "docx",
    "doc",
    "csv",
]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "disclosure.document_forms.DocumentForm"
# Documents stream through Django (collection privacy applies on every download)
# and always as downloads: with nothing shown inline, the sandboxing policy that
# config.security puts on them (CSP_FILE_PATHS) can never stop a PDF viewer.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Villages' committees put no tags on images or documents (one vocabulary for all).
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms_home.image_forms.ImageForm"
# The same pixel limit as our own photos (points.images): a bomb is refused before
# it is decoded. No SVG: a drawing can carry script.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@xiangyue.invalid")

SESSION_COOKIE_HTTPONLY = True
# Messages ride in the session, under its cookie's rules (__Host-, Secure, HttpOnly in
# production), never in a cookie of their own that script could read.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (config.security): nothing inline, nothing from elsewhere.
# Pages that need more say so: the shop counter adds ``worker-src blob:`` for its
# scanner (csp_allow), the comment list adds a nonce for one <style>.
CSP_DEFAULT = {
    "default-src": ["'none'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "manifest-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# The Wagtail admin runs inline scripts of its own (date pickers, the editor's
# panels) and sets inline styles, and shows its live preview in a frame of itself:
# only /cms/ gets those, and still nothing from another site.
CSP_ADMIN = {
    **CSP_DEFAULT,
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
}
CSP_AREAS = [(r"^/cms/", CSP_ADMIN)]
# Uploaded files that Django hands out can never run as a page, whatever they hold.
CSP_FILE_POLICY = {"default-src": ["'none'"], "sandbox": []}
CSP_FILE_PATHS = [r"^/documents/\d+/"]
# Powerful features: the camera for the shop counter's scanner and the location for
# a report, both on this site only; nothing else.
PERMISSIONS_POLICY = ", ".join(
    [
        "camera=(self)",
        "geolocation=(self)",
        "microphone=()",
        "payment=()",
        "usb=()",
        "serial=()",
        "bluetooth=()",
        "display-capture=()",
    ]
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
