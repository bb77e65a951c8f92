from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from privacy.errors import PrivacyError
from privacy.exports import KINDS
from privacy.selectors import membership_for_removal, removal_summary
from privacy.services import export_allowed, person_export, person_remove
from spreadsheets.exports import ZIP_TYPE, download
from villages.views import VillageMixin


class ExportView(LoginRequiredMixin, View):
    """A person downloads a copy of everything the platform holds about them."""

    template_name = "privacy/export.html"

    def get(self, request):
        return self.render_page()

    def post(self, request):
        try:
            content = person_export(user=request.user)
        except PrivacyError as exc:
            return self.render_page(error=exc.message, status=429)
        filename = f"xiangyue-data-{timezone.localdate():%Y%m%d}.zip"
        return download(content, filename=filename, content_type=ZIP_TYPE, private=True)

    def render_page(self, *, error: str = "", status: int = 200):
        context = {
            "kinds": [str(title) for title in KINDS.values()],
            "allowed": export_allowed(user=self.request.user),
            "error": error,
        }
        return render(self.request, self.template_name, context, status=status)


class RemoveView(VillageMixin, View):
    """The committee removes a person who leaves the village: a confirm page that
    says what goes and what stays, then the removal."""

    permission_required = "villages.manage_roster"
    template_name = "privacy/remove.html"

    def get(self, request, village, pk):
        target = membership_for_removal(village=self.village, pk=pk)
        return self.render_page(target)

    def post(self, request, village, pk):
        target = membership_for_removal(village=self.village, pk=pk)
        shown_name = target.user.display_name
        try:
            removal = person_remove(membership=target, by=request.user)
        except PrivacyError as exc:
            return self.render_page(target, error=exc.message, status=409)
        if removal.erased:
            text = _("%(name)s has left the village and the account was erased.")
        else:
            text = _(
                "%(name)s has left the village. The account stays: another "
                "village still knows this person."
            )
        messages.success(request, text % {"name": shown_name})
        if removal.was_household_rep:
            messages.warning(
                request,
                _("Household %(number)s now has no representative: name a new one.")
                % {"number": target.household.number},
            )
        return redirect("roster:list", village=self.village.slug)

    def render_page(self, target, *, error: str = "", status: int = 200):
        context = self.get_context_data(
            target=target,
            summary=removal_summary(membership=target),
            error=error,
        )
        return render(self.request, self.template_name, context, status=status)
