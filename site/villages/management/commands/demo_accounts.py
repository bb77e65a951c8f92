from django.core.management.base import BaseCommand

from villages.demo import DEMO_PASSWORD, DEMO_PEOPLE


class Command(BaseCommand):
    help = "Print the demo people, their phone numbers and how to log in."

    def handle(self, *args, **options):
        out = self.stdout.write
        out("")
        out("乡约 Xiangyue demo — http://127.0.0.1:8000")
        out(
            "Log in at http://127.0.0.1:8000/accounts/login/ with one of these numbers:"
        )
        out(
            "  * by code: choose 发送登录验证码; the SMS code is printed in this console;"
        )
        out(f"  * or by password: {DEMO_PASSWORD}")
        out("")
        for p in DEMO_PEOPLE:
            number = f"{p.phone[:3]} {p.phone[3:7]} {p.phone[7:]}"
            out(f"  {number}  {p.name:<4}  {p.place}    {p.what}")
        out("")
        out(
            "Wagtail admin: http://127.0.0.1:8000/cms/   Background worker: started with the site."
        )
        out("")
