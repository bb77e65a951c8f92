import re
import shlex
import subprocess
from pathlib import Path

from django.core.management import call_command

from accounts.models import User
from villages.demo import DEMO_PEOPLE
from villages.models import Grid, Household, Membership, Supervisor, Village


def test_seed_demo_builds_a_township_once(db, capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    assert sorted(Village.objects.values_list("name", flat=True)) == [
        "柳溪村",
        "桃园村",
    ]
    for village in Village.objects.all():
        assert Household.objects.filter(village=village).count() == 150
        assert Grid.objects.filter(village=village).count() == 4
        members = Membership.objects.filter(village=village)
        assert members.filter(is_committee=True).exists()
        assert members.filter(is_grid_worker=True).exists()
        assert members.filter(is_shopkeeper=True).exists()
        # every household has exactly one representative
        assert members.filter(is_household_rep=True).count() == 150
    assert Supervisor.objects.count() == 1
    from deliberation.models import Topic
    from points.models import RuleBook

    for village in Village.objects.all():
        assert RuleBook.objects.filter(village=village).exists()
        assert Topic.objects.filter(village=village).exists()
    assert "Demo township already present" in capsys.readouterr().out


def test_every_demo_person_can_log_in_with_the_printed_number(db, client, capsys):
    call_command("seed_demo")
    call_command("demo_accounts")
    printed = capsys.readouterr().out
    for person in DEMO_PEOPLE:
        user = User.objects.get(phone=f"+86{person.phone}")
        assert user.name == person.name
        assert f"{person.phone[:3]} {person.phone[3:7]} {person.phone[7:]}" in printed
    assert client.login(username="demo13900000001", password="xiangyue-demo")


def test_make_run_prints_the_address_it_serves(db, capsys):
    """`make run PORT=8102` serves on 8102, and so the printed addresses say."""
    root = Path(__file__).resolve().parent.parent.parent
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=8102", "HOST=127.0.0.2"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    line = re.search(r"manage\.py (demo_accounts[^;\n]*)", dry_run).group(1)
    assert "runserver 127.0.0.2:8102" in dry_run
    call_command(*shlex.split(line))
    printed = capsys.readouterr().out
    assert "http://127.0.0.2:8102/accounts/login/" in printed
    assert "8000" not in printed
