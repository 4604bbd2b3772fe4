from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.contrib.table_block.blocks import TableBlock as WagtailTableBlock
from wagtail.contrib.table_block.blocks import TableInput
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"))
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Heading 2")), ("h3", _("Heading 3"))], default="h2", label=_("Level")
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        label = _("Heading")


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quotation"))
    attribution = blocks.CharBlock(required=False, label=_("Source"))

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        label = _("Quotation")


class BulletListBlock(blocks.ListBlock):
    def __init__(self, **kwargs):
        super().__init__(blocks.CharBlock(label=_("Item")), **kwargs)

    class Meta:
        icon = "list-ul"
        template = "blocks/bullet_list_block.html"
        label = _("List")


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(required=False, label=_("Caption"))

    class Meta:
        icon = "image"
        template = "blocks/captioned_image_block.html"
        label = _("Image")


class FinnishTableInput(TableInput):
    """Wagtail's table editor with the Finnish words of its context menu (static/essays/js/table-fi.js)."""

    @cached_property
    def media(self):
        return super().media + forms.Media(js=["essays/js/table-fi.js"])


class TableBlock(WagtailTableBlock):
    """A table of text cells; its cells are escaped on the page."""

    def __init__(self, table_options=None, **kwargs):
        super().__init__(table_options={"language": "fi-FI", **(table_options or {})}, **kwargs)

    @cached_property
    def field(self):
        return forms.CharField(widget=FinnishTableInput(table_options=self.table_options), **self.field_options)

    class Meta:
        icon = "table"
        template = "blocks/table_block.html"
        label = _("Table")


class BodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul"],
        icon="pilcrow",
        template="blocks/paragraph_block.html",
        label=_("Paragraph"),
    )
    heading = HeadingBlock()
    quote = QuoteBlock()
    bullet_list = BulletListBlock()
    image = CaptionedImageBlock()
    table = TableBlock()


class OtherSourceBlock(blocks.StructBlock):
    """A source that is not a book in the catalogue: an article, a web page, a talk."""

    reference = blocks.CharBlock(label=_("Reference"))
    url = blocks.URLBlock(required=False, label=_("Address"))

    class Meta:
        icon = "link"
        template = "blocks/other_source_block.html"
        label = _("Source")

    def clean(self, value):
        # Also when a draft is saved, which otherwise lets empty required fields through.
        if not (value.get("reference") or "").strip():
            raise StructBlockValidationError(
                block_errors={"reference": ValidationError(_("Write the source, or remove the empty source."))}
            )
        return super().clean(value)


class OtherSourcesBlock(blocks.StreamBlock):
    source = OtherSourceBlock()


class KeyInsightsBlock(blocks.StreamBlock):
    insight = blocks.CharBlock(icon="pick", template="blocks/key_insight_block.html", label=_("Key insight"))
