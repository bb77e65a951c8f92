"""Wagtail's admin API for images and documents, narrowed to the user's collections
(cms_home.admin_scope); registered in place of Wagtail's own by wagtail_hooks."""

from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet

from cms_home.admin_scope import media_in_scope


class ScopedImagesAPIViewSet(ImagesAdminAPIViewSet):
    def get_queryset(self):
        return media_in_scope(super().get_queryset(), self.request.user)


class ScopedDocumentsAPIViewSet(DocumentsAdminAPIViewSet):
    def get_queryset(self):
        return media_in_scope(super().get_queryset(), self.request.user)
