"""An uploaded .xlsx judged by its zip's central directory, before anything in it
is inflated: what is not a workbook, and a zip bomb (a small upload with huge XML
inside), are refused here. Python's zipfile stops a member at the size the
directory declares, so a member that lies about its size is cut there."""

from __future__ import annotations

import struct
import zipfile
from typing import IO

# A roster of 20,000 people in 7 columns is ~8 MB of sheet XML (in 20 columns
# ~24 MB); the caps leave room for that and no more. At the caps a read takes a
# few seconds and ~25 MB (bench/bench_spreadsheet_uploads.py).
MAX_MEMBERS = 200
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
MAX_MEMBER_BYTES = 24 * 1024 * 1024
# Spreadsheet XML packs 5 to 30 times; a bomb packs a thousand times and more.
MAX_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format
# The end record sits in the last 22 bytes plus a comment of up to 64 KB.
_EOCD_SEARCH = 22 + 65_535
_MAX_ENTRY_BYTES = 1024  # a directory entry: 46 bytes, its name and extras


class WorkbookError(Exception):
    """The upload is not a workbook we read. `code`: not_xlsx, xls, too_large,
    empty, too_many_rows; the caller words the message for its page."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def check_container(stream: IO[bytes]) -> dict[str, zipfile.ZipInfo]:
    """Refuse what is not an .xlsx, or is a bomb, from the central directory."""
    stream.seek(0)
    magic = stream.read(4)
    stream.seek(0)
    if magic == _OLE_MAGIC:
        raise WorkbookError("xls")
    if magic != _ZIP_MAGIC:
        raise WorkbookError("not_xlsx")
    _check_directory_size(stream)
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
    except (
        zipfile.BadZipFile,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,
    ) as exc:
        raise WorkbookError("not_xlsx") from exc
    finally:
        stream.seek(0)
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise WorkbookError("not_xlsx")
    if len(members) > MAX_MEMBERS:
        raise WorkbookError("too_large")
    if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise WorkbookError("too_large")
    for member in members:
        if member.file_size > MAX_MEMBER_BYTES or (
            member.file_size > RATIO_FROM_BYTES
            and member.file_size > MAX_RATIO * max(member.compress_size, 1)
        ):
            raise WorkbookError("too_large")
    return {m.filename: m for m in members}


def _check_directory_size(stream: IO[bytes]) -> None:
    """zipfile makes an object of every entry of the central directory before
    anyone can count them: refuse a directory longer than MAX_MEMBERS entries
    could be, from its end record, first."""
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(max(0, size - _EOCD_SEARCH))
    tail = stream.read()
    stream.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise WorkbookError("not_xlsx")
    entries, directory_bytes = struct.unpack("<HL", tail[at + 10 : at + 16])
    if entries > MAX_MEMBERS or directory_bytes > MAX_MEMBERS * _MAX_ENTRY_BYTES:
        raise WorkbookError("too_large")
