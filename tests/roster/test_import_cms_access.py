"""The roster import gives committee members their village's editing rights in the
Wagtail admin, and takes them from whoever left the committee."""

from accounts.models import User
from cms_home.provisioning import village_site_setup
from tests.roster.workbooks import person, workbook_bytes


def test_import_grants_and_withdraws_page_editing(village, grid, import_roster):
    cms = village_site_setup(village=village)
    rows = [
        person("王新委", "13911112222", "LX-100", "户主", 1970, grid.name, "村两委"),
        person("李村民", "13911113333", "LX-101", "户主", 1971, grid.name, "村民"),
    ]
    import_roster(workbook_bytes(rows))
    member = User.objects.get(phone="+8613911112222")
    resident = User.objects.get(phone="+8613911113333")
    assert member.groups.filter(pk=cms.editors.pk).exists()
    assert not resident.groups.filter(pk=cms.editors.pk).exists()

    rows[0] = person("王新委", "13911112222", "LX-100", "户主", 1970, grid.name, "村民")
    import_roster(workbook_bytes(rows))
    assert not member.groups.filter(pk=cms.editors.pk).exists()
