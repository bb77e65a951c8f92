from django.core.management.base import BaseCommand

from villages.demo import DEMO_PASSWORD, DEMO_PEOPLE


class Command(BaseCommand):
    help = "Print the demo people, their phone numbers and how to log in."

    def add_arguments(self, parser):
        # make run passes the address runserver listens on (HOST, PORT).
        parser.add_argument(
            "--address",
            default="127.0.0.1:8000",
            help="host:port of the demo site (default 127.0.0.1:8000)",
        )

    def handle(self, *args, **options):
        site = f"http://{options['address']}"
        out = self.stdout.write
        out("")
        out(f"乡约 Xiangyue demo — {site}")
        out(f"Log in at {site}/accounts/login/ with one of these numbers:")
        out(
            "  * by code: choose 发送登录验证码; the SMS code is printed in this console;"
        )
        out(f"  * or by password: {DEMO_PASSWORD}")
        out("")
        for p in DEMO_PEOPLE:
            number = f"{p.phone[:3]} {p.phone[3:7]} {p.phone[7:]}"
            out(f"  {number}  {p.name:<4}  {p.place}    {p.what}")
        out("")
        out(f"Wagtail admin: {site}/cms/   Background worker: started with the site.")
        out("")
