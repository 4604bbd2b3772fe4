import uuid

from django.db import models


def new_token():
    return uuid.uuid4().hex


class FacetsVersion(models.Model):
    """One row whose token is replaced, in the same transaction, by every change to what the
    essay facets count (essays.facets keeps the counts in memory and reads them again when the
    token differs). A fresh token rather than a counter: a rolled-back change must not leave a
    number that the next change would reuse for other data."""

    token = models.CharField(max_length=32, default=new_token)

    def __str__(self):
        return self.token

    @classmethod
    def current(cls):
        return cls.objects.values_list("token", flat=True).first()

    @classmethod
    def replace(cls):
        if not cls.objects.update(token=new_token()):
            cls.objects.create()
