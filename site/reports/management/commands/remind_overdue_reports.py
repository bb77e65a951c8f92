"""Daily: tell the handler of every overdue report (督办 by the calendar).

CRON_TZ=Asia/Shanghai
0 8 * * * cd /srv/xiangyue && .venv/bin/python manage.py remind_overdue_reports
"""

from django.core.management.base import BaseCommand

from reports.services import reports_remind_overdue


class Command(BaseCommand):
    help = "Tell the handlers of overdue reports."

    def handle(self, *args, **options):
        count = reports_remind_overdue()
        self.stdout.write(f"{count} overdue reports; their handlers were told.")
