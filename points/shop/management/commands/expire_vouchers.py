from django.core.management.base import BaseCommand

from points.shop.services.vouchers import vouchers_expire


class Command(BaseCommand):
    help = "Release the points and stock held by vouchers whose time is up."

    def handle(self, *args, **options):
        done = vouchers_expire()
        self.stdout.write(f"{done} voucher(s) expired")
