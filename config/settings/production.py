"""Production: everything secret or site-specific comes from the environment, and
the process refuses to start without it."""

from django.core.exceptions import ImproperlyConfigured

from .base import *


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production.")
    return value


SECRET_KEY = _required("SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")
ALLOWED_HOSTS = [h.strip() for h in _required("ALLOWED_HOSTS").split(",") if h.strip()]
_required("DATABASE_URL")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Production runs on PostgreSQL (DATABASE_URL).")

# Login codes must really leave the building: never the console backend here.
if SMS_BACKEND == "accounts.sms.ConsoleSmsBackend":
    raise ImproperlyConfigured("SMS_BACKEND must name a real provider in production.")
if SMS_BACKEND == "accounts.sms.HttpSmsBackend":
    for name in ("SMS_HTTP_URL", "SMS_HTTP_KEY_ID", "SMS_HTTP_SECRET"):
        _required(name)
SITE_URL = _required("SITE_URL").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL

CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if not h.startswith(".")]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
