from django.shortcuts import render

from wagtail.models import Site
from wagtail.views import serve as wagtail_serve

from cms_home.models import PortalPage
from cms_home.selectors import portal_villages


def portal(request):
    """The front door, "/": the site's portal page when there is one; before the
    disclosure site is set up, the plain list of villages."""
    site = Site.find_for_request(request)
    if site is not None and issubclass(site.root_page.specific_class, PortalPage):
        return wagtail_serve(request, "")
    return render(
        request,
        "cms_home/portal_page.html",
        {"page": None, "entries": portal_villages()},
    )
