"""Search benchmark: `make bench` (or `python -m bench.search --sizes 10000 100000`).

Builds N essays of Finnish text taken at run time from the LibreOffice help pages that Debian's
libreoffice-help-fi installs (nothing of it is committed), indexes them, and times single-word,
two-word and phrase queries three ways, side by side: our search (search.engine, the whole
results page query with counts and facets), stock Wagtail search (``EssayPage.objects.search()``
as Wagtail parses the query, on the same backend and index), and a plain ``icontains`` filter.
Figures go to bench/results-<database>.md.

Pages are bulk-inserted (treebeard paths computed here), not created one by one, so 100 000
essays take minutes rather than hours. The database is a separate SQLite file unless
DATABASE_URL is set (use a database of its own: the benchmark empties its essays).

With ``--backend opensearch`` the same essays (built, or kept with ``--reuse``) are bulk-indexed
into an OpenSearch cluster (``--opensearch-url``, indexes prefixed ``bench_``) and our search and
autocomplete are timed there; stock Wagtail and ``icontains`` do not depend on the search backend
and are timed in the database runs only.
"""

import argparse
import contextlib
import html
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

HELP_DIR = Path("/usr/share/libreoffice/help/fi")
BENCH_DIR = Path(__file__).resolve().parent
QUERIES_PER_KIND = 30
WARM_UP_QUERIES = ("tiedosto", "tiedosto valikko", '"valitse tiedosto"')
BATCH = 2000


def setup_django(cluster_url=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "essaybank.settings.dev")
    # The settings choose the search backend from these (essaybank.settings.base).
    os.environ.pop("ELASTICSEARCH_URL", None)
    os.environ.pop("OPENSEARCH_URL", None)
    if cluster_url:
        os.environ["OPENSEARCH_URL"] = cluster_url
        os.environ["ELASTICSEARCH_INDEX_PREFIX"] = "bench_"
    BENCH_DIR.mkdir(exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}")
    from django.conf import settings
    from django.core.management import call_command

    # Loaded as the web server loads it, so the queries run in a process like the server's (see
    # essaybank/wsgi.py on the garbage collector).
    import essaybank.wsgi  # noqa: F401

    # Development settings log every query when DEBUG is on; that would be measured too.
    settings.DEBUG = False

    call_command("migrate", verbosity=0)
    from essaybank.site_structure import ensure_site_structure

    ensure_site_structure()


def help_paragraphs():
    if not HELP_DIR.is_dir():
        sys.exit(f"{HELP_DIR} is missing: apt-get install libreoffice-help-fi")
    paragraphs = []
    for path in sorted(HELP_DIR.rglob("*.html")):
        for raw in re.findall(r"<p[^>]*>(.*?)</p>", path.read_text(encoding="utf-8", errors="ignore"), re.S):
            text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw)).split())
            if len(text.split()) >= 6:
                paragraphs.append(text)
    return paragraphs


