"""Production settings put media on S3-compatible storage when S3_BUCKET is set
(private files with signed, short-lived URLs only) and write JSON log lines."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django.http import HttpResponse
from django.test import RequestFactory

import pytest

from config.logs import JsonFormatter, RequestLogMiddleware
from tests.config.test_settings import GOOD_ENV

ROOT = Path(__file__).resolve().parent.parent.parent
S3_ENV = {
    "S3_BUCKET": "xiangyue-media",
    "S3_PRIVATE_BUCKET": "xiangyue-private",
    "S3_ENDPOINT_URL": "https://s3.example.cn",
    "S3_ACCESS_KEY_ID": "AKIDEXAMPLE",
    "S3_SECRET_ACCESS_KEY": "example-secret",
    "S3_PUBLIC_URL": "https://xiangyue.example.cn/media",
}

# Runs under the production settings in a fresh process and prints what the
# storages are and what URLs they give (no network: URLs are computed locally).
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import storages
default_storage = storages["default"]
from points.models.entries import EntryPhoto
from reports.models import ReportPhoto
evidence = EntryPhoto._meta.get_field("image").storage
photos = ReportPhoto._meta.get_field("image").storage
roster = storages["roster"]
def cls(s):
    return type(s).__module__ + "." + type(s).__name__
out = {
    "default": cls(default_storage), "evidence": cls(evidence),
    "photos": cls(photos), "roster": cls(roster),
    "media_url": settings.MEDIA_URL,
}
if hasattr(default_storage, "bucket_name"):
    out.update(
        public_url=default_storage.url("original_images/a.jpg"),
        public_pdf=default_storage.get_object_parameters("documents/a.pdf"),
        public_jpg=default_storage.get_object_parameters("original_images/a.jpg"),
        evidence_url=evidence.url("points/evidence/1/a.jpg"),
        evidence_bucket=evidence.bucket_name, evidence_location=evidence.location,
        photos_location=photos.location, roster_location=roster.location,
        roster_bucket=roster.bucket_name, public_bucket=default_storage.bucket_name,
        docs_serve=settings.WAGTAILDOCS_SERVE_METHOD,
    )
print("PROBE " + json.dumps(out))
"""


def run_production(code: str, env: dict) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in GOOD_ENV and not k.startswith("S3_")
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings.production")
    clean["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "site")])
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def probe(env: dict) -> dict:
    result = run_production(PROBE, env)
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("PROBE "))
    return json.loads(line.removeprefix("PROBE "))


