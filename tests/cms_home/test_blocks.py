"""Every block names a template, an icon and a preview value, and renders."""

from wagtail import blocks

import pytest

from cms_home.blocks import ContentBlocks, stream_text
from disclosure.blocks import AssetRowBlock, DisclosureBlocks


def _all_blocks():
    seen = {}
    for stream in (ContentBlocks(), DisclosureBlocks()):
        for name, block in stream.child_blocks.items():
            seen[name] = block
    seen["asset_row"] = AssetRowBlock()
    return seen


@pytest.mark.parametrize(("name", "block"), list(_all_blocks().items()))
def test_block_has_template_icon_preview(name, block):
    assert block.meta.template, name
    assert block.meta.icon and block.meta.icon != "placeholder", name
    assert block.meta.preview_value is not None, name


@pytest.mark.parametrize(("name", "block"), list(_all_blocks().items()))
def test_block_renders_its_preview(db, name, block):
    value = block.to_python(
        block.get_prep_value(block.normalize(block.meta.preview_value))
    )
    html = block.render(value)
    assert isinstance(html, str)


def test_asset_register_totals_book_values(db):
    block = DisclosureBlocks().child_blocks["asset_register"]
    value = block.to_python(
        {
            "kind": "resources",
            "as_of": "2026-09-30",
            "rows": [
                {"name": "鱼塘", "book_value": "120000.00"},
                {"name": "林地", "book_value": "3456.70"},
            ],
        }
    )
    html = block.render(value)
    assert "123,456.70 元" in html


def test_figure_is_served_as_a_resized_rendition(db):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(
        title="施工现场", file=get_test_image_file(size=(1600, 1200))
    )
    block = ContentBlocks().child_blocks["figure"]
    html = block.render(block.to_python({"image": image.pk, "caption": "施工"}))
    assert "images/" in html and 'width="720"' in html
    assert ".webp" in html


def test_stream_text_reads_every_kind_of_block():
    from wagtail.rich_text import RichText

    stream = blocks.StreamValue(
        ContentBlocks(),
        [("heading", "工程概况"), ("paragraph", RichText("<p>道路硬化</p>"))],
    )
    text = stream_text(stream)
    assert "工程概况" in text and "道路硬化" in text


def test_admin_block_preview_uses_the_site_stylesheet(client, admin_user):
    block = DisclosureBlocks().child_blocks["asset_register"]
    client.force_login(admin_user)
    response = client.get("/cms/block-preview/", {"id": block.definition_prefix})
    assert response.status_code == 200
    page = response.content.decode()
    assert "css/site.css" in page and "村委会办公楼" in page
