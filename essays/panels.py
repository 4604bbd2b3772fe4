"""Panels of the essay editor."""

from wagtail.admin.panels import TitleFieldPanel


class TitlePanel(TitleFieldPanel):
    """The title field, copied into the slug only where the form has a slug field.

    A student's form has none (the slug comes from the title on saving); Wagtail would still attach
    its copying script with an empty target, which fails with an error on every page load.
    """

    class BoundPanel(TitleFieldPanel.BoundPanel):
        def get_attrs(self):
            attrs = super().get_attrs()
            if attrs.get("data-w-sync-target-value"):
                return attrs
            return {name: value for name, value in attrs.items() if name == "placeholder"}
