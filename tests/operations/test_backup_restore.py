"""Backup → a fresh database and fresh media folders → restore, on a little world
made through the services: households with ledger transactions, a vote with
ballots, a published page with an image and a document, a private evidence
photo and a roster upload. Runs on SQLite and on PostgreSQL."""

import datetime as dt
import hashlib
import io
import json
import tarfile

from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

import pytest

from cms_home.models import VillagePage
from cms_home.provisioning import village_site_setup
from deliberation.ballot_box import all_ballots
from deliberation.models import Vote
from deliberation.selectors import vote_outcome
from deliberation.services.votes import ballot_cast
from notices.models import NoticePage
from operations.archive import file_roots, walk_files
from operations.errors import BackupError
from operations.services import backup_create, backup_restore
from points.images import photo_prepare
from points.models import EntryPhoto, Transaction
from points.services.entries import entry_record
from points.services.ledger import ledger_record_deed, ledger_spend
from roster.models import RosterImport
from tests.cms_home.fixtures import body, child, publish
from tests.deliberation.factories import TopicFactory, make_vote, residents
from tests.factories import (
    GridFactory,
    MembershipFactory,
    VillageFactory,
    wagtail_roots,
)
from tests.operations.conftest import connected_to
from tests.points.factories import (
    RuleBookFactory,
    RuleCategoryFactory,
    RuleItemFactory,
)
from tests.points.test_views import jpeg

pytestmark = pytest.mark.django_db(transaction=True)


def machine(settings, monkeypatch, folder):
    """Point every file location at ``folder``, as on another machine. The
    roster upload field took its storage when the model was loaded, so it is
    given the new one too (in production both are the same object)."""
    settings.MEDIA_ROOT = folder / "media"
    settings.PRIVATE_ROOT = folder / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "roster": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": folder / "roster", "base_url": None},
        },
    }
    monkeypatch.setattr(
        RosterImport._meta.get_field("file"), "storage", storages["roster"]
    )


def little_world():
    wagtail_roots()
    village = VillageFactory(name="柳溪村", slug="liuxi")
    village_site_setup(village=village)
    committee = MembershipFactory(village=village, is_committee=True).user
    grid = GridFactory(village=village, name="第一网格")
    worker = MembershipFactory(village=village, grid=grid, is_grid_worker=True).user

    image = Image.objects.create(title="村道施工", file=get_test_image_file())
    document = Document.objects.create(
        title="预算表", file=ContentFile(b"%PDF-1.4 budget\n%%EOF\n", name="预算.pdf")
    )
    notices = child(VillagePage.objects.get(village=village), "notices")
    publish(
        notices,
        NoticePage(
            title="村道硬化公示",
            slug="road",
            body=body(
                ("figure", {"image": image.pk, "caption": "施工现场"}),
                (
                    "paragraph",
                    f'<p><a linktype="document" id="{document.pk}">预算</a></p>',
                ),
            ),
        ),
    )

    voters = residents(village, 4, grid=grid)
    households = [v.memberships.get(village=village).household for v in voters]
    for household in households:
        household.grid = grid
        household.save(update_fields=["grid"])
    today = timezone.localdate()
    for i, household in enumerate(households):
        ledger_record_deed(
            household=household, points=10 * (i + 1), effective_on=today, key=f"d{i}"
        )
    ledger_record_deed(
        household=households[0], points=-5, effective_on=today, key="deduct"
    )
    ledger_spend(household=households[1], shop_code="store", amount=15, key="spend")

    item = RuleItemFactory(
        category=RuleCategoryFactory(
            rulebook=RuleBookFactory(village=village), name="社会公德"
        ),
        code="A01",
        points=5,
    )
    entry_record(
        village=village,
        household=households[2],
        item=item,
        points=None,
        occurred_on=today - dt.timedelta(days=1),
        note="清扫村道",
        by=worker,
        key="entry-1",
        photos=[photo_prepare(jpeg(size=(800, 600)))],
    )
    storages["roster"].save("uploads/名册.xlsx", ContentFile(b"PK roster bytes"))

    vote = make_vote(TopicFactory(village=village, created_by=committee), committee)
    codes = {o.code: o.pk for o in vote.options.all()}
    for voter, choice in zip(voters, ["yes", "yes", "no", "abstain"], strict=True):
        ballot_cast(vote=vote, voter=voter, option_ids=[codes[choice]])
    return vote


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def vote_counts(pk) -> dict[str, int]:
    """Every ballot, those still waiting sealed too: a restored machine opens
    them with the same SECRET_KEY (four ballots are too few to show as a tally)."""
    vote = Vote.objects.get(pk=pk)
    assert vote_outcome(vote).withheld
    code = {o.pk: o.code for o in vote.options.all()}
    chosen = [code[pk] for ids in all_ballots(vote).values() for pk in ids]
    return {c: chosen.count(c) for c in sorted(set(chosen))}


