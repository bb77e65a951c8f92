from tests.cms_home.fixtures import *  # noqa: F403
