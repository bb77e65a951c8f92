"""Names people read for the action codes in the audit log.

Each part of the product records actions under a dotted code (``roster.import``);
the log shows the name given here, or the code itself for one not named yet.
"""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "village.create": _("Village created"),
    "roster.import": _("Roster imported"),
    "roster.export": _("Roster exported"),
    # Wagtail pages (disclosure site)
    "cms.approver_set": _("Made a page approver"),
    "cms.approver_unset": _("No longer a page approver"),
    "page.publish": _("Page published"),
    "page.republish": _("Page updated"),
    "page.unpublish": _("Page withdrawn"),
}


def register_actions(labels: dict) -> None:
    """Each app names its own actions, from its AppConfig.ready()."""
    ACTION_LABELS.update(labels)


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))
