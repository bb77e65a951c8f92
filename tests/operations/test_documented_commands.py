"""Every command we tell an operator to run parses: the crontab's lines, the
``manage.py …`` commands written in README.md and DEPLOY.md, and run-job's usage.
Each goes through the real command's own parser, so an option renamed in the code
and not in the documents fails here, not at 03:15 on a county's server."""

import re
import shlex
from pathlib import Path

from django.core.management import get_commands, load_command_class
from django.core.management.base import CommandError

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
DEPLOY = ROOT / "config" / "deploy"
DOCUMENTS = [ROOT / "README.md", DEPLOY / "DEPLOY.md"]
# A command ends where the code span, the line or a shell operator ends.
MANAGE = re.compile(r"manage\.py\s+([^`\n&|;]*)")


def crontab_jobs() -> list[str]:
    jobs = []
    for line in (DEPLOY / "crontab").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or re.match(r"^[A-Z_]+=", line):
            continue
        fields = line.split(None, 5)
        assert len(fields) == 6, f"not a cron line: {line!r}"
        command = fields[5]
        assert command.startswith("$J "), f"a job that skips run-job: {line!r}"
        jobs.append(command.removeprefix("$J "))
    return jobs


def documented_commands() -> list[tuple[str, str]]:
    found = []
    for document in DOCUMENTS:
        for match in MANAGE.finditer(document.read_text()):
            found.append((document.name, match.group(1).strip()))
    return found


def deploy_job_table() -> list[str]:
    """The jobs table of DEPLOY.md: | 03:15 | `backup --output …` | what |"""
    text = (DEPLOY / "DEPLOY.md").read_text()
    return re.findall(r"^\| [^|`]+ \| `([^`]+)` \|", text, re.M)


def run_job_usage() -> list[str]:
    usage = re.findall(r"^#\s+run-job (.+)$", (DEPLOY / "run-job").read_text(), re.M)
    assert usage, "run-job no longer shows its usage"
    return usage


def parse(command_line: str) -> None:
    """Parse as ``manage.py`` would, without running anything. A bare name in
    prose ("`manage.py restore` brings one back") is a mention: it must exist."""
    name, *args = shlex.split(command_line)
    commands = get_commands()
    assert name in commands, f"no such command: {name}"
    mention = not args
    command = load_command_class(commands[name], name)
    parser = command.create_parser("manage.py", name)
    try:
        parser.parse_args(args)
    except CommandError as error:
        if mention and "arguments are required" in str(error):
            return
        pytest.fail(f"`manage.py {command_line}` does not parse: {error}")


@pytest.fixture(autouse=True)
def production_tasks(settings):
    # db_worker's parser checks that the task backend is the database's, as in
    # production (the test settings run tasks at once).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.parametrize("job", crontab_jobs())
def test_every_crontab_line_parses(job):
    parse(job)


@pytest.mark.parametrize(("document", "command_line"), documented_commands())
def test_every_documented_manage_command_parses(document, command_line):
    parse(command_line)


@pytest.mark.parametrize("job", deploy_job_table())
def test_every_job_in_the_deploy_guide_parses(job):
    parse(job)


def test_the_deploy_guide_lists_the_crontab_jobs():
    assert sorted(deploy_job_table()) == sorted(crontab_jobs())


@pytest.mark.parametrize("usage", run_job_usage())
def test_run_job_usage_parses(usage):
    parse(usage)


def test_the_parser_refuses_what_manage_py_refuses():
    # The guard of this file: the crontab's old backup line must not parse.
    with pytest.raises(pytest.fail.Exception, match="unrecognized arguments"):
        parse("backup /var/backups/xiangyue/")


def test_the_documents_are_read():
    # A regex that finds nothing would pass everything above.
    assert len(documented_commands()) >= 20
    assert len(crontab_jobs()) >= 8
