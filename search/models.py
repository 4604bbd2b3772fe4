from django.contrib.contenttypes.models import ContentType
from django.db import models


class Posting(models.Model):
    """One term of one index entry with its BM25 weight there (search.backends.postings).

    The table, its triggers and, on PostgreSQL, its SQL functions are written by migration
    search 0003, differently per database, so Django does not manage it; the model lets the ORM,
    the shell and the tests read it. PostgreSQL's table also holds the entry's id, and a NULL
    object id for an object whose id is not a number.
    """

    pk = models.CompositePrimaryKey("term", "content_type", "object_id")
    term = models.TextField()
    content_type = models.ForeignKey(ContentType, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    object_id = models.BigIntegerField()
    weight = models.FloatField()

    class Meta:
        managed = False
        db_table = "search_posting"

    def __str__(self):
        return f"{self.term} {self.content_type_id}:{self.object_id} {self.weight:.3f}"
