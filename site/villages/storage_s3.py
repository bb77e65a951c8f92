"""Media on S3-compatible object storage (django-storages), for deployments with
more than one app server. Named by config/settings/production.py when S3_BUCKET is
set; nothing imports this module otherwise, so boto3 loads only where it is used."""

from __future__ import annotations

import mimetypes

from storages.backends.s3 import S3Storage

# What a browser may show inline from the public bucket; anything else (PDF,
# spreadsheets, documents) downloads, so an uploaded file never runs as a page of
# the site.
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}


class PublicMediaStorage(S3Storage):
    """Public media (Wagtail images and documents of published pages): plain URLs,
    no signature, and ``Content-Disposition: attachment`` on what is not an image."""

    def get_object_parameters(self, name: str) -> dict:
        params = super().get_object_parameters(name)
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        params.setdefault("ContentType", content_type)
        if content_type not in INLINE_TYPES:
            params.setdefault("ContentDisposition", "attachment")
        params.setdefault("CacheControl", "public, max-age=31536000, immutable")
        return params
