"""Evidence photos: checked by their content with Pillow, shrunk on upload.

A file is an image only if Pillow can decode it; its declared name or type counts
for nothing. Pictures over ``MAX_PIXELS`` (decompression bombs) are refused before
they are decoded.
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from PIL import Image, ImageOps

from points.services.errors import PointsError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 48-megapixel phone photo is fine; a bomb is not
LONG_SIDE = 1600
FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}
MAX_PHOTOS = 6


@dataclass
class CheckedPhoto:
    file: ContentFile
    width: int
    height: int


def photo_prepare(upload) -> CheckedPhoto:
    """A resized JPEG made from the upload, or PointsError saying what is wrong."""
    if upload.size > MAX_BYTES:
        raise PointsError(_("A photo may be at most 10 MB."))
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in FORMATS:
                    raise PointsError(_("This file is not a photo (JPEG or PNG)."))
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise PointsError(_("This picture is too large to process."))
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image = ImageOps.exif_transpose(image)
                image.thumbnail((LONG_SIDE, LONG_SIDE))
                image = image.convert("RGB")
                out = io.BytesIO()
                image.save(out, "JPEG", quality=82, optimize=True)
    except PointsError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise PointsError(_("This picture is too large to process.")) from error
    except Exception as error:
        raise PointsError(_("This file is not a photo (JPEG or PNG).")) from error
    return CheckedPhoto(
        file=ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg"),
        width=image.width,
        height=image.height,
    )
