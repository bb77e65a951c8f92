from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliberationConfig(AppConfig):
    name = "deliberation"
    label = "deliberation"
    verbose_name = _("Deliberation")

    def ready(self) -> None:
        from audit.actions import register_actions
        from deliberation import rules  # noqa: F401  (registers the permissions)

        try:
            from cms_home.slots import HomeSlot, register_home_slot
        except ImportError:  # the disclosure site is not installed
            pass
        else:
            register_home_slot(
                HomeSlot(
                    key="votes",
                    title=_("Votes and topics"),
                    template="deliberation/home_slot.html",
                    order=10,
                )
            )

        register_actions(
            {
                "deliberation.topic_create": _("Topic opened"),
                "deliberation.proposal_answer": _("Proposal answered"),
                "deliberation.phase_change": _("Topic phase changed"),
                "deliberation.dates_change": _("Topic timeline dates changed"),
                "deliberation.decision_publish": _("Decision published"),
                "deliberation.comment_hide": _("Comment hidden"),
                "deliberation.comment_restore": _("Comment shown again"),
                "deliberation.vote_create": _("Vote set up"),
                "deliberation.vote_update": _("Vote settings changed"),
                "deliberation.paper_ballot": _("Paper ballot recorded"),
                "deliberation.meeting_record": _("Meeting recorded"),
                "deliberation.progress_add": _("Progress reported"),
            }
        )
