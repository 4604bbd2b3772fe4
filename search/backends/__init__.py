"""The search backends, one subpackage per engine, each declaring subclasses of Wagtail's
(modelsearch's) backend of the same engine: `sqlite`, `postgres` and `elasticsearch`. The settings
name the class for the configured database (WAGTAILSEARCH_BACKENDS); search.engine runs above them.

Why the database path ranks on its own: the default install has no search server, and that
embedded default must stay fast at 100 000 essays. Wagtail's stock database queries take about
10 s a query there on SQLite (a full-text lookup and a scoring subquery per matching entry) and
1.5 s on PostgreSQL (every row of the model joined to its entry and tested); `make bench` measures
both against ours (docs/search.md, bench/README.md). So the `sqlite` and `postgres` compilers
match a query once per search and rank every match in that one read: a query of words by BM25
from the postings table (`postings`), any other from the database's full-text index. What the
two share is in `database`.
"""
