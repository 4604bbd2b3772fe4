"""Keep each essay's signature current: when its page row is saved with its body, and when a
revision (a draft, or what a student submits) is saved."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import Revision

from essays.models import EssayPage

from .models import Signature


@receiver(post_save, sender=EssayPage)
def fingerprint_saved_essay(sender, instance, raw=False, update_fields=None, **kwargs):
    # save_revision saves the page row with its old body and only bookkeeping fields.
    if raw or (update_fields is not None and "body" not in update_fields):
        return
    Signature.objects.store(instance)


@receiver(post_save, sender=Revision)
def fingerprint_saved_revision(sender, instance, raw=False, **kwargs):
    if raw or instance.content_type.model_class() is not EssayPage:
        return
    Signature.objects.store(instance.as_object())
