"""One answer for one form, however often it is sent.

A villager on a slow link taps 提交 and, seeing nothing happen, taps again: the
browser sends the same form twice, often at the same instant. Without help each
copy runs its own view, and the second either writes a second record or, losing a
race to a unique constraint, answers a server error that says "not saved" when the
first copy was saved. Keys in single forms cannot fix every form at once; this
guard does, in one place.

How. A signed-in person's POST to one of our views is claimed before the view
runs. The person's row (one row a person, ``operations.models.Submission``) takes
a keyed hash of what was sent: the address, every field and every file. When the
row already holds the same hash and that request is still being handled, or
finished with a redirect less than ``WINDOW`` ago, this request is the same tap
again: it waits for the first to finish and answers the first's redirect, with a
message that it was saved once. Anything else goes to the view as usual: another
form, or the same form after the first was refused (an error message, a form to
correct, a 4xx): trying again after a refusal is a new attempt.

Why the person's last form only: whoever votes 同意, then 反对, then 同意 again
sends three forms, the third the same as the first; it is not a double tap, and it
is handled. A request that never finishes (a killed worker) stops counting after
``PENDING_TIMEOUT``.

Privacy. The row holds HMACs under SECRET_KEY, never the person's id or the
fields, so the database alone does not tell which choice a secret ballot's voter
sent; rows are deleted when they can no longer match.

A few forms answer with a page that shows a secret once (a ballot's receipt, a
household card's PIN) instead of a redirect; such a view sets
``answers_in_place = True``. A copy of it gets a page saying that the first was
done once, with a link back, never the secret: the guard keeps no page.

Scope: our own views only. Django's and Wagtail's admin keep their own flows, and
allauth's login forms are not records (a second login is harmless)."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
import uuid
from dataclasses import dataclass, replace

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from operations.models import Submission

# A second tap this soon after the first was answered gets the first answer.
WINDOW = dt.timedelta(minutes=2)
# A first request still unfinished after this long is taken as lost.
PENDING_TIMEOUT = dt.timedelta(seconds=60)
# How long a second tap waits for the first before saying it is still in hand.
WAIT_SECONDS = 20.0
# Views of these packages are not ours (admin sites, login forms).
FOREIGN = ("django.", "wagtail", "allauth", "modelcluster", "taggit")
NOT_HASHED = frozenset({"csrfmiddlewaretoken"})


@dataclass(frozen=True)
class Claim:
    actor_key: str
    token: uuid.UUID
    first: bool
    in_place: bool = False  # the view answers with a page, not a redirect


def _hmac(purpose: str, value: str) -> str:
    return salted_hmac(
        f"operations.submissions.{purpose}", value, algorithm="sha256"
    ).hexdigest()


def actor_key(user) -> str:
    return _hmac("actor", str(user.pk))


def body_key(request: HttpRequest, actor: str) -> str:
    """What was sent, as a keyed hash: the same form gives the same key whatever
    the order of its fields; any changed character or file byte gives another."""
    digest = hashlib.sha256()

    def add(*parts: str | bytes) -> None:
        for part in parts:
            data = (
                part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
            )
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)

    add(request.method or "", request.get_full_path())
    for name in sorted(request.POST.keys()):
        if name not in NOT_HASHED:
            add("field", name, *request.POST.getlist(name))
    for name in sorted(request.FILES.keys()):
        for upload in request.FILES.getlist(name):
            add("file", name, upload.name or "")
            content = hashlib.sha256()
            for chunk in upload.chunks():
                content.update(chunk)
            upload.seek(0)
            add(content.digest())
    return _hmac("body", actor + digest.hexdigest())


def _matches(row: Submission, body: str, now: dt.datetime) -> bool:
    if row.body_key != body:
        return False
    if row.state == Submission.State.PENDING:
        return row.started_at > now - PENDING_TIMEOUT
    return row.finished_at is not None and row.finished_at > now - WINDOW


def submission_claim(*, actor: str, body: str) -> Claim:
    """Take the person's row for this request, or learn that it is a copy of the
    request that holds it. Runs in a transaction of its own, before the view."""
    now = timezone.now()
    token = uuid.uuid4()
    fresh = {
        "body_key": body,
        "token": token,
        "state": Submission.State.PENDING,
        "status": None,
        "location": "",
        "started_at": now,
        "finished_at": None,
    }
    with transaction.atomic():
        # Rows that can no longer match anything: old enough for both rules.
        Submission.objects.filter(
            started_at__lt=now - PENDING_TIMEOUT - WINDOW
        ).delete()
        row = Submission.objects.select_for_update().filter(actor_key=actor).first()
        if row is None:
            try:
                with transaction.atomic():
                    Submission.objects.create(actor_key=actor, **fresh)
                return Claim(actor, token, first=True)
            except IntegrityError:
                # The other copy inserted first and has committed: lock its row.
                row = Submission.objects.select_for_update().get(actor_key=actor)
        if _matches(row, body, now):
            return Claim(actor, row.token, first=False)
        for name, value in fresh.items():
            setattr(row, name, value)
        row.save(update_fields=list(fresh))
    return Claim(actor, token, first=True)


def _refused(request: HttpRequest, response: HttpResponse, *, in_place: bool) -> bool:
    done = (in_place and response.status_code == 200) or (
        300 <= response.status_code < 400 and response.has_header("Location")
    )
    if not done:
        return True
    queued = getattr(getattr(request, "_messages", None), "_queued_messages", [])
    return any(message.level >= messages.WARNING for message in queued)


def submission_finish(*, claim: Claim, request: HttpRequest, response) -> None:
    """Keep the answer of a request that did its work (a redirect, nothing
    refused) for its copies; forget one that was refused, so that trying again
    is a new attempt."""
    mine = Submission.objects.filter(actor_key=claim.actor_key, token=claim.token)
    if _refused(request, response, in_place=claim.in_place):
        mine.delete()
        return
    if response.status_code == 200:  # answered in place: copies link back here
        location = request.get_full_path()
    else:
        location = response["Location"]
    mine.update(
        state=Submission.State.DONE,
        status=response.status_code,
        location=location[:2000],
        finished_at=timezone.now(),
    )


def submission_wait(*, claim: Claim, request: HttpRequest) -> HttpResponse | None:
    """Answer a copy with the first request's redirect once it has one. None when
    the first was refused or replaced: then the copy is a request of its own."""
    deadline = time.monotonic() + WAIT_SECONDS
    delay = 0.02
    while True:
        row = (
            Submission.objects.filter(actor_key=claim.actor_key, token=claim.token)
            .values("state", "status", "location")
            .first()
        )
        if row is None:
            return None
        if row["state"] == Submission.State.DONE:
            if row["status"] == 200:
                return render(
                    request,
                    "operations/done_once.html",
                    {"back": row["location"]},
                )
            messages.info(request, _("You sent this twice; it was saved once."))
            response = HttpResponseRedirect(row["location"])
            response.status_code = row["status"]
            return response
        if time.monotonic() >= deadline:
            return render(request, "operations/still_handling.html", status=409)
        time.sleep(delay)
        delay = min(delay * 2, 0.25)


class SubmitOnceMiddleware:
    """Answers a copy of a form (a double tap) with the first answer; see the
    module's note. After CSRF and authentication, so that only a request that
    would reach the view is claimed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        claim = getattr(request, "_submission_claim", None)
        if claim is not None and claim.first:
            submission_finish(claim=claim, request=request, response=response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or not request.user.is_authenticated:
            return None
        if getattr(view_func, "__module__", "").startswith(FOREIGN):
            return None
        view_class = getattr(view_func, "view_class", view_func)
        in_place = getattr(view_class, "answers_in_place", False)
        actor = actor_key(request.user)
        body = body_key(request, actor)
        # A copy whose first was refused is tried again: as a request of its own,
        # unless a third copy claimed the row meanwhile (then it waits for that).
        for _attempt in range(3):
            claim = submission_claim(actor=actor, body=body)
            if claim.first:
                request._submission_claim = replace(claim, in_place=in_place)
                return None
            answer = submission_wait(claim=claim, request=request)
            if answer is not None:
                return answer
        return render(request, "operations/still_handling.html", status=409)
