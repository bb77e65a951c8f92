"""Every link from a record to a person, a membership or a household, and what the
export does with it.

A field that points at a person (or at a membership or household) is either in
``EXPORTED`` (the export kind that carries it) or in ``EXCLUDED`` with the reason
it is left out. ``tests/privacy/test_coverage.py`` walks every installed model
and fails for a link that is in neither, so a new model cannot hold personal
data that the export forgets.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings

# "app_label.Model.field" → the export kind (a key of privacy.exports.KINDS).
EXPORTED: dict[str, str] = {
    "villages.Membership.user": "memberships",
    "villages.Membership.household": "household",
    "villages.Supervisor.user": "supervision",
    "account.EmailAddress.user": "account",
    "audit.AuditEntry.actor": "audit",
    "notifications.Notification.recipient": "notifications",
    "notifications.Preference.user": "message_settings",
    "points.Entry.household": "points_entries",
    "points.Appeal.filed_by": "appeals",
    "points.Account.household": "balance",
    "points.Transaction.household": "ledger",
    "points.ListLine.household": "lists",
    "shop.HouseholdHold.household": "balance",
    "shop.HouseholdCard.household": "household_card",
    "shop.Voucher.household": "vouchers",
    "shop.Shop.shopkeepers": "shops_kept",
    "deliberation.Topic.created_by": "topics",
    "deliberation.CoSignature.user": "cosignatures",
    "deliberation.Comment.author": "comments",
    "deliberation.CommentReport.reporter": "comment_flags",
    "deliberation.Rating.user": "ratings",
    "deliberation.Participation.voter": "participations",
    "deliberation.Participation.recorded_by": "paper_ballots_recorded",
    "reports.Report.filer": "reports",
    "reports.MeToo.user": "me_too",
}

_ROLE = (
    "names the person acting in a role for the village (recorder, reviewer, "
    "handler); the record belongs to someone else, so it is not in this person's "
    "copy. Where the person's own household is concerned, the name appears in that "
    "household's rows."
)
_CMS = (
    "a page, document or image of the disclosure site and its editing history: "
    "the village's publications, edited in the committee's role."
)

# "app_label.Model.field" → why it is not in the export.
EXCLUDED: dict[str, str] = {
    "points.Entry.recorded_by": _ROLE,
    "points.Entry.reviewed_by": _ROLE,
    "points.EntryStep.by": _ROLE,
    "points.Appeal.entry_recorded_by": _ROLE,
    "points.Appeal.decided_by": _ROLE,
    "points.Transaction.created_by": _ROLE,
    "points.RankingList.created_by": _ROLE,
    "points.RankingList.published_by": _ROLE,
    "points.ListLine.reviewed_by": _ROLE,
    "points.RepairTask.set_by": _ROLE,
    "points.RepairTask.verified_by": _ROLE,
    "shop.HouseholdCard.issued_by": _ROLE,
    "shop.Voucher.created_by": (
        "a voucher is the household's, exported under vouchers; the taker is the "
        "household itself or, for a card, the shopkeeper who served it."
    ),
    "shop.Voucher.redeemed_by": _ROLE,
    "shop.Settlement.settled_by": _ROLE,
    "deliberation.Comment.hidden_by": _ROLE,
    "deliberation.Meeting.recorded_by": _ROLE,
    "deliberation.ProgressUpdate.author": _ROLE,
    "deliberation.Vote.created_by": _ROLE,
    "deliberation.Participation.household": (
        "a household ballot is cast by the representative and is in the "
        "representative's participations; other members did not take part."
    ),
    "reports.Report.assignee": (
        "reports handed to the person to handle are their filers' reports."
    ),
    "reports.ReportEvent.actor": _ROLE,
    "roster.RosterImport.uploaded_by": (
        "the roster file is the village's list of everyone; the committee keeps it."
    ),
    "roster.RosterImport.confirmed_by": (
        "the roster file is the village's list of everyone; the committee keeps it."
    ),
    "cms_home.PortalPage.locked_by": _CMS,
    "cms_home.PortalPage.owner": _CMS,
    "cms_home.VillagePage.locked_by": _CMS,
    "cms_home.VillagePage.owner": _CMS,
    "cms_home.PublishedVersion.published_by": _CMS,
    "cms_home.Withdrawal.withdrawn_by": _CMS,
    "notices.NoticeIndexPage.locked_by": _CMS,
    "notices.NoticeIndexPage.owner": _CMS,
    "notices.NoticePage.locked_by": _CMS,
    "notices.NoticePage.owner": _CMS,
    "disclosure.DisclosureIndexPage.locked_by": _CMS,
    "disclosure.DisclosureIndexPage.owner": _CMS,
    "disclosure.DisclosurePage.locked_by": _CMS,
    "disclosure.DisclosurePage.owner": _CMS,
    "disclosure.FinanceReportPage.locked_by": _CMS,
    "disclosure.FinanceReportPage.owner": _CMS,
    "wagtailcore.Page.locked_by": _CMS,
    "wagtailcore.Page.owner": _CMS,
    "wagtailcore.Revision.user": _CMS,
    "wagtailcore.PageLogEntry.user": _CMS,
    "wagtailcore.ModelLogEntry.user": _CMS,
    "wagtailcore.WorkflowState.requested_by": _CMS,
    "wagtailcore.TaskState.finished_by": _CMS,
    "wagtailcore.Comment.user": _CMS,
    "wagtailcore.Comment.resolved_by": _CMS,
    "wagtailcore.CommentReply.user": _CMS,
    "wagtailcore.PageSubscription.user": _CMS,
    "wagtailcore.UploadedFile.uploaded_by_user": _CMS,
    "wagtaildocs.Document.uploaded_by_user": _CMS,
    "wagtailimages.Image.uploaded_by_user": _CMS,
    "wagtailusers.UserProfile.user": (
        "the admin's display preferences (language, theme) of committee editors."
    ),
    "wagtailadmin.EditingSession.user": "a few minutes' lock while editing a page.",
    "wagtailadmin.FormState.user": "an unsaved admin form, kept for minutes.",
    "admin.LogEntry.user": "the site administrators' own log of the Django admin.",
}

PERSON_MODELS = (
    settings.AUTH_USER_MODEL,
    "villages.Membership",
    "villages.Household",
)


def person_links() -> list[str]:
    """Every concrete field of every installed model that points at a person, a
    membership or a household, as ``app_label.Model.field``."""
    targets = {apps.get_model(label) for label in PERSON_MODELS}
    links = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model in targets:
                links.append(f"{model._meta.label}.{field.name}")
    return links
