"""Topic list and page, proposals, co-signing, comments, moderation."""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from deliberation import page_cache, selectors
from deliberation.forms import (
    PHOTO_TYPES,
    AnswerForm,
    CommentForm,
    DecisionForm,
    HideForm,
    PhaseDatesForm,
    PhaseForm,
    ProposalForm,
    TopicForm,
)
from deliberation.models import Phase, Topic, TopicAttachment
from deliberation.services import comments as comment_services
from deliberation.services import topics as topic_services
from deliberation.views.base import DeliberationView, error_text

COMMENTS_CACHE_SECONDS = 24 * 3600


class TopicListView(DeliberationView):
    def get(self, request, village):
        phase = request.GET.get("phase", "")
        if phase not in Phase.values:
            phase = ""
        counts = selectors.phase_counts(village=self.village)
        return self.form_page(
            "deliberation/topic_list.html",
            topics=selectors.topics_for_village(
                village=self.village, phase=phase or None
            ),
            phase=phase,
            phases=[(p.value, p.label, counts[p.value]) for p in Phase],
            total=sum(counts.values()),
            can_add=request.user.has_perm("deliberation.add_topic", self.village),
            can_propose=request.user.has_perm(
                "deliberation.propose_topic", self.village
            ),
        )


class TopicCreateView(DeliberationView):
    def dispatch_check(self):
        self.require("deliberation.add_topic", self.village)

    def get(self, request, village):
        self.dispatch_check()
        return self.form_page("deliberation/topic_form.html", form=TopicForm())

    def post(self, request, village):
        self.dispatch_check()
        form = TopicForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.form_page("deliberation/topic_form.html", form=form, status=400)
        data = form.cleaned_data
        dates = {}
        if data["collecting_until"]:
            dates[Phase.COLLECTING] = (timezone.localdate(), data["collecting_until"])
        try:
            topic = topic_services.topic_create(
                village=self.village,
                by=request.user,
                title=data["title"],
                description=data["description"],
                phase_dates=dates,
            )
        except ValidationError as e:
            form.add_error(None, e)
            return self.form_page("deliberation/topic_form.html", form=form, status=400)
        if data["attachment"]:
            upload = data["attachment"]
            TopicAttachment.objects.create(
                topic=topic,
                file=upload,
                caption=data["caption"],
                is_photo=upload.name.lower().endswith(PHOTO_TYPES),
            )
        return redirect(topic.get_absolute_url())


def _refused_participation(view, back: str, topic: Topic | None = None):
    """Refuse someone who may not propose or co-sign, saying why in words."""
    user = view.request.user
    refusal = selectors.participation_refusal(user=user, village=view.village)
    if refusal is None and topic is not None:
        if topic.created_by_id == user.pk:
            refusal = ValidationError(_("You proposed this topic; others co-sign it."))
        else:
            refusal = ValidationError(
                _("This proposal no longer collects co-signatures.")
            )
    return view.refuse(error_text(refusal), back=back, status=403)


class TopicProposeView(DeliberationView):
    def get(self, request, village):
        if not request.user.has_perm("deliberation.propose_topic", self.village):
            return _refused_participation(self, back=self.back())
        return self.form_page("deliberation/propose_form.html", form=ProposalForm())

    def back(self) -> str:
        return reverse("deliberation:topics", kwargs={"village": self.village.slug})

    def post(self, request, village):
        if not request.user.has_perm("deliberation.propose_topic", self.village):
            return _refused_participation(self, back=self.back())
        form = ProposalForm(request.POST)
        if not form.is_valid():
            return self.form_page(
                "deliberation/propose_form.html", form=form, status=400
            )
        try:
            topic = topic_services.topic_propose(
                village=self.village, by=request.user, **form.cleaned_data
            )
        except ValidationError as e:
            form.add_error(None, e)
            return self.form_page(
                "deliberation/propose_form.html", form=form, status=400
            )
        return redirect(topic.get_absolute_url())