def build_essays(count, paragraphs, rng, replace=True):
    """Bulk-insert `count` published essays under the essay index; returns their ids.

    With `replace` the essays there are deleted first; otherwise the new ones follow them.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from taggit.models import Tag
    from wagtail.models import Page
    from wagtail.rich_text import RichText

    from essays.models import Book, Category, EssayIndexPage, EssayPage, Person, Team

    index = EssayIndexPage.objects.get()
    if replace:
        EssayPage.objects.all().delete()
        for model in (Book, Person, Team, Tag):
            model.objects.filter(slug__startswith="bench-").delete()
        Category.objects.filter(number__startswith="9.").delete()
    index.refresh_from_db()
    last_child = index.get_last_child()
    first_step = int(last_child.path[-Page.steplen :], 36) if last_child else 0
    content_type = ContentType.objects.get_for_model(EssayPage)
    fields = [field for field in EssayPage._meta.local_concrete_fields if field.attname != "page_ptr_id"]
    columns = ", ".join(["page_ptr_id", *(connection.ops.quote_name(field.column) for field in fields)])
    placeholders = ", ".join(["%s"] * (len(fields) + 1))
    insert = f"INSERT INTO {EssayPage._meta.db_table} ({columns}) VALUES ({placeholders})"
    ids = []
    for start in range(0, count, BATCH):
        pages, rows = [], []
        for number in range(start, min(count, start + BATCH)):
            body = rng.sample(paragraphs, 10)
            title = " ".join(body[0].split()[:6])
            pages.append(
                Page(
                    title=title,
                    draft_title=title,
                    locale_id=index.locale_id,
                    slug=f"bench-{number}",
                    content_type=content_type,
                    path=index.path + _step(first_step + number + 1),
                    depth=index.depth + 1,
                    url_path=f"{index.url_path}bench-{number}/",
                    live=True,
                    numchild=0,
                )
            )
            essay = EssayPage(
                title=title,
                written=f"{2010 + number % 15}-0{1 + number % 9}-1{number % 9}",
                body=[("paragraph", RichText(f"<p>{html.escape(text)}</p>")) for text in body],
                other_sources=[],
            )
            rows.append([field.get_db_prep_save(getattr(essay, field.attname), connection) for field in fields])
        with transaction.atomic():
            created = Page.objects.bulk_create(pages)
            if created[0].pk is None:  # SQLite before 3.35 returns no ids
                created = list(Page.objects.filter(slug__in=[page.slug for page in pages]).order_by("path"))
            with connection.cursor() as cursor:
                cursor.executemany(insert, [[page.pk, *row] for page, row in zip(created, rows, strict=True)])
        ids += [page.pk for page in created]
    Page.objects.filter(pk=index.pk).update(numchild=index.numchild + count)
    add_metadata(ids, rng)
    return ids


def add_metadata(ids, rng):
    """Authors, teams, books, tags, categories and types, so the facets count real rows."""
    from taggit.models import Tag

    from essays.models import (
        Book,
        Category,
        EssayAuthor,
        EssayBookSource,
        EssayPage,
        EssayTag,
        EssayType,
        Person,
        Team,
    )

    def named(model, label, count, **fields):
        return model.objects.bulk_create(
            model(
                **{model.name_field: f"{label} {number}"},
                slug=f"bench-{label.lower()}-{number}",
                normalized_name=f"bench {label.lower()} {number}",
                **{key: value(number) for key, value in fields.items()},
            )
            for number in range(count)
        )

    teams = named(Team, "Tiimi", 40)
    people = named(Person, "Opiskelija", 400, team=lambda number: teams[number % 40])
    books = named(Book, "Kirja", 300)
    tags = Tag.objects.bulk_create(Tag(name=f"aihe {number}", slug=f"bench-aihe-{number}") for number in range(150))
    categories = Category.objects.bulk_create(
        Category(number=f"9.{number}", name=f"Luokka {number}", sort_key=f"9.{number:03}") for number in range(12)
    )
    types = list(EssayType.objects.all()) or [EssayType.objects.create(code="bench", name="Essee")]
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        authors, sources, tagged, categorised = [], [], [], []
        for essay_id in chunk:
            for person in rng.sample(people, rng.choice((1, 1, 1, 2))):
                authors.append(EssayAuthor(essay_id=essay_id, person=person, team_id=person.team_id))
            sources.append(EssayBookSource(essay_id=essay_id, book=rng.choice(books)))
            tagged += [EssayTag(content_object_id=essay_id, tag=tag) for tag in rng.sample(tags, 2)]
            categorised.append(EssayPage.categories.through(essaypage_id=essay_id, category=rng.choice(categories)))
        EssayAuthor.objects.bulk_create(authors)
        EssayBookSource.objects.bulk_create(sources)
        EssayTag.objects.bulk_create(tagged)
        EssayPage.categories.through.objects.bulk_create(categorised)
        for essay_type in types:
            EssayPage.objects.filter(pk__in=chunk[types.index(essay_type) :: len(types)]).update(essay_type=essay_type)


def _step(number):
    """The treebeard path step of the number-th child (base 36, four characters)."""
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    step = ""
    while number:
        number, digit = divmod(number, 36)
        step = digits[digit] + step
    return step.rjust(4, "0")


def prepare(size, paragraphs, rng, reuse, index=True):
    """Build and index `size` essays, or with `reuse` keep those of an earlier run of this size.

    Returns (build seconds, indexing seconds), remembered in the database's timing file. Without
    `index` (a run on the cluster, which prepare_cluster fills) essays built anew are not put into
    the database's index, nor remembered as indexed.
    """
    from django.db import connection

    from essays.models import EssayPage

    timings_file = BENCH_DIR / f"timings-{connection.vendor}.json"
    timings = json.loads(timings_file.read_text()) if timings_file.exists() else {}
    if reuse and str(size) in timings and EssayPage.objects.filter(slug__startswith="bench-").count() == size:
        return timings[str(size)]
    print(f"building {size} essays…", file=sys.stderr)
    started = time.perf_counter()
    ids = build_essays(size, paragraphs, rng)
    build_time = time.perf_counter() - started
    if not index:
        return build_time, None
    print("indexing…", file=sys.stderr)
    timings[str(size)] = (build_time, index_essays(ids))
    if connection.vendor == "postgresql":
        # What autovacuum does to a live database in the background: statistics for the planner
        # and a visibility map, so index-only scans need not visit the table.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    timings_file.write_text(json.dumps(timings))
    return timings[str(size)]


def prepare_cluster(size, ids, reuse):
    """Index the database's essays and everything else the search covers into the cluster, or with
    `reuse` keep an index of this size; returns (essays/s, CPU seconds of this process), remembered
    in bench/timings-opensearch.json."""
    from modelsearch.backends import get_search_backend
    from modelsearch.index import get_indexed_models

    from essays.models import EssayPage

    backend = get_search_backend()
    timings_file = BENCH_DIR / "timings-opensearch.json"
    timings = json.loads(timings_file.read_text()) if timings_file.exists() else {}
    essay_index = backend.get_index_for_model(EssayPage)
    if reuse and str(size) in timings and essay_index.exists():
        query = {"query": {"term": {"_django_content_type": "essays.EssayPage"}}}
        if backend.es.count(index=essay_index.name, body=query)["count"] == size:
            return timings[str(size)]
    print("indexing into the cluster…", file=sys.stderr)
    with contextlib.ExitStack() as loading:
        # As update_index fills an index it rebuilds: no refresh and no replicas until the end.
        for index in backend.all_indexes():
            index.reset()
            loading.enter_context(index.bulk_loading())
        for model in get_indexed_models():
            backend.get_index_for_model(model).add_model(model)
            if model is not EssayPage and not issubclass(model, EssayPage):
                objects = list(model.get_indexed_objects())
                for start in range(0, len(objects), BATCH):
                    backend.add_bulk(model, objects[start : start + BATCH])
        cpu_started = time.process_time()
        started = time.perf_counter()
        index_essays(ids)
    seconds = time.perf_counter() - started
    timings[str(size)] = (size / seconds, time.process_time() - cpu_started)
    backend.refresh_indexes()
    timings_file.write_text(json.dumps(timings))
    return timings[str(size)]


def index_essays(ids):
    from modelsearch.backends import get_search_backend

    from essays.models import EssayPage

    started = time.perf_counter()
    index = get_search_backend().get_index_for_model(EssayPage)
    for start in range(0, len(ids), BATCH):
        chunk = list(
            EssayPage.objects.filter(pk__in=ids[start : start + BATCH]).prefetch_related(
                "essay_authors__person", "book_sources__book", "tags", "categories"
            )
        )
        index.add_items(EssayPage, chunk)
    return time.perf_counter() - started


def make_queries(paragraphs, rng):
    """Words a reader would type: neither rare nor stop words, pairs and phrases as they occur together."""
    counts = {}
    for text in paragraphs:
        for word in set(re.findall(r"[^\W\d_]{6,}", text.lower())):
            counts[word] = counts.get(word, 0) + 1
    middling = sorted(word for word, n in counts.items() if 5 <= n <= 400)
    singles = rng.sample(middling, QUERIES_PER_KIND)
    pairs, phrases = [], []
    while len(pairs) < QUERIES_PER_KIND or len(phrases) < QUERIES_PER_KIND:
        words = re.findall(r"[^\W\d_]+", rng.choice(paragraphs).lower())
        content = sorted({word for word in words if word in counts and 5 <= counts[word] <= 400})
        if len(content) >= 2 and len(pairs) < QUERIES_PER_KIND:
            pairs.append(" ".join(rng.sample(content, 2)))
        adjacent = [
            (first, second)
            for first, second in zip(words, words[1:], strict=False)
            if len(first) > 2 and len(second) > 2 and (first in content or second in content)
        ]
        if adjacent and len(phrases) < QUERIES_PER_KIND:
            phrases.append('"{} {}"'.format(*rng.choice(adjacent)))
    return {"single word": singles, "two words": pairs, "phrase": phrases}


def ours(query):
    """What the results page asks for: the first page of hits described, counts and facets."""
    from django.contrib.auth.models import AnonymousUser

    from search.engine import Search, SearchRequest

    search = Search(SearchRequest.from_query({"q": query}), AnonymousUser())
    search.describe_all(search.hits[:20])
    search.facets, search.concept_counts  # noqa: B018 - computed on first use
    return len(search.hits)


def suggestions(prefix):
    """What the search box asks for as the reader types."""
    from django.contrib.auth.models import AnonymousUser

    from search.engine import autocomplete

    return len(autocomplete(prefix, AnonymousUser()))


def stock(query):
    """Wagtail's own database backend and query parsing (quotes make a Phrase), on the same index."""
    from django.conf import settings
    from modelsearch.backends import get_search_backend
    from modelsearch.utils import parse_query_string

    from essays.models import EssayPage

    options = {key: value for key, value in settings.WAGTAILSEARCH_BACKENDS["default"].items() if key != "BACKEND"}
    backend = get_search_backend("modelsearch.backends.database", **options)
    _filters, parsed = parse_query_string(query, operator="and")
    results = backend.search(parsed, EssayPage.objects.live())
    list(results[:20])
    return results.count()


