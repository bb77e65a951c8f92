from django.db.models import QuerySet

from audit.models import AuditEntry


def audit_entries_for_village(
    *, village, action_prefix: str = ""
) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.filter(village=village).select_related("actor")
    if action_prefix:
        entries = entries.filter(action__startswith=action_prefix)
    return entries
