"""Threads that start a call at the same instant, for the PostgreSQL proofs."""

import threading

from django.core.exceptions import ValidationError
from django.db import connections


def run_together(target, n: int):
    """Call ``target(i)`` for i in 0..n-1 from n threads released at once.
    Returns (results, errors): a refusal is its ValidationError code; anything
    else is its repr, a bug the test must show."""
    barrier = threading.Barrier(n)
    results, errors = [], []

    def worker(i):
        try:
            barrier.wait()
            results.append(target(i))
        except ValidationError as e:
            errors.append(e.code)
        except Exception as e:
            errors.append(repr(e))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors
