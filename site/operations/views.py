from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from operations.health import OK, health


@csrf_exempt
@never_cache
@require_safe
def healthz(request):
    """For load balancers and monitors: 200 when every check passes, else 503
    naming the check that failed. Touches no session and no translation, and the
    public page cache lets it through (it must answer even when the cache is
    down)."""
    checks = health()
    healthy = all(value == OK for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "fail", "checks": checks},
        status=200 if healthy else 503,
    )
