import sys

from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from operations.health import SERVING, health


@csrf_exempt
@never_cache
@require_safe
def healthz(request):
    """For load balancers and monitors: 200 when every check passes (the cache
    may be "fallback": Redis is down, the database cache stands in), else 503
    naming the check that failed. Touches no session and no translation, and the
    public page cache lets it through (it must answer even when the cache is
    down)."""
    checks = health()
    healthy = all(value in SERVING for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "fail", "checks": checks},
        status=200 if healthy else 503,
    )


# The database does not answer: stopped, restarting, unreachable (connect_timeout
# in config/settings/base.py bounds the wait), or a connection it dropped.
DATABASE_DOWN = (OperationalError, InterfaceError)


def _database_down(error: BaseException | None) -> bool:
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, DATABASE_DOWN):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def server_error(request):
    """handler500. When the database is down, a 503 page in the visitor's
    language (Chinese by default) that asks to try again, rendered without the
    request so that no context processor reaches for the database; the next request
    connects again by itself (CONN_HEALTH_CHECKS). Any other error: Django's 500."""
    if _database_down(sys.exc_info()[1]):
        return HttpResponse(
            render_to_string("503.html"), status=503, headers={"Retry-After": "60"}
        )
    return defaults.server_error(request)
