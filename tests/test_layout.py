"""The project's shape is a product decision: guard it."""

from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent


def test_site_is_a_plain_folder_not_a_package():
    # `site` is a standard-library module; a site/__init__.py would shadow it.
    assert (ROOT / "site").is_dir()
    assert not (ROOT / "site" / "__init__.py").exists()


def test_top_level_folders_exist():
    for name in [
        "site",
        "points",
        "deliberation",
        "templates",
        "tests",
        "config",
        "bench",
        "locale",
        "static",
    ]:
        assert (ROOT / name).is_dir(), name
    for name in [
        "requirements.txt",
        "requirements-dev.txt",
        "manage.py",
        "README.md",
        "Makefile",
        "pyproject.toml",
        ".ci/run",
    ]:
        assert (ROOT / name).is_file(), name


def test_points_and_deliberation_are_root_apps_and_shared_apps_live_in_site():
    for label in ["points", "deliberation"]:
        assert Path(apps.get_app_config(label).path).parent == ROOT
    for label in ["accounts", "villages", "audit", "notifications", "roster"]:
        assert Path(apps.get_app_config(label).path).parent == ROOT / "site"


def test_every_project_app_has_an_explicit_label():
    for config in apps.get_app_configs():
        if Path(config.path).is_relative_to(ROOT) and ".venv" not in config.path:
            assert "label" in type(config).__dict__, config.name


def test_no_tests_site_folder():
    assert not (ROOT / "tests" / "site").exists()
