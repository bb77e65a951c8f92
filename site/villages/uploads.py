"""Uploaded files are what their content says, not what their name says.

``document_check`` accepts an attachment only when its bytes are the kind its
extension names: a PDF starts as a PDF, a picture decodes as a picture of a sane
size, an Office file is the right container (and not a zip bomb), a CSV is plain
text. Anything that reads like a web page or an SVG drawing is refused whatever it
is called, so an upload can never be served back as a page that runs script.
A picture is kept only as ``villages.images.image_reencode`` re-encodes it (its
pixels, without location, camera data or comments): ``document_check`` returns the
file to store.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from villages.images import ImageRefused, image_reencode

MAX_ARCHIVE_MEMBERS = 2_000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
IMAGE_FORMATS = {"jpg": {"JPEG", "MPO"}, "jpeg": {"JPEG", "MPO"}, "png": {"PNG"}}
OOXML_MAIN = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
# Markup a browser would run: HTML, SVG, script.
MARKUP = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|object|embed|meta)\b"
    rb"|<[a-z]+[^>]*\son[a-z]+\s*=",
    re.IGNORECASE,
)
SNIFF_BYTES = 4096


def looks_like_markup(head: bytes) -> bool:
    """Whether the start of a file reads like HTML/SVG/XML that a browser might
    render, also in UTF-16 (browsers sniff that too)."""
    candidates = [head, head.replace(b"\x00", b"")]
    return any(MARKUP.search(text) for text in candidates)


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _read(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _clean_image(data: bytes, extension: str, name: str) -> ContentFile:
    try:
        clean = image_reencode(data, formats=IMAGE_FORMATS[extension])
    except ImageRefused as error:
        if error.reason == "pixels":
            raise _refuse(
                _("This picture is too large to process."), "pixels"
            ) from error
        raise _refuse(
            _("This file is not the picture it says it is."), "type"
        ) from error
    return ContentFile(clean.data, name=PurePosixPath(name).name)


def _check_ooxml(data: bytes, extension: str) -> None:
    if not data.startswith(ZIP_MAGIC):
        raise _refuse(_("This file is not the kind its name says."), "type")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _refuse(_("This file is not the kind its name says."), "type") from error
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or OOXML_MAIN[extension] not in names:
        raise _refuse(_("This file is not the kind its name says."), "type")
    if (
        len(members) > MAX_ARCHIVE_MEMBERS
        or sum(m.file_size for m in members) > MAX_UNPACKED_BYTES
    ):
        raise _refuse(_("This file unpacks to too much to be a document."), "bomb")


def _check_csv(data: bytes) -> None:
    if b"\x00" in data:
        raise _refuse(_("This file is not the kind its name says."), "type")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            data.decode(encoding)
            return
        except UnicodeDecodeError:
            continue
    raise _refuse(_("This file is not the kind its name says."), "type")


def document_check(upload, *, extensions, max_bytes: int | None = None):
    """Refuse ``upload`` (ValidationError) unless its name has one of
    ``extensions`` and its content is of that kind. Returns the file to store: a
    picture re-encoded to its pixels only, anything else as it came."""
    limit = max_bytes or settings.MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise _refuse(
            _("This file is too large: the limit is %(limit)s.")
            % {"limit": filesizeformat(limit)},
            "size",
        )
    extension = PurePosixPath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in extensions:
        raise _refuse(_("This kind of file cannot be attached."), "extension")
    data = _read(upload)
    if not data:
        raise _refuse(_("The file is empty."), "empty")
    # Text-like kinds are read for markup (a PDF may be text up to its first
    # stream); pictures and Office files are checked by decoding them instead.
    if extension in {"pdf", "csv"} and looks_like_markup(data[:SNIFF_BYTES]):
        raise _refuse(_("Web pages and drawings cannot be attached."), "markup")
    if extension == "pdf":
        if not data.startswith(b"%PDF-"):
            raise _refuse(_("This file is not the kind its name says."), "type")
    elif extension in IMAGE_FORMATS:
        return _clean_image(data, extension, upload.name)
    elif extension in OOXML_MAIN:
        _check_ooxml(data, extension)
    elif extension in {"doc", "xls"}:
        if not data.startswith(OLE_MAGIC):
            raise _refuse(_("This file is not the kind its name says."), "type")
    elif extension == "csv":
        _check_csv(data)
    else:
        raise _refuse(_("This kind of file cannot be attached."), "extension")
    return upload
