import re

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel

_CATEGORY_LABEL = re.compile(r"^\s*(?P<number>\d+(?:\.\d+)*)\.?\s+(?P<name>.+?)\s*$")


class EssayType(models.Model):
    """Kept as data so a programme can add types without a code change."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    default_points = models.PositiveSmallIntegerField(_("default points"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [FieldPanel("code"), FieldPanel("name"), FieldPanel("default_points"), FieldPanel("sort_order")]

    class Meta:
        verbose_name = _("essay type")
        verbose_name_plural = _("essay types")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Category(models.Model):
    """A numbered category such as "2.2. Tiimityön taidot ja työkalut"; its parent is "2."."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=150)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children", editable=False
    )
    sort_key = models.CharField(max_length=120, editable=False, db_index=True)

    panels = [FieldPanel("number"), FieldPanel("name")]

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["sort_key"]

    def __str__(self):
        return f"{self.number}. {self.name}"

    def save(self, *args, **kwargs):
        self.number = self.number.strip(". ")
        self.sort_key = ".".join(part.zfill(4) for part in self.number.split("."))
        parent_number = self.number.rpartition(".")[0]
        self.parent = Category.objects.filter(number=parent_number).first() if parent_number else None
        super().save(*args, **kwargs)
        # Children saved before their parent existed are adopted now.
        Category.objects.filter(number__regex=rf"^{re.escape(self.number)}\.\d+$").update(parent=self)

    @classmethod
    def from_label(cls, label):
        """The category named by a label such as "2.2. Tiimityön taidot", created if new.

        Raises ValueError for a label without a number.
        """
        match = _CATEGORY_LABEL.match(label or "")
        if not match:
            raise ValueError(f"category {label!r} has no number such as '2.2.'")
        number, name = match["number"], match["name"]
        category = cls.objects.filter(number=number).first()
        if category is None:
            category = cls(number=number, name=name)
            category.save()
        return category


class EssayTag(TaggedItemBase):
    content_object = ParentalKey("essays.EssayPage", on_delete=models.CASCADE, related_name="tagged_items")
