from django.core.management.base import BaseCommand, CommandError

from accounts.phones import normalize_phone
from villages.models import Membership
from villages.services import membership_set_cms_approver


class Command(BaseCommand):
    help = (
        "Name the committee member who approves a village's pages (the committee "
        "head), or with --remove take the role away."
    )

    def add_arguments(self, parser):
        parser.add_argument("village", help="village slug, e.g. liuxi")
        parser.add_argument("phone", help="the member's mobile number")
        parser.add_argument("--remove", action="store_true")

    def handle(self, *args, village, phone, remove, **options):
        try:
            e164 = normalize_phone(phone)
        except Exception as error:
            raise CommandError(f"not a mobile number: {phone}") from error
        membership = (
            Membership.objects.active()
            .select_related("user", "village")
            .filter(village__slug=village, user__phone=e164)
            .first()
        )
        if membership is None:
            raise CommandError(f"{phone} is not a member of {village}")
        try:
            membership_set_cms_approver(membership=membership, approver=not remove)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{membership.user} {'no longer approves' if remove else 'approves'}"
                f" pages of {membership.village}"
            )
        )
