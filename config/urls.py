from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from cms_home import views as cms_views
from cms_home.admin_scope import admin_view_guard

# Every view of Wagtail's admin keeps a village's committee to its own village, the
# way Wagtail wraps them all with its own access check.
decorate_urlpatterns(wagtailadmin_urls.urlpatterns, admin_view_guard)

urlpatterns = [
    # The portal page of the disclosure site (Wagtail), by name for templates.
    path("", cms_views.portal, name="portal"),
    # For load balancers and monitors: no login, session, cache or translation.
    path("healthz/", include("operations.urls")),
    path("accounts/", include("allauth.urls")),
    path("me/", include("accounts.urls")),
    path("me/notifications/", include("notifications.urls")),
    path("v/<slug:village>/", include("villages.urls")),
    path("v/<slug:village>/roster/", include("roster.urls")),
    path("v/<slug:village>/audit/", include("audit.urls")),
    path("v/<slug:village>/points/", include("points.urls")),
    path("v/<slug:village>/shop/", include("points.shop.urls")),
    path("v/<slug:village>/deliberation/", include("deliberation.urls")),
    path("v/<slug:village>/reports/", include("reports.urls")),
    path("", include("privacy.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# A database that does not answer is a 503 page asking to try again, not a 500.
handler500 = "operations.views.server_error"

# Wagtail serves the page tree for everything not matched above.
urlpatterns += [path("", include(wagtail_urls))]
