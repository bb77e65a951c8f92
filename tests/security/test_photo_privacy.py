"""No picture the site stores or serves says where it was taken, or anything else
hidden in it: every upload path goes through villages.images.image_reencode."""

from __future__ import annotations

import io
import struct

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest
from PIL import Image, PngImagePlugin

from points.images import photo_prepare
from tests.factories import UserFactory
from villages.uploads import document_check

SECRETS = [b"SECRET-COMMENT", b"SECRET-APP", b"SECRET-XMP", b"SECRET-PNG", b"PhoneCo"]


def phone_jpeg(size=(40, 20)) -> bytes:
    """A JPEG as a phone writes it: GPS position, maker, turned by Orientation=6,
    plus a comment, XMP and a private APP5 segment carrying data."""
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to show upright
    exif[0x010F] = "PhoneCo"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (30.0, 15.0, 7.5)
    gps[3], gps[4] = "E", (114.0, 18.0, 2.5)
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(
        out, "JPEG", exif=exif, comment=b"SECRET-COMMENT", xmp=b"<x>SECRET-XMP</x>"
    )
    data = out.getvalue()
    payload = b"SECRET-APP" * 4
    app5 = b"\xff\xe5" + struct.pack(">H", len(payload) + 2) + payload
    data = data[:2] + app5 + data[2:]
    with Image.open(io.BytesIO(data)) as check:  # the fixture really carries it all
        assert check.getexif().get_ifd(0x8825)[2] == (30.0, 15.0, 7.5)
        assert check.info["comment"] == b"SECRET-COMMENT"
    return data


def tagged_png() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "SECRET-PNG")
    info.add_itxt("GPS", "SECRET-PNG 30.25N")
    out = io.BytesIO()
    Image.new("RGBA", (30, 10), "blue").save(out, "PNG", pnginfo=info)
    return out.getvalue()


def assert_clean(data: bytes, *, upright=(20, 40)) -> None:
    for secret in SECRETS:
        assert secret not in data, secret
    assert b"Exif\x00\x00" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif()
        assert not set(image.info) & {"exif", "comment", "xmp", "GPS", "Comment"}
        if upright:
            assert image.size == upright  # the phone's orientation is applied


def test_the_fixture_is_dirty():
    with pytest.raises(AssertionError):
        assert_clean(phone_jpeg())


def test_villager_photos_evidence_reports_shop_and_progress():
    photo = photo_prepare(SimpleUploadedFile("p.jpg", phone_jpeg()))
    assert_clean(photo.file.read())


def test_pictures_attached_as_documents_or_minutes():
    kept = document_check(SimpleUploadedFile("p.jpg", phone_jpeg()), extensions={"jpg"})
    assert_clean(kept.read())
    kept = document_check(SimpleUploadedFile("p.png", tagged_png()), extensions={"png"})
    assert_clean(kept.read(), upright=(30, 10))
    assert kept.name == "p.png"


def test_deliberation_progress_photo():
    from deliberation.forms import ProgressForm

    form = ProgressForm(
        data={"percent": 50, "text": "路基完成"},
        files={"photo": SimpleUploadedFile("p.jpg", phone_jpeg())},
    )
    assert form.is_valid(), form.errors
    assert_clean(form.cleaned_data["photo"].read())


def test_catalogue_minutes_photo():
    from points.forms import CatalogueUploadForm

    form = CatalogueUploadForm()
    form.cleaned_data = {"minutes": SimpleUploadedFile("m.jpg", phone_jpeg())}
    assert_clean(form.clean_minutes().read())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_wagtail_admin_upload_original_and_renditions(client, db, media):
    from wagtail.images import get_image_model

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "村口新修的路",
            "file": SimpleUploadedFile("road.jpg", phone_jpeg(), "image/jpeg"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    image = get_image_model().objects.get(title="村口新修的路")
    assert (image.width, image.height) == (20, 40)
    with image.open_file() as stored:
        assert_clean(stored.read())
    for spec in ("original", "fill-10x10", "width-16|format-webp", "max-20x20"):
        rendition = image.get_rendition(spec)
        with rendition.file.open("rb") as served:
            data = served.read()
        assert_clean(data, upright=None)
        # Served as anyone sees it: the public URL's bytes.
        assert (media / rendition.file.name).read_bytes() == data


def test_wagtail_admin_multiple_upload(client, db, media):
    from wagtail.images import get_image_model

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": SimpleUploadedFile("road.jpg", phone_jpeg(), "image/jpeg")},
    )
    assert response.status_code == 200 and response.json()["success"]
    image = get_image_model().objects.get()
    with image.open_file() as stored:
        assert_clean(stored.read())


def test_wagtail_documents_picture(client, db, media):
    from wagtail.documents import get_document_model

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "现场照片",
            "file": SimpleUploadedFile("site.jpg", phone_jpeg(), "image/jpeg"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = get_document_model().objects.get()
    with document.open_file() as stored:
        assert_clean(stored.read())


def test_pictures_stored_before_are_cleaned_by_the_command(db, media):
    """Images uploaded before cleaning existed (stored as they came, bypassing the
    form) are cleaned in place, and their renditions made again."""
    from io import StringIO

    from django.core.files.images import ImageFile
    from django.core.management import call_command

    from wagtail.images import get_image_model

    image = get_image_model().objects.create(
        title="旧照片", file=ImageFile(io.BytesIO(phone_jpeg()), name="old.jpg")
    )
    dirty = image.get_rendition("fill-10x10")
    with image.open_file() as stored:
        assert b"SECRET-COMMENT" in stored.read()

    out = StringIO()
    call_command("images_clean", stdout=out)
    assert "cleaned 1 images" in out.getvalue()

    image.refresh_from_db()
    with image.open_file() as stored:
        assert_clean(stored.read())
    assert (image.width, image.height) == (20, 40)
    assert not image.renditions.filter(pk=dirty.pk).exists()
    with image.get_rendition("fill-10x10").file.open("rb") as served:
        assert_clean(served.read(), upright=None)

    out = StringIO()
    call_command("images_clean", stdout=out)
    assert "cleaned 0 images" in out.getvalue()
