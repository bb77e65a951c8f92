"""Files that must never be served by the web server: kept under PRIVATE_ROOT and
handed out by views that check who asks."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible
from django.utils.module_loading import import_string


@deconstructible
class PrivateStorage(FileSystemStorage):
    def __init__(self, folder: str) -> None:
        self.folder = folder
        super().__init__(base_url=None)

    @property
    def base_location(self):  # read each time, so tests may move PRIVATE_ROOT
        return str(Path(settings.PRIVATE_ROOT) / self.folder)

    @property
    def location(self):
        return str(Path(self.base_location).resolve())

    @property
    def base_url(self):
        return None


def private_store(folder: str) -> Storage:
    """The private store of one kind of file (``"points"``, ``"reports"``): a folder
    under PRIVATE_ROOT, or, when the deployment names a ``STORAGES["private"]``
    (object storage, see config/settings/production.py), a prefix of it."""
    config = settings.STORAGES.get("private")
    if config is None:
        return PrivateStorage(folder)
    options = dict(config.get("OPTIONS", {}))
    options["location"] = "/".join(
        part for part in (options.get("location", "").strip("/"), folder) if part
    )
    return import_string(config["BACKEND"])(**options)


def private_image_response(image) -> FileResponse:
    """Hand one stored (JPEG) image from private storage to the person who asked;
    the caller has checked that they may see it."""
    try:
        handle = image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    from config.security import file_response_protect

    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    # Shown in the page (inline) but never run as one, whatever the file holds.
    return file_response_protect(response, disposition='inline; filename="photo.jpg"')
