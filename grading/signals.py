from django.apps import apps as global_apps
from django.db.models.signals import post_save
from django.dispatch import receiver

from essays.models import EssayIndexPage

from .roles import setup_essay_index


@receiver(post_save, sender=EssayIndexPage)
def put_new_essay_index_under_grading(sender, instance, created, raw=False, **kwargs):
    """An essay index made after the grading migration (by load_demo, the site structure or an editor)
    gets the grading workflow and the students' permission to add essays, as the migration gives an
    existing one."""
    if created and not raw:
        setup_essay_index(global_apps, instance.pk)