def icontains(query):
    from essays.models import EssayPage

    essays = EssayPage.objects.live()
    words = query.strip('"').split()
    if query.startswith('"'):
        essays = essays.filter(body__icontains=query.strip('"'))
    else:
        for word in words:
            essays = essays.filter(body__icontains=word)
    list(essays.order_by("-written")[:20])
    return essays.count()


def timed_once(function):
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def timed(function, queries):
    """p50 and p95 of the wall-clock times in ms, and p50 and p95 of this process's CPU time in ms
    (on a shared machine the wall clock also counts other processes' turns)."""
    times, cpu_times = [], []
    for query in queries:
        started, cpu_started = time.perf_counter(), time.process_time()
        function(query)
        times.append((time.perf_counter() - started) * 1000)
        cpu_times.append((time.process_time() - cpu_started) * 1000)
    times.sort()
    cpu_times.sort()
    return (*percentiles(times), *percentiles(cpu_times))


def percentiles(times):
    """p50 and p95 of sorted times."""
    return statistics.median(times), times[max(0, round(0.95 * len(times)) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument(
        "--stock-queries",
        type=int,
        default=QUERIES_PER_KIND,
        help="time stock Wagtail on only the first N queries of each kind (it takes seconds per query)",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="keep essays and index already built for this size (times them again)"
    )
    parser.add_argument(
        "--backend",
        choices=["database", "opensearch"],
        default="database",
        help="search the database's own index (default) or an OpenSearch cluster",
    )
    parser.add_argument(
        "--opensearch-url",
        default=os.environ.get("OPENSEARCH_URL", "http://127.0.0.1:9201"),
        help="the cluster's nodes, comma-separated (default: OPENSEARCH_URL or make opensearch's node)",
    )
    parser.add_argument(
        "--autocomplete-only",
        action="store_true",
        help="time only autocomplete, by wall clock and by the process's CPU time, and print it (no results file)",
    )
    arguments = parser.parse_args()
    on_cluster = arguments.backend == "opensearch"
    setup_django(arguments.opensearch_url if on_cluster else None)
    from django.db import connection

    from essays.facets import essay_facets
    from finnish.analysis import backend_name

    rng = random.Random(arguments.seed)
    paragraphs = help_paragraphs()
    queries = make_queries(paragraphs, rng)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    searched = f"OpenSearch at {arguments.opensearch_url}" if on_cluster else "the database's index"
    lines = [
        f"# Search benchmark ({time.strftime('%Y-%m-%d')})",
        "",
        f"Command: `python -m bench.search {' '.join(sys.argv[1:])}` at {commit}; "
        f"database: {connection.vendor}; search: {searched}; Voikko: {backend_name()}; CPUs: {os.cpu_count()}; "
        f"text: {len(paragraphs)} paragraphs of libreoffice-help-fi, 10 per essay; "
        f"{QUERIES_PER_KIND} queries of each kind ({arguments.stock_queries} for stock Wagtail); "
        "latencies in ms (p50 / p95), CPU time of this process in ms (median).",
        "",
    ]
    for size in arguments.sizes:
        build_time, index_time = prepare(size, paragraphs, rng, arguments.reuse, index=not on_cluster)
        if on_cluster:
            from essays.models import EssayPage

            ids = list(EssayPage.objects.filter(slug__startswith="bench-").order_by("pk").values_list("pk", flat=True))
            rate, index_cpu = prepare_cluster(size, ids, arguments.reuse)
        print("timing…", file=sys.stderr)
        load_before = os.getloadavg()[0]
        facets_time = timed_once(essay_facets)
        # A server's first searches load Voikko's dictionary and fill its caches (the first query
        # of several words on SQLite reads which object each index entry is); they are not timed.
        for query in WARM_UP_QUERIES:
            ours(query)
        if arguments.autocomplete_only:
            prefixes = [word[: 2 + number % 5] for number, word in enumerate(queries["single word"])]
            wall50, wall95, cpu50, cpu95 = timed(suggestions, prefixes)
            print(
                f"{size} essays, {connection.vendor}: autocomplete p50 / p95 {wall50:.1f} / {wall95:.1f} ms, "
                f"CPU {cpu50:.1f} / {cpu95:.1f} ms; load average {' '.join(f'{n:.1f}' for n in os.getloadavg())}"
            )
            continue
        # Ours first: stock Wagtail and icontains read every essay, which on PostgreSQL pushes the
        # search index out of the shared buffers that a server answering searches keeps it in.
        our_times = {kind: timed(ours, qs) for kind, qs in queries.items()}
        # Prefixes of 2 to 6 letters of the single words, as typed.
        prefixes = [word[: 2 + number % 5] for number, word in enumerate(queries["single word"])]
        suggest50, suggest95, suggest_cpu, _ = timed(suggestions, prefixes)
        load = f"load average (1 min) {load_before:.1f} before the timed queries, {os.getloadavg()[0]:.1f} after"
        if on_cluster:
            lines += [
                f"## {size:,} essays".replace(",", " "),
                "",
                f"Indexing into the cluster {rate:.0f} essays/s (bulk, {BATCH} a request; this process's CPU "
                f"{index_cpu:.0f} s for {size} essays); facets read into memory {facets_time:.1f} s; {load}.",
                "",
                "| query | ours p50 / p95 | CPU p50 |",
                "| --- | --- | --- |",
                *(f"| {kind} | {t50:.1f} / {t95:.1f} | {cpu:.1f} |" for kind, (t50, t95, cpu, _) in our_times.items()),
                "",
                f"Autocomplete ({len(prefixes)} prefixes of 2–6 letters): p50 {suggest50:.1f} / "
                f"p95 {suggest95:.1f} ms, CPU p50 {suggest_cpu:.1f} ms.",
                "",
            ]
            (BENCH_DIR / "results-opensearch.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
            print("\n".join(lines))
            continue
        stock_times = {kind: timed(stock, qs[: arguments.stock_queries]) for kind, qs in queries.items()}
        icontains_times = {kind: timed(icontains, qs) for kind, qs in queries.items()}
        lines += [
            f"## {size:,} essays".replace(",", " "),
            "",
            f"Bulk insert {'not timed' if build_time is None else f'{build_time:.0f} s'}; "
            f"indexing {index_time:.0f} s ({size / index_time:.0f} essays/s); "
            f"facets read into memory (once after each change, before the timed queries) {facets_time:.1f} s; {load}.",
            "",
            "| query | ours p50 / p95 | ours CPU p50 | stock Wagtail p50 / p95 | icontains p50 / p95 | "
            "icontains ÷ ours (p95) |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for kind in queries:
            (o50, o95, cpu, _), (s50, s95, *_) = our_times[kind], stock_times[kind]
            i50, i95, *_ = icontains_times[kind]
            ratio = i95 / o95
            lines.append(
                f"| {kind} | {o50:.1f} / {o95:.1f} | {cpu:.1f} | {s50:.1f} / {s95:.1f} | {i50:.1f} / {i95:.1f} "
                f"| {ratio:.1f}× |"
            )
        lines += [
            "",
            f"Autocomplete ({len(prefixes)} prefixes of 2–6 letters): p50 {suggest50:.1f} / p95 {suggest95:.1f} ms, "
            f"CPU p50 {suggest_cpu:.1f} ms.",
            "",
        ]
        (BENCH_DIR / f"results-{connection.vendor}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
        print("\n".join(lines))


if __name__ == "__main__":
    main()
