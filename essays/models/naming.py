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
        return self.free_slug_among(base, set(others.filter(slug__startswith=base).values_list("slug", flat=True)))

    @staticmethod
    def free_slug_among(base, taken):
        """The base slug, or the first of base-2, base-3… that is not in `taken`."""
        candidate, number = base, 2
        while candidate in taken:
            candidate, number = f"{base}-{number}", number + 1
        return candidate

    def give_free_slug(self, taken):
        """Give a new record the slug save() would, from `taken`, every slug of its model (which
        the slug is added to): an import saving many records reads them once, not once each."""
        self.slug = self.free_slug_among(slug_for(self.display_name()), taken)
        taken.add(self.slug)

    @classmethod
    def find(cls, name):
        return cls.objects.filter(normalized_name=normalize_name(name)).first()
