"""Content blocks shared by notices and disclosure pages.

Each block names its own template, icon and preview value, so the admin's block
picker shows what it will look like and the public page renders without JavaScript.
"""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        template = "cms_home/blocks/heading.html"
        label = _("Heading")
        preview_value = "一、基本情况"
        description = _("A section heading inside the page.")


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "cms_home/blocks/paragraph.html"
        label = _("Text")
        preview_value = (
            "<p>经村民代表会议讨论通过，现将有关事项公示如下，"
            "公示期间如有异议，请向村务监督委员会反映。</p>"
        )
        description = _("Paragraphs of text, lists and links.")


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=120)

    class Meta:
        icon = "image"
        template = "cms_home/blocks/figure.html"
        label = _("Image")
        preview_value = {"caption": "村道路硬化施工现场"}
        description = _("A photo, shown resized for phones.")


class AttachmentsBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        label=_("Title"), required=False, max_length=60, default=_("Attachments")
    )
    documents = blocks.ListBlock(DocumentChooserBlock(label=_("Document")))

    class Meta:
        icon = "doc-full"
        template = "cms_home/blocks/attachments.html"
        label = _("Attachments")
        preview_value = {"title": "附件", "documents": []}
        description = _("PDF, pictures or spreadsheets to download.")


class DataTableBlock(TableBlock):
    class Meta:
        icon = "table"
        template = "cms_home/blocks/table.html"
        label = _("Table")
        preview_value = {
            "first_row_is_table_header": True,
            "data": [["项目", "数量", "备注"], ["路灯", "24", "已安装"]],
        }
        description = _(
            "A small table typed in by hand (use a finance report for money)."
        )


class ContentBlocks(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    figure = FigureBlock()
    table = DataTableBlock()
    attachments = AttachmentsBlock()


def stream_lines(stream) -> list[str]:
    """One line of plain text per block (and per table row), for comparing versions."""
    from django.utils.html import strip_tags

    lines: list[str] = []
    for child in stream or []:
        value = child.value
        if child.block_type == "table" and isinstance(value, dict):
            lines += [
                " | ".join(str(c or "") for c in r) for r in value.get("data", [])
            ]
        elif child.block_type == "asset_register":
            for row in value["rows"]:
                lines.append(
                    " ".join(
                        str(row.get(k) or "")
                        for k in (
                            "name",
                            "quantity",
                            "location",
                            "book_value",
                            "status",
                        )
                    )
                )
        elif hasattr(value, "source"):
            lines += strip_tags(value.source.replace("</", "\n</")).splitlines()
        else:
            lines.append(stream_text([child]))
    return [line.strip() for line in lines if line.strip()]


def stream_text(stream) -> str:
    """The words of a StreamField, for the search index and summaries."""
    from django.utils.html import strip_tags

    parts: list[str] = []

    def walk(value) -> None:
        if value is None:
            return
        if isinstance(value, str):
            parts.append(strip_tags(value))
        elif hasattr(value, "source"):  # RichText
            parts.append(strip_tags(value.source))
        elif isinstance(value, dict):
            for key, item in value.items():
                if key in {"data", "title", "caption", "rows"} or isinstance(item, str):
                    walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
        elif hasattr(value, "items"):  # StructValue
            walk(dict(value.items()))

    for child in stream or []:
        walk(child.value)
    return " ".join(p for p in parts if p)
