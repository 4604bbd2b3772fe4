from django.dispatch import receiver
from wagtail.signals import page_published

from essays.models import EssayPage

from .linking import link_concept, link_essay
from .models import ConceptPage


@receiver(page_published, sender=EssayPage)
def link_published_essay(sender, instance, **kwargs):
    link_essay(instance)


@receiver(page_published, sender=ConceptPage)
def link_published_concept(sender, instance, **kwargs):
    link_concept(instance)
