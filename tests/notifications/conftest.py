import pytest
from django_tasks.signals import task_enqueued


@pytest.fixture(autouse=True)
def _english(settings):
    """Texts are written in settings.LANGUAGE_CODE; assert on the English source."""
    settings.LANGUAGE_CODE = "en"
    settings.SITE_URL = "https://xiangyue.example"


@pytest.fixture
def enqueued():
    """Names of the tasks enqueued while the test runs."""
    names: list[str] = []

    def record(sender, task_result, **kwargs):
        names.append(task_result.task.name)

    task_enqueued.connect(record)
    yield names
    task_enqueued.disconnect(record)
