"""Every link from a record to a person is in the export or excluded with a reason."""

from privacy.coverage import EXCLUDED, EXPORTED, person_links
from privacy.exports import KINDS


def test_every_link_to_a_person_is_exported_or_excluded_with_a_reason():
    links = person_links()
    missing = [link for link in links if link not in EXPORTED and link not in EXCLUDED]
    assert not missing, (
        "These fields point at a person, membership or household but the data "
        "export neither carries nor excludes them (privacy/coverage.py): "
        f"{missing}"
    )


def test_the_walk_sees_links_of_every_kind():
    # The walk itself must find what we know is there, or the test above is empty.
    links = set(person_links())
    for known in [
        "villages.Membership.user",  # to the user model
        "points.Entry.household",  # to a household
        "shop.Shop.shopkeepers",  # a many-to-many
        "deliberation.Participation.voter",
    ]:
        assert known in links


def test_no_link_is_both_exported_and_excluded_and_no_entry_is_stale():
    assert not set(EXPORTED) & set(EXCLUDED)
    links = set(person_links())
    assert not (set(EXPORTED) | set(EXCLUDED)) - links


def test_exported_links_name_a_kind_the_export_writes():
    assert set(EXPORTED.values()) <= set(KINDS)


def test_every_exclusion_gives_a_reason():
    for link, reason in EXCLUDED.items():
        assert len(reason.strip()) > 20, link
