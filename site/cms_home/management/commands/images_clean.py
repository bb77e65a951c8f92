"""Clean the pictures stored before uploads were cleaned: ``manage.py images_clean``.

Every Wagtail image original (and every picture attached as a document) is
re-encoded through the one photo pipeline (villages.images), losing its location,
camera data and comments; the image's renditions are deleted so that they are made
again from the clean original. Running it twice changes nothing the second time.
"""

import io
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand

from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from PIL import Image

from villages.images import ImageRefused, image_reencode

PICTURE_EXTENSIONS = {"jpg", "jpeg", "png", "webp"}


def _clean_bytes(field) -> bytes | None:
    """The re-encoded content of ``field``, or None when it is already clean or
    is not a picture we can read."""
    with field.open("rb") as stored:
        data = stored.read()
    try:
        clean = image_reencode(data)
    except ImageRefused:
        return None
    # Re-encoding a clean JPEG again would only lose quality: skip when nothing
    # but pixels was there (no EXIF, comments or text chunks).
    if not _carries_more_than_pixels(data):
        return None
    return clean.data


def _carries_more_than_pixels(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as image:
        extra = set(image.info) - {"jfif", "jfif_version", "jfif_unit", "jfif_density"}
        extra -= {"dpi", "progressive", "progression", "loop", "duration", "background"}
        hidden_segment = image.format in {"JPEG", "MPO"} and any(
            bytes([0xFF, marker]) in data[:65536] for marker in range(0xE1, 0xF0)
        )
        return bool(extra) or bool(image.getexif()) or hidden_segment


def _replace(field, data: bytes) -> None:
    name = PurePosixPath(field.name).name
    old = field.name
    field.save(name, ContentFile(data), save=False)
    field.storage.delete(old)


class Command(BaseCommand):
    help = "Strip location, camera data and comments from stored pictures."

    def handle(self, *args, **options):
        images = documents = 0
        for image in get_image_model().objects.all():
            data = _clean_bytes(image.file)
            if data is None:
                continue
            _replace(image.file, data)
            image._set_image_file_metadata()
            image.width, image.height = image.file.width, image.file.height
            image.save()
            for rendition in image.renditions.all():
                rendition.file.delete(save=False)
                rendition.delete()
            images += 1
        for document in get_document_model().objects.all():
            extension = PurePosixPath(document.file.name).suffix.lower().lstrip(".")
            if extension not in PICTURE_EXTENSIONS:
                continue
            data = _clean_bytes(document.file)
            if data is None:
                continue
            _replace(document.file, data)
            document.file_size = len(data)
            document._set_file_hash()
            document.save()
            documents += 1
        self.stdout.write(f"cleaned {images} images, {documents} documents")
