"""gunicorn for Xiangyue, behind nginx.

    gunicorn -c config/deploy/gunicorn.conf.py

Every value can be changed from the environment (the systemd unit sets them), so
one file serves a small server and a large one. See config/deploy/DEPLOY.md.
"""

import datetime
import json
import multiprocessing
import os

from gunicorn.glogging import Logger

wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: each request holds one process, and pages are rendered on the
# server in tens of milliseconds; 2 per core was the best of what we measured
# (bench/bench_mixed.py).
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
# Load Django once, then fork: a worker answers its first request in ~0.2 s
# instead of ~5 s, and the workers share the loaded code's memory.
preload_app = True
# A page that needs more than 30 s is broken; the worker is killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Replace each worker after a few thousand requests: a slow leak cannot grow.
max_requests = 5000
max_requests_jitter = 500
# nginx on the same host (or the load balancer's address) sets X-Forwarded-*.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Logs go to stdout/stderr, i.e. the journal. The app itself writes one JSON line
# per request (config/logs.py), so gunicorn's access log is off unless asked for
# (GUNICORN_ACCESSLOG=-); when on, it is JSON too, with nginx's request id.
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
access_log_format = "%(m)s %(U)s %(s)s %(M)sms"  # the text of "message" below


class JsonAccessLogger(Logger):
    """Access lines as JSON objects (gunicorn's format string does not escape)."""

    def access(self, resp, req, environ, request_time):
        if not self.cfg.accesslog:
            return
        headers = dict(req.headers)
        peer = req.remote_addr
        if isinstance(peer, tuple | list):
            peer = peer[0]
        line = {
            "time": datetime.datetime.now(datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "logger": "gunicorn.access",
            "request_id": headers.get("X-REQUEST-ID", ""),
            "remote": headers.get("X-FORWARDED-FOR", str(peer or "")),
            "method": req.method,
            "path": req.path,
            "status": resp.status_code,
            "bytes": getattr(resp, "sent", 0),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
        }
        self.access_log.info(json.dumps(line, ensure_ascii=False))


logger_class = JsonAccessLogger