class TopicDetailView(DeliberationView):
    def get(self, request, village, pk):
        try:
            page = page_cache.topic_page(village=self.village, pk=pk)
        except Topic.DoesNotExist:
            from django.http import Http404

            raise Http404 from None
        topic = page.topic
        has = request.user.has_perm
        rights = {
            "can_comment": has("deliberation.comment", topic),
            "can_report": has("deliberation.report_comment", topic),
            "can_hide": has("deliberation.hide_comment", topic),
        }
        return self.form_page(
            "deliberation/topic_detail.html",
            topic=topic,
            timeline=_timeline(topic),
            votes=page.votes,
            comment_form=CommentForm(),
            countdown=selectors.answer_countdown(topic),
            overdue_days=selectors.answer_overdue_days(topic),
            cosign_refusal=self.cosign_refusal(
                topic, has("deliberation.cosign", topic)
            ),
            cosign_threshold=page.cosign_threshold,
            cosign_lapsed=getattr(topic, "cosign_total", 0) - topic.cosign_count,
            comments_html=_comments_html(request, topic, rights),
            **rights,
            can_cosign=has("deliberation.cosign", topic),
            can_manage=has("deliberation.manage_topic", topic),
            can_meet=has("deliberation.record_meeting", topic),
            can_rate=has("deliberation.rate", topic),
            answer_form=AnswerForm() if topic.phase == Phase.PROPOSED else None,
            phase_form=PhaseForm(initial={"phase": topic.phase}),
            decision_form=DecisionForm(initial={"decision": topic.decision}),
            progress_percent=page.progress_percent,
            origins=page.origins,
        )

    def cosign_refusal(self, topic, can_cosign: bool) -> str:
        """Why a member who may not co-sign cannot, in words, beside the count."""
        user = self.request.user
        if can_cosign or topic.phase != Phase.PROPOSED or self.membership is None:
            return ""
        if topic.created_by_id == user.pk:
            return ""
        refusal = selectors.participation_refusal(user=user, village=self.village)
        return error_text(refusal) if refusal is not None else ""


def _comments_html(request, topic, rights) -> str:
    """The comment list is the same for everyone with the same rights (a
    person's own edit links are shown by CSS), so it is rendered once per
    version of the topic's comments and kept in the cache."""
    key = "deliberation:comments:{}:{}:{}:{}".format(
        topic.pk,
        topic.comments_version,
        "".join("1" if rights[k] else "0" for k in sorted(rights)),
        get_language(),
    )
    html = cache.get(key)
    if html is None:
        base = reverse(
            "deliberation:comment",
            kwargs={"village": topic.village.slug, "pk": topic.pk},
        )
        comment_url = base.split("/t/")[0] + "/c/"
        html = render_to_string(
            "deliberation/_comments.html",
            {
                "threads": selectors.comment_threads(topic),
                "reply_url": base + "?reply=",
                "comment_url": comment_url,
                **rights,
            },
        )
        cache.set(key, html, COMMENTS_CACHE_SECONDS)
    return mark_safe(html)


def _timeline(topic):
    dates = {d.phase: d for d in topic.phase_dates.all()}
    from deliberation.models.topics import TIMELINE

    order = list(TIMELINE)
    current = order.index(topic.phase) if topic.phase in order else -1
    return [
        {
            "phase": phase,
            "label": Phase(phase).label,
            "dates": dates.get(phase),
            "state": "done" if i < current else "current" if i == current else "later",
        }
        for i, phase in enumerate(order)
    ]


class CosignView(DeliberationView):
    def post(self, request, village, pk):
        topic = self.topic(pk)
        if not request.user.has_perm("deliberation.cosign", topic):
            return _refused_participation(
                self, back=topic.get_absolute_url(), topic=topic
            )
        try:
            topic_services.topic_cosign(topic=topic, by=request.user)
        except ValidationError as e:
            return self.refuse(error_text(e), back=topic.get_absolute_url())
        return redirect(topic.get_absolute_url())


class AnswerView(DeliberationView):
    def post(self, request, village, pk):
        topic = self.topic(pk)
        self.require("deliberation.manage_topic", topic)
        form = AnswerForm(request.POST)
        if not form.is_valid():
            return self.refuse(_form_errors(form), back=topic.get_absolute_url())
        try:
            topic_services.topic_answer(
                topic=topic, by=request.user, **form.cleaned_data
            )
        except ValidationError as e:
            return self.refuse(error_text(e), back=topic.get_absolute_url())
        return redirect(topic.get_absolute_url())


class PhaseView(DeliberationView):
    def post(self, request, village, pk):
        topic = self.topic(pk)
        self.require("deliberation.manage_topic", topic)
        form = PhaseForm(request.POST)
        if not form.is_valid():
            return self.refuse(_form_errors(form), back=topic.get_absolute_url())
        try:
            topic_services.topic_set_phase(
                topic=topic, by=request.user, **form.cleaned_data
            )
        except ValidationError as e:
            return self.refuse(error_text(e), back=topic.get_absolute_url())
        return redirect(topic.get_absolute_url())


class DatesView(DeliberationView):
    def initial(self, topic):
        initial = {}
        for d in topic.phase_dates.all():
            initial[f"{d.phase}_start"] = d.starts_on
            initial[f"{d.phase}_end"] = d.ends_on
        return initial

    def get(self, request, village, pk):
        topic = self.topic(pk)
        self.require("deliberation.manage_topic", topic)
        form = PhaseDatesForm(initial=self.initial(topic))
        return self.form_page("deliberation/dates_form.html", topic=topic, form=form)

    def post(self, request, village, pk):
        topic = self.topic(pk)
        self.require("deliberation.manage_topic", topic)
        form = PhaseDatesForm(request.POST)
        if form.is_valid():
            try:
                topic_services.topic_set_dates(
                    topic=topic, by=request.user, dates=form.dates()
                )
            except ValidationError as e:
                form.add_error(None, e)
            else:
                return redirect(topic.get_absolute_url())
        return self.form_page(
            "deliberation/dates_form.html", topic=topic, form=form, status=400
        )


