"""Evidence photos: checked by their content with Pillow, shrunk on upload.

A file is an image only if Pillow can decode it; its declared name or type counts
for nothing. Pictures over ``villages.images.MAX_PIXELS`` (decompression bombs) are refused before
they are decoded.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from points.services.errors import PointsError
from villages.images import ImageRefused, image_reencode

MAX_BYTES = 10 * 1024 * 1024
LONG_SIDE = 1600
FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}
MAX_PHOTOS = 6


@dataclass
class CheckedPhoto:
    file: ContentFile
    width: int
    height: int


def photo_prepare(upload) -> CheckedPhoto:
    """A resized JPEG made from the upload, or PointsError saying what is wrong.

    The pixels only: location, camera and comments are dropped by the one photo
    pipeline (``villages.images.image_reencode``)."""
    if upload.size > MAX_BYTES:
        raise PointsError(_("A photo may be at most 10 MB."))
    try:
        clean = image_reencode(
            upload.read(), formats=FORMATS, to_format="JPEG", long_side=LONG_SIDE
        )
    except ImageRefused as error:
        if error.reason == "pixels":
            raise PointsError(_("This picture is too large to process.")) from error
        raise PointsError(_("This file is not a photo (JPEG or PNG).")) from error
    return CheckedPhoto(
        file=ContentFile(clean.data, name=f"{uuid.uuid4().hex}.jpg"),
        width=clean.width,
        height=clean.height,
    )