def stored_files() -> dict[tuple[str, str], str]:
    return {
        (root, relative): hashlib.sha256(path.read_bytes()).hexdigest()
        for root, relative, path in walk_files(file_roots())
    }


def test_round_trip_onto_a_fresh_machine(
    settings, monkeypatch, tmp_path, fresh_database
):
    machine(settings, monkeypatch, tmp_path / "a")
    vote = little_world()
    before = row_counts()
    votes_before = vote_counts(vote.pk)
    files_before = stored_files()
    assert votes_before == {"yes": 2, "no": 1, "abstain": 1}
    assert before["points_transaction"] == Transaction.objects.count() == 6
    assert EntryPhoto.objects.count() == 1
    roots = {root for root, _ in files_before}
    assert {"media", "private", "storage:roster"} <= roots
    assert any(
        p.startswith("original_images/") for r, p in files_before if r == "media"
    )
    assert any("/evidence/" in p for r, p in files_before if r == "private")

    archive = tmp_path / "backup.tar.gz"
    out = io.StringIO()
    call_command("backup", "--output", str(archive), stdout=out)
    assert "backup written" in out.getvalue()

    machine(settings, monkeypatch, tmp_path / "b")
    assert stored_files() == {}
    with connected_to(fresh_database):
        cache.clear()
        out = io.StringIO()
        err = io.StringIO()
        call_command("restore", str(archive), stdout=out, stderr=err)
        assert "restored the backup" in out.getvalue()
        assert "SECRET_KEY" not in err.getvalue()
        assert "migrate" not in out.getvalue().split("then")[0]
        call_command("ledger_verify", stdout=io.StringIO())
        assert row_counts() == before
        assert vote_counts(vote.pk) == votes_before
        assert stored_files() == files_before
        photo = EntryPhoto.objects.get()
        assert photo.image.path.startswith(str(tmp_path / "b" / "private"))
        assert photo.image.open("rb").read(2) == b"\xff\xd8"
    # the original database is untouched and still the one in use
    assert row_counts() == before


def test_manifest_describes_the_archive(settings, monkeypatch, tmp_path):
    machine(settings, monkeypatch, tmp_path / "a")
    storages["default"].save("docs/a.txt", ContentFile(b"hello"))
    result = backup_create(output=tmp_path)
    assert result.path.parent == tmp_path and result.path.name.endswith(".tar.gz")
    with tarfile.open(result.path, "r:gz") as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert names[-1] == "manifest.json"
    assert manifest["format"] == "xiangyue-backup"
    assert manifest["format_version"] == 1
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["database"]["member"] in names
    assert "0001_initial" in manifest["migrations"]["points"]
    assert set(manifest["versions"]) >= {"django", "wagtail"}
    assert len(manifest["secret_key_check"]) == 64
    assert django_settings.SECRET_KEY not in json.dumps(manifest)
    (entry,) = manifest["files"]
    assert entry == {
        "root": "media",
        "path": "docs/a.txt",
        "member": "files/media/docs/a.txt",
        "size": 5,
        "sha256": hashlib.sha256(b"hello").hexdigest(),
    }
    assert not list(tmp_path.glob("*.partial"))
    assert result.path.stat().st_mode & 0o777 == 0o600


def test_backup_inside_a_transaction_is_refused(tmp_path):
    from django.db import transaction

    with transaction.atomic(), pytest.raises(BackupError, match="outside"):
        backup_create(output=tmp_path / "x.tar.gz")
    assert not (tmp_path / "x.tar.gz").exists()


def test_restore_into_a_database_that_is_not_empty_needs_force(
    settings, monkeypatch, tmp_path
):
    machine(settings, monkeypatch, tmp_path / "a")
    storages["default"].save("docs/a.txt", ContentFile(b"hello"))
    archive = backup_create(output=tmp_path / "b.tar.gz").path
    VillageFactory(slug="later")
    machine(settings, monkeypatch, tmp_path / "c")
    with pytest.raises(BackupError, match=r"not empty .*--force"):
        backup_restore(archive=archive)
    assert stored_files() == {}
    assert row_counts()["villages_village"] == 1

    cache.set("cms:page:stale", "a page of the database being replaced")
    settings.SECRET_KEY = "another-key-" + "x" * 40
    result = backup_restore(archive=archive, force=True)
    assert not result.secret_key_matches
    assert cache.get("cms:page:stale") is None
    assert result.files == 1
    assert stored_files() == {
        ("media", "docs/a.txt"): hashlib.sha256(b"hello").hexdigest()
    }
    assert row_counts()["villages_village"] == 0
