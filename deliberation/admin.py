"""Django admin: only the per-village settings (N co-signers, answer days, report
threshold, the ballots a secret vote needs before its counts show). Ballots and
participations are deliberately not registered."""

from django.contrib import admin

from deliberation.models import DeliberationSettings


@admin.register(DeliberationSettings)
class DeliberationSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "village",
        "cosign_threshold",
        "answer_days",
        "report_threshold",
        "secret_min_ballots",
    ]
