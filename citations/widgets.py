from wagtail.admin.rich_text import DraftailRichTextArea

from .rich_text import FEATURE


class CitingDraftailRichTextArea(DraftailRichTextArea):
    """Draftail with the citation entity in every rich-text field, whatever features the field lists,
    so essays and concepts get the toolbar button without their block definitions changing."""

    def __init__(self, *args, features=None, **kwargs):
        if features is not None and FEATURE not in features:
            features = [*features, FEATURE]
        super().__init__(*args, features=features, **kwargs)
