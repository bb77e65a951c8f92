"""Production: everything secret or site-specific comes from the environment, and
the process refuses to start without it."""

from config.startup import allowed_hosts_problem, secret_key_problem

from .base import *


class RefuseToStart(SystemExit):
    """A refusal to start: one line on stderr and exit status 1, in gunicorn's
    master, a cron job or manage.py alike, instead of a page of traceback that
    hides the one line an operator needs."""

    def __init__(self, message: str):
        super().__init__(f"Xiangyue will not start: {message}")


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise RefuseToStart(f"{name} must be set in production.")
    return value


SECRET_KEY = _required("SECRET_KEY")
if problem := secret_key_problem(SECRET_KEY, root=BASE_DIR):
    raise RefuseToStart(problem)
if problem := allowed_hosts_problem(os.environ.get("ALLOWED_HOSTS", "")):
    raise RefuseToStart(problem)
ALLOWED_HOSTS = [h.strip() for h in os.environ["ALLOWED_HOSTS"].split(",")]
_required("DATABASE_URL")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise RefuseToStart("Production runs on PostgreSQL (DATABASE_URL).")

# Login codes must really leave the building: never the console backend here.
if SMS_BACKEND == "accounts.sms.ConsoleSmsBackend":
    raise RefuseToStart("SMS_BACKEND must name a real provider in production.")
if SMS_BACKEND == "accounts.sms.HttpSmsBackend":
    for name in ("SMS_HTTP_URL", "SMS_HTTP_KEY_ID", "SMS_HTTP_SECRET"):
        _required(name)
SITE_URL = _required("SITE_URL").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL

# --- Transport and cookies ------------------------------------------------------
CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if not h.startswith(".")]
# nginx terminates TLS and says so in X-Forwarded-Proto (it must overwrite, never
# pass on, what the client sent).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
# The load balancer's health check speaks plain HTTP to the app server.
SECURE_REDIRECT_EXEMPT = [r"^healthz/"]
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preloading binds the whole registrable domain and every subdomain to HTTPS in
# browsers for good, and is undone only slowly: a township usually runs this under a
# government or county domain whose other sites it does not control. So only when
# the operator says so (HSTS_PRELOAD=1, after checking every subdomain).
SECURE_HSTS_PRELOAD = os.environ.get("HSTS_PRELOAD", "") == "1"
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]  # preload is a choice, see above
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# __Host- cookies are sent only over HTTPS, for this host and path /, and cannot be
# set by a sibling subdomain.
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
# Django: HttpOnly adds little to CSRF protection, but nothing of ours reads the
# cookie from JavaScript (the Wagtail admin takes the token from the page).
CSRF_COOKIE_HTTPONLY = True

# --- Media storage -------------------------------------------------------------
# One app server keeps media on its disk (MEDIA_ROOT, served by nginx at /media/)
# and private files under PRIVATE_ROOT (never served). With S3_BUCKET set, every
# app server shares S3-compatible object storage instead: public media under the
# "public/" prefix, read at S3_PUBLIC_URL (nginx proxying the bucket, or a CDN);
# rosters, points evidence and report photos in S3_PRIVATE_BUCKET (default: the
# same bucket, "private/" prefix, which the bucket policy must keep unreadable).
# Private files are read by our views, which check who asks; their URLs, should
# anything ask for one, are signed and expire in five minutes.
S3_BUCKET = os.environ.get("S3_BUCKET", "").strip()
if S3_BUCKET:
    _s3 = {
        "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("S3_REGION") or None,
        "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
        # "path" for MinIO and most self-hosted stores; "virtual" for AWS, OSS, COS.
        "addressing_style": os.environ.get("S3_ADDRESSING_STYLE") or None,
        "signature_version": "s3v4",
        "file_overwrite": False,
        "default_acl": None,
    }
    _public_url = os.environ.get("S3_PUBLIC_URL", "").strip().rstrip("/")
    _public = {
        **_s3,
        "bucket_name": S3_BUCKET,
        "location": "public",
        "querystring_auth": False,
    }
    if _public_url:
        if not _public_url.startswith("https://"):
            raise RefuseToStart("S3_PUBLIC_URL must be an https:// address.")
        _public["custom_domain"] = _public_url.removeprefix("https://")
    _private = {
        **_s3,
        "bucket_name": os.environ.get("S3_PRIVATE_BUCKET", "").strip() or S3_BUCKET,
        "location": "private",
        "querystring_auth": True,
        "querystring_expire": 300,
    }
    STORAGES = {
        **STORAGES,
        "default": {
            "BACKEND": "villages.storage_s3.PublicMediaStorage",
            "OPTIONS": _public,
        },
        "private": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _private},
        "roster": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**_private, "location": "private/roster"},
        },
    }
    if _public_url:
        MEDIA_URL = _public_url + "/public/"
    # Documents stream through Django, which applies Wagtail's collection privacy
    # on every download instead of redirecting to a bucket address.
    WAGTAILDOCS_SERVE_METHOD = "serve_view"

# --- Logs ----------------------------------------------------------------------
# JSON lines on stdout (config/logs.py: a formatter of ours, 60 lines, instead of
# a dependency), one per request with its id, path, status and duration;
# systemd's journal or any shipper collects them. REQUEST_LOG=0 turns the request
# lines off; LOG_LEVEL sets the rest (default INFO).
MIDDLEWARE = ["config.logs.RequestLogMiddleware", *MIDDLEWARE]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.logs.JsonFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        }
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "xiangyue.request": {
            "level": "INFO" if os.environ.get("REQUEST_LOG", "1") != "0" else "WARNING"
        },
    },
}
