from django.db import models

from finnish.names import normalize_name, slug_for


class NamedRecord(models.Model):
    """A record found by its normalised name and shown at a unique slug."""

    slug = models.SlugField(max_length=220, unique=True, allow_unicode=True, editable=False)
    normalized_name = models.CharField(max_length=300, unique=True, editable=False)

    name_field = "name"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.normalized_name = normalize_name(self.display_name())
        if not self.slug:
            self.slug = self._free_slug(slug_for(self.display_name()))
        super().save(*args, **kwargs)

    def display_name(self):
        return getattr(self, self.name_field)

    def _free_slug(self, base):
        others = type(self).objects.exclude(pk=self.pk)
        # The slug itself, looked up by its index, is usually free; a prefix search reads the table.
        if not others.filter(slug=base).exists():
            return base
        taken = set(others.filter(slug__startswith=base).values_list("slug", flat=True))
        candidate, number = base, 2
        while candidate in taken:
            candidate, number = f"{base}-{number}", number + 1
        return candidate

    @classmethod
    def find(cls, name):
        return cls.objects.filter(normalized_name=normalize_name(name)).first()
