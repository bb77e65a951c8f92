"""The one photo pipeline: every picture the site stores is decoded and re-encoded here.

A phone photo carries more than its pixels: the GPS position of the house it was
taken in, the phone's make and serial, the owner's name, thumbnails of what was
cropped away, and whatever anyone hid in comment (JPEG COM), application (APP1
XMP, APP2 ICC, APPn) segments or PNG text chunks. Only the pixels survive a trip
through ``image_reencode``: the orientation the phone recorded is applied to them
first, then everything else is dropped. Callers: ``points.images.photo_prepare``
(evidence, reports, shop goods), ``villages.uploads.document_check`` (pictures
attached as documents or minutes), ``cms_home.image_forms.ImageForm`` (Wagtail
images, from which every rendition is made).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

MAX_PIXELS = 40_000_000  # a 48-megapixel phone photo is fine; a bomb is not
# Pillow's format → the format we store it in (an MPO is a JPEG with extra frames).
KEEP_FORMAT = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}


class ImageRefused(ValueError):
    """Not a picture we can take; ``reason`` is "type" or "pixels"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    format: str  # "JPEG", "PNG" or "WEBP"
    width: int
    height: int


def image_reencode(
    data: bytes,
    *,
    formats: set[str] | frozenset[str] = frozenset(KEEP_FORMAT),
    to_format: str | None = None,
    long_side: int | None = None,
) -> CleanImage:
    """The pixels of ``data`` only, upright, in ``to_format`` (default: the kind it
    came as), shrunk to ``long_side`` if given. Raises ImageRefused."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in formats:
                    raise ImageRefused("type")
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise ImageRefused("pixels")
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                source_format = image.format
                image = ImageOps.exif_transpose(image)
                if long_side:
                    image.thumbnail((long_side, long_side))
                target = to_format or KEEP_FORMAT.get(source_format, "JPEG")
                image = _pixels_only(image, target)
                out = io.BytesIO()
                if target == "JPEG":
                    image.save(out, "JPEG", quality=85, optimize=True)
                elif target == "WEBP":
                    image.save(out, "WEBP", quality=85)
                else:
                    image.save(out, "PNG", optimize=True)
    except ImageRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageRefused("pixels") from error
    except Exception as error:
        raise ImageRefused("type") from error
    return CleanImage(
        data=out.getvalue(), format=target, width=image.width, height=image.height
    )


def _pixels_only(image: Image.Image, target: str) -> Image.Image:
    """A new image holding the pixels and nothing of ``image.info`` (Pillow writes
    a JPEG's comment, a PNG's text and some profiles back from there)."""
    if target == "JPEG":
        mode = "RGB" if image.mode not in {"L", "RGB"} else image.mode
    elif image.mode in {"1", "L", "LA", "RGB", "RGBA"}:
        mode = image.mode
    else:
        mode = "RGBA" if "transparency" in image.info or "A" in image.mode else "RGB"
    pixels = image.convert(mode)
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    clean.info = {}
    return clean