class DecisionView(DeliberationView):
    def post(self, request, village, pk):
        topic = self.topic(pk)
        self.require("deliberation.manage_topic", topic)
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return self.refuse(_form_errors(form), back=topic.get_absolute_url())
        topic_services.topic_publish_decision(
            topic=topic, by=request.user, decision=form.cleaned_data["decision"]
        )
        return redirect(topic.get_absolute_url())


def _form_errors(form) -> str:
    return " ".join(str(m) for errors in form.errors.values() for m in errors)


class CommentCreateView(DeliberationView):
    """A comment on the topic, or (with ``reply``) a reply to one: one level deep."""

    def parent(self, request):
        pk = request.GET.get("reply") or request.POST.get("reply")
        if not pk:
            return None
        if not str(pk).isdigit():
            return False
        return (
            self.topic_obj.comments.select_related("author")
            .prefetch_related(Prefetch("replies"))
            .filter(pk=pk)
            .first()
            or False
        )

    def setup_objects(self, request, pk):
        self.topic_obj = self.topic(pk)
        self.require("deliberation.comment", self.topic_obj)
        parent = self.parent(request)
        if parent is False:
            return self.refuse(
                _("That comment is not on this topic."),
                back=self.topic_obj.get_absolute_url(),
            )
        self.parent_obj = parent
        return None

    def get(self, request, village, pk):
        refused = self.setup_objects(request, pk)
        if refused:
            return refused
        return self.form_page(
            "deliberation/comment_form.html",
            topic=self.topic_obj,
            parent=self.parent_obj,
            form=CommentForm(),
        )

    def post(self, request, village, pk):
        refused = self.setup_objects(request, pk)
        if refused:
            return refused
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                comment = comment_services.comment_add(
                    topic=self.topic_obj,
                    by=request.user,
                    body=form.cleaned_data["body"],
                    parent=self.parent_obj,
                )
            except ValidationError as e:
                form.add_error("body", e)
            else:
                return redirect(f"{self.topic_obj.get_absolute_url()}#c{comment.pk}")
        return self.form_page(
            "deliberation/comment_form.html",
            topic=self.topic_obj,
            parent=self.parent_obj,
            form=form,
            status=400,
        )


class CommentEditView(DeliberationView):
    def get(self, request, village, pk):
        comment = self.comment(pk)
        if comment.author_id != request.user.pk:
            return self.refuse(
                _("Only the author can edit a comment."),
                back=comment.topic.get_absolute_url(),
                status=403,
            )
        return self.form_page(
            "deliberation/comment_edit.html",
            comment=comment,
            form=CommentForm(initial={"body": comment.body}),
        )

    def post(self, request, village, pk):
        comment = self.comment(pk)
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                comment_services.comment_edit(
                    comment=comment, by=request.user, body=form.cleaned_data["body"]
                )
            except ValidationError as e:
                form.add_error("body", e)
            else:
                return redirect(f"{comment.topic.get_absolute_url()}#c{comment.pk}")
        return self.form_page(
            "deliberation/comment_edit.html", comment=comment, form=form, status=400
        )


class CommentReportView(DeliberationView):
    def get(self, request, village, pk):
        comment = self.comment(pk)
        self.require("deliberation.report_comment", comment)
        return self.form_page("deliberation/comment_report.html", comment=comment)

    def post(self, request, village, pk):
        comment = self.comment(pk)
        self.require("deliberation.report_comment", comment)
        try:
            comment_services.comment_report(comment=comment, by=request.user)
        except ValidationError as e:
            return self.refuse(error_text(e), back=comment.topic.get_absolute_url())
        return redirect(f"{comment.topic.get_absolute_url()}#c{comment.pk}")


class CommentHideView(DeliberationView):
    def get(self, request, village, pk):
        comment = self.comment(pk)
        self.require("deliberation.hide_comment", comment)
        return self.form_page(
            "deliberation/comment_hide.html", comment=comment, form=HideForm()
        )

    def post(self, request, village, pk):
        comment = self.comment(pk)
        self.require("deliberation.hide_comment", comment)
        if request.POST.get("restore"):
            comment_services.comment_restore(comment=comment, by=request.user)
            return redirect(f"{comment.topic.get_absolute_url()}#c{comment.pk}")
        form = HideForm(request.POST)
        if form.is_valid():
            try:
                comment_services.comment_hide(
                    comment=comment, by=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as e:
                form.add_error("reason", e)
            else:
                return redirect(f"{comment.topic.get_absolute_url()}#c{comment.pk}")
        return self.form_page(
            "deliberation/comment_hide.html", comment=comment, form=form, status=400
        )