def test_without_s3_bucket_media_stays_on_disk_and_private_files_under_private_root():
    out = probe(GOOD_ENV)
    assert out["default"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert out["evidence"] == "villages.storage.PrivateStorage"
    assert out["photos"] == "villages.storage.PrivateStorage"
    assert out["roster"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert out["media_url"] == "/media/"


def test_with_s3_bucket_public_media_has_plain_urls_and_private_files_signed_ones():
    out = probe({**GOOD_ENV, **S3_ENV})
    assert out["default"] == "villages.storage_s3.PublicMediaStorage"
    assert out["public_bucket"] == "xiangyue-media"
    public = urlsplit(out["public_url"])
    assert (public.scheme, public.netloc) == ("https", "xiangyue.example.cn")
    assert public.path == "/media/public/original_images/a.jpg"
    assert public.query == ""
    assert out["media_url"] == "https://xiangyue.example.cn/media/public/"

    for name in ("evidence", "photos", "roster"):
        assert out[name] == "storages.backends.s3.S3Storage", name
    assert out["evidence_bucket"] == out["roster_bucket"] == "xiangyue-private"
    assert out["evidence_location"] == "private/points"
    assert out["photos_location"] == "private/reports"
    assert out["roster_location"] == "private/roster"
    signed = urlsplit(out["evidence_url"])
    query = parse_qs(signed.query)
    assert signed.netloc != "xiangyue.example.cn"
    assert query["X-Amz-Expires"] == ["300"]
    assert "X-Amz-Signature" in query
    assert out["docs_serve"] == "serve_view"


def test_public_bucket_sends_anything_but_images_as_attachment():
    out = probe({**GOOD_ENV, **S3_ENV})
    assert out["public_pdf"]["ContentDisposition"] == "attachment"
    assert out["public_pdf"]["ContentType"] == "application/pdf"
    assert "ContentDisposition" not in out["public_jpg"]
    assert out["public_jpg"]["ContentType"] == "image/jpeg"


def test_private_bucket_defaults_to_the_public_one_under_its_own_prefix():
    env = {k: v for k, v in S3_ENV.items() if k != "S3_PRIVATE_BUCKET"}
    out = probe({**GOOD_ENV, **env})
    assert out["evidence_bucket"] == out["public_bucket"] == "xiangyue-media"
    assert out["evidence_location"].startswith("private/")
    assert not out["public_url"].split("/media/", 1)[1].startswith("private/")


def test_public_media_address_must_be_https():
    env = {**GOOD_ENV, **S3_ENV, "S3_PUBLIC_URL": "http://xiangyue.example.cn/media"}
    result = run_production(PROBE, env)
    assert result.returncode != 0
    assert "S3_PUBLIC_URL must be an https:// address" in result.stderr


def test_production_logs_are_json_lines_on_stdout():
    code = (
        "import django, logging\n"
        "django.setup()\n"
        "log = logging.getLogger('xiangyue.test')\n"
        "log.warning('村民 %s', 'logged', extra={'village': 'liuxi'})\n"
        "try:\n"
        "    1 / 0\n"
        "except ZeroDivisionError:\n"
        "    log.exception('failed')\n"
    )
    result = run_production(code, GOOD_ENV)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.strip()]
    assert [x["message"] for x in lines] == ["村民 logged", "failed"]
    assert lines[0]["level"] == "WARNING"
    assert lines[0]["logger"] == "xiangyue.test"
    assert lines[0]["village"] == "liuxi"
    assert "ZeroDivisionError" in lines[1]["exc"]


@pytest.fixture
def captured():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("xiangyue.request")
    old_level, old_propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(old_level)
    logger.propagate = old_propagate


def lines_of(stream) -> list[dict]:
    return [json.loads(x) for x in stream.getvalue().splitlines()]


def test_each_request_logs_one_line_with_id_path_status_and_duration(captured):
    middleware = RequestLogMiddleware(lambda request: HttpResponse(status=404))
    request = RequestFactory().get(
        "/liuxi/notices/?q=13800138000", HTTP_X_REQUEST_ID="0123456789abcdef"
    )
    response = middleware(request)
    assert response["X-Request-ID"] == "0123456789abcdef"
    [line] = lines_of(captured)
    assert line["request_id"] == "0123456789abcdef"
    assert line["method"] == "GET"
    assert line["path"] == "/liuxi/notices/"
    assert line["status"] == 404
    assert isinstance(line["duration_ms"], float)
    assert "13800138000" not in captured.getvalue()  # no query string in the log


@pytest.mark.parametrize("given", ["", "short", "x" * 65, 'bad"id\nforged line'])
def test_a_missing_or_strange_request_id_is_replaced(captured, given):
    middleware = RequestLogMiddleware(lambda request: HttpResponse())
    response = middleware(RequestFactory().get("/", HTTP_X_REQUEST_ID=given))
    made = response["X-Request-ID"]
    assert made != given
    assert len(made) == 32
    int(made, 16)
    [line] = lines_of(captured)
    assert line["request_id"] == made


def test_a_crashing_view_is_logged_as_500_and_the_error_still_raised(captured):
    def boom(request):
        raise RuntimeError("broken view")

    with pytest.raises(RuntimeError):
        RequestLogMiddleware(boom)(RequestFactory().post("/v/liuxi/shop/store/take/"))
    [line] = lines_of(captured)
    assert line["status"] == 500
    assert line["method"] == "POST"


def test_log_lines_inside_a_request_carry_its_id(captured):
    other = logging.getLogger("xiangyue.request.inner")

    def view(request):
        other.info("inside")
        return HttpResponse()

    RequestLogMiddleware(view)(
        RequestFactory().get("/", HTTP_X_REQUEST_ID="abcdefgh12")
    )
    inner, outer = lines_of(captured)
    assert inner["message"] == "inside"
    assert inner["request_id"] == outer["request_id"] == "abcdefgh12"
