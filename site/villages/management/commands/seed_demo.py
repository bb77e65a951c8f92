from django.core.management.base import BaseCommand

from villages.demo import seed_demo


class Command(BaseCommand):
    help = "Create the demo township (two villages, ~150 households each) once."

    def handle(self, *args, **options):
        if seed_demo():
            self.stdout.write(self.style.SUCCESS("Demo township created."))
        else:
            self.stdout.write("Demo township already present.")
