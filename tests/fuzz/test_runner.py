"""The fuzzer's own judge: which writes a request left behind, and how bodies
are encoded."""

from django.http import QueryDict

from tests.fuzz.fields import Upload
from tests.fuzz.runner import multipart, persisted_writes, urlencode


def q(*statements):
    return [{"sql": s} for s in statements]


def test_a_write_outside_any_savepoint_counts():
    queries = q("SELECT 1", 'INSERT INTO "points_entry" ("x") VALUES (1)')
    assert [t for t, _ in persisted_writes(queries)] == ["points_entry"]


def test_writes_of_a_rolled_back_savepoint_do_not_count():
    queries = q(
        'SAVEPOINT "s1_x1"',
        'INSERT INTO "points_entry" ("x") VALUES (1)',
        'SAVEPOINT "s1_x2"',
        'UPDATE "shop_product" SET "stock" = 1',
        'RELEASE SAVEPOINT "s1_x2"',
        'ROLLBACK TO SAVEPOINT "s1_x1"',
        'RELEASE SAVEPOINT "s1_x1"',
    )
    assert persisted_writes(queries) == []


def test_writes_of_a_released_savepoint_count():
    queries = q(
        'SAVEPOINT "s1_x1"',
        'DELETE FROM "deliberation_comment" WHERE id = 1',
        'RELEASE SAVEPOINT "s1_x1"',
    )
    assert [t for t, _ in persisted_writes(queries)] == ["deliberation_comment"]


def test_bookkeeping_and_named_tables_are_ignored():
    queries = q(
        'UPDATE "django_session" SET "session_data" = 1',
        'UPDATE "shop_householdcard" SET "failed_attempts" = 1',
    )
    assert persisted_writes(queries, ignore=frozenset({"shop_householdcard"})) == []


def test_urlencoded_body_carries_repeats_and_lone_surrogates():
    body = urlencode([("a", "1"), ("a", "\x00"), ("b", "\ud800路")]).decode()
    data = QueryDict(body)
    assert data.getlist("a") == ["1", "\x00"]
    assert data["b"].endswith("路") and "\ufffd" in data["b"]


def test_multipart_body_carries_files_and_text():
    from io import BytesIO

    from django.core.files.uploadhandler import MemoryFileUploadHandler
    from django.http.multipartparser import MultiPartParser

    from tests.fuzz.runner import BOUNDARY

    body = multipart([("t", "é"), ("f", Upload("照片.png", b"\x89PNG", "image/png"))])
    meta = {
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "CONTENT_LENGTH": str(len(body)),
    }
    post, files = MultiPartParser(
        meta, BytesIO(body), [MemoryFileUploadHandler()]
    ).parse()
    assert post["t"] == "é"
    assert files["f"].name == "照片.png" and files["f"].read() == b"\x89PNG"
