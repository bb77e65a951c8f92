"""Votes: setting one up, casting and changing a ballot, paper ballots, print, poster."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from deliberation import selectors
from deliberation.forms import BallotForm, PaperBallotForm, VoteForm, VoteSettingsForm
from deliberation.models import Vote
from deliberation.qr import qr_svg
from deliberation.services import votes as vote_services
from deliberation.views.base import DeliberationView
from villages.i18n import render_in_village_language

RECEIPT_COOKIE = "ballot-%s"


def receipt_cookie(request, vote) -> str:
    return vote_services.normalise_receipt(
        request.COOKIES.get(RECEIPT_COOKIE % vote.pk, "")
    )


class VoteCreateView(DeliberationView):
    def get(self, request, village, pk):
        topic = self.topic(pk)
        self.require("deliberation.manage_topic", topic)
        now = timezone.localtime().replace(second=0, microsecond=0)
        form = VoteForm(
            initial={
                "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
                "closes_at": (now + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
                "is_secret": True,
            }
        )
        return self.form_page("deliberation/vote_form.html", topic=topic, form=form)

    def post(self, request, village, pk):
        topic = self.topic(pk)
        self.require("deliberation.manage_topic", topic)
        form = VoteForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                vote = vote_services.vote_create(
                    topic=topic,
                    by=request.user,
                    question=data["question"],
                    kind=data["kind"],
                    electorate=data["electorate"],
                    rule=data["rule"],
                    opens_at=data["opens_at"],
                    closes_at=data["closes_at"],
                    options=data["option_list"],
                    max_choices=data["max_choices"],
                    results_live=data["results_live"],
                    is_secret=data["is_secret"],
                )
            except ValidationError as e:
                form.add_error(None, e)
            else:
                return redirect(vote.get_absolute_url())
        return self.form_page(
            "deliberation/vote_form.html", topic=topic, form=form, status=400
        )


def _to_the_minute(value):
    # The form shows times to the minute: an untouched time is not a change.
    if isinstance(value, dt.datetime):
        return value.replace(second=0, microsecond=0)
    return value


class VoteEditView(DeliberationView):
    def get(self, request, village, pk):
        vote = self.vote(pk)
        self.require("deliberation.manage_topic", vote)
        return self.form_page(
            "deliberation/vote_edit.html",
            vote=vote,
            form=VoteSettingsForm(instance=vote),
        )

    def post(self, request, village, pk):
        vote = self.vote(pk)
        self.require("deliberation.manage_topic", vote)
        form = VoteSettingsForm(request.POST, instance=Vote.objects.get(pk=vote.pk))
        if form.is_valid():
            changes = {
                name: form.cleaned_data[name]
                for name in form.changed_data
                if form.cleaned_data[name] != _to_the_minute(getattr(vote, name))
            }
            try:
                if changes:
                    vote_services.vote_update(vote=vote, by=request.user, **changes)
            except ValidationError as e:
                form.add_error(None, e)
            else:
                return redirect(vote.get_absolute_url())
        return self.form_page(
            "deliberation/vote_edit.html", vote=vote, form=form, status=400
        )


class VoteDetailView(DeliberationView):
    """Read the vote, see turnout and (when allowed) results, cast or change a ballot."""

    # The receipt is shown once, on the page that answers the ballot; a double
    # tap gets "done once", never the receipt (operations.submissions).
    answers_in_place = True

    def context(self, vote, form=None, **extra):
        user = self.request.user
        may_vote = user.has_perm("deliberation.vote", vote)
        voted = selectors.has_participated(user=user, vote=vote)
        return {
            "vote": vote,
            "topic": vote.topic,
            "outcome": selectors.vote_outcome(vote),
            "may_vote": may_vote,
            "eligible": selectors.is_eligible(user=user, vote=vote),
            "voted": voted,
            "receipt": receipt_cookie(self.request, vote) if vote.is_secret else "",
            "form": form or (BallotForm(vote=vote) if may_vote else None),
            "can_paper": user.has_perm("deliberation.record_paper_ballot", vote),
            "can_manage": user.has_perm("deliberation.manage_topic", vote),
            **extra,
        }

    def get(self, request, village, pk):
        vote = self.vote(pk)
        return self.form_page("deliberation/vote_detail.html", **self.context(vote))

    def post(self, request, village, pk):
        vote = self.vote(pk)
        if not vote.is_open():
            message = (
                _("This vote has closed.")
                if vote.is_closed()
                else _("This vote has not opened yet.")
            )
            return self.refuse(message, back=vote.get_absolute_url())
        if not request.user.has_perm("deliberation.vote", vote):
            return self.refuse(
                _("You are not on the roll for this vote."),
                back=vote.get_absolute_url(),
                status=403,
            )
        form = BallotForm(request.POST, vote=vote)
        if not form.is_valid():
            return self.form_page(
                "deliberation/vote_detail.html", status=400, **self.context(vote, form)
            )
        typed = form.cleaned_data["receipt"]
        if typed and not vote_services.normalise_receipt(typed):
            form.add_error("receipt", _("A receipt code has 20 letters and digits."))
            return self.form_page(
                "deliberation/vote_detail.html", status=400, **self.context(vote, form)
            )
        try:
            receipt = vote_services.ballot_cast(
                vote=vote,
                voter=request.user,
                option_ids=form.cleaned_data["choice"],
                receipt=typed or receipt_cookie(request, vote),
            )
        except ValidationError as e:
            form.add_error(None, e)
            return self.form_page(
                "deliberation/vote_detail.html", status=400, **self.context(vote, form)
            )
        # The receipt goes to the voter only: in this page and, only when they ask
        # for it, in a cookie scoped to this vote; never in the session (stored in
        # the database). A kept receipt lets whoever holds the phone change the
        # ballot, so it is off unless ticked; unticked, an old one is forgotten.
        response = self.form_page(
            "deliberation/ballot_received.html",
            vote=vote,
            topic=vote.topic,
            receipt=receipt,
        )
        if receipt and form.cleaned_data.get("keep_receipt"):
            response.set_cookie(
                RECEIPT_COOKIE % vote.pk,
                receipt,
                max_age=int((vote.closes_at - timezone.now()).total_seconds()) + 86400,
                path=vote.get_absolute_url(),
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        elif RECEIPT_COOKIE % vote.pk in request.COOKIES:
            response.delete_cookie(
                RECEIPT_COOKIE % vote.pk, path=vote.get_absolute_url(), samesite="Lax"
            )
        return response


class PaperBallotView(DeliberationView):
    def get(self, request, village, pk):
        vote = self.vote(pk)
        self.require("deliberation.record_paper_ballot", vote)
        return self.form_page(
            "deliberation/paper_ballot.html", vote=vote, form=PaperBallotForm(vote=vote)
        )

    def post(self, request, village, pk):
        vote = self.vote(pk)
        self.require("deliberation.record_paper_ballot", vote)
        form = PaperBallotForm(request.POST, vote=vote)
        if form.is_valid():
            data = form.cleaned_data
            try:
                vote_services.paper_ballot_record(
                    vote=vote,
                    voter=data["voter"],
                    by=request.user,
                    option_ids=data["choice"],
                    consent_note=data["consent_note"],
                )
            except ValidationError as e:
                form.add_error(None, e)
            else:
                return redirect(vote.get_absolute_url())
        return self.form_page(
            "deliberation/paper_ballot.html", vote=vote, form=form, status=400
        )


class VotePrintView(DeliberationView):
    def get(self, request, village, pk):
        vote = self.vote(pk)
        return render_in_village_language(
            self.village,
            lambda: self.form_page(
                "deliberation/vote_print.html",
                vote=vote,
                topic=vote.topic,
                outcome=selectors.vote_outcome(vote),
                now=timezone.now(),
            ),
        )


class VotePosterView(DeliberationView):
    def get(self, request, village, pk):
        vote = self.vote(pk)
        url = settings.SITE_URL + vote.get_absolute_url()
        return render_in_village_language(
            self.village,
            lambda: self.form_page(
                "deliberation/vote_poster.html",
                vote=vote,
                topic=vote.topic,
                url=url,
                qr=mark_safe(qr_svg(url)),
                outcome=selectors.vote_outcome(vote),
            ),
        )
