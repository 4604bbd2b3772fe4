from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"))
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Heading 2")), ("h3", _("Heading 3"))], default="h2", label=_("level")
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        label = _("Heading")


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("quotation"))
    attribution = blocks.CharBlock(required=False, label=_("source"))

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        label = _("Quotation")


class BulletListBlock(blocks.ListBlock):
    def __init__(self, **kwargs):
        super().__init__(blocks.CharBlock(label=_("item")), **kwargs)

    class Meta:
        icon = "list-ul"
        template = "blocks/bullet_list_block.html"
        label = _("List")


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(required=False, label=_("caption"))

    class Meta:
        icon = "image"
        template = "blocks/captioned_image_block.html"
        label = _("Image")


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


class OtherSourceBlock(blocks.StructBlock):
    """A source that is not a book in the catalogue: an article, a web page, a talk."""

    reference = blocks.CharBlock(label=_("reference"))
    url = blocks.URLBlock(required=False, label=_("address"))

    class Meta:
        icon = "link"
        template = "blocks/other_source_block.html"
        label = _("Source")


class OtherSourcesBlock(blocks.StreamBlock):
    source = OtherSourceBlock()


class KeyInsightsBlock(blocks.StreamBlock):
    insight = blocks.CharBlock(icon="pick", template="blocks/key_insight_block.html", label=_("Key insight"))
