"""One search across essays, book summaries, concepts, books and people.

The path of a query: SearchRequest validates the query string; Search analyses it like the
indexed text (finnish.indexing, build_query), sends it to the configured backend
(search.backends) model by model with an explicit operator, limits each model to what the reader
may see and to the chosen facets, and merges, sorts and describes the hits here (search.highlight
marks the matched words), so every backend gives the same results.
"""

import difflib
import functools
import re
from dataclasses import dataclass, field

from django.core.exceptions import BadRequest
from django.db import models
from django.db.models import Q, prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from modelsearch.backends import get_search_backend
from taggit.models import Tag
from wagtail.search.query import And, Or, Phrase, PlainText

from community.listing import by_rating
from concepts.models import ConceptPage
from essays.facets import essay_facets
from essays.listing import EssayFilters
from essays.models import Book, BookSummaryPage, EssayPage, EssayTag, Person
from essays.models.essays import FACET_FIELDS, bylines
from essays.privacy import hidden_paths, without_hidden
from finnish.analysis import WORD_RE, query_forms
from finnish.collation import sort_key
from finnish.indexing import (
    MAX_PHRASE_ALTERNATIVES,
    held_options,
    phrase_alternatives,
    phrase_options,
    phrase_pairs,
    plain_text,
    query_terms,
    query_words,
)
from search.caches import one_search
from search.highlight import highlight
from search.spelling import suggestion

MAX_QUERY_LENGTH = 500
MAX_QUERY_WORDS = 12
# A search that finds fewer results than this offers its query spelled with the dots of ä and ö.
FEW_RESULTS = 3
# Hits of each type a search cluster returns with its count and facets: the first page's.
FIRST_HITS = 20
# The most ids a search cluster takes in one terms query (the engines' index.max_terms_count).
MAX_LISTED_IDS = 65_536


class Sort(models.TextChoices):
    """The orders a reader may choose, as `jarjestys` names them."""

    RELEVANCE = "relevanssi", _("relevance")
    NEWEST = "uusin", _("newest")
    TITLE = "otsikko", _("title")
    RATING = "arvio", _("best rated")


class TypeCode(models.TextChoices):
    """The content types one search covers, as `laji` and the API's `type` name them."""

    ESSAY = "essee", _("essay")
    BOOK_SUMMARY = "tiivistelma", _("book summary")
    CONCEPT = "kasite", _("concept")
    BOOK = "kirja", _("book")
    PERSON = "henkilo", _("person")


@dataclass
class SearchedType:
    """A content type the search covers: its model and how its hits are read and shown."""

    code: TypeCode
    model: type
    is_page: bool = True
    dated: bool = False
    # The fields a page's hit shows (Search.describe and Search._text); the rest are not read.
    shown_fields: tuple = ()

    @property
    def label(self):
        return self.code.label

    def listed(self, queryset):
        """The queryset reading a page type's hits with only what they are sorted and merged by."""
        if not self.is_page:
            return queryset
        return queryset.only("title", "written") if self.dated else queryset.only("title")


CONTENT_TYPES = [
    SearchedType(TypeCode.ESSAY, EssayPage, dated=True, shown_fields=("title", "written", "body", "language")),
    SearchedType(
        TypeCode.BOOK_SUMMARY,
        BookSummaryPage,
        dated=True,
        shown_fields=("title", "written", "body", "key_insights", "summary_author", "book"),
    ),
    SearchedType(
        TypeCode.CONCEPT, ConceptPage, shown_fields=("title", "english_term", "definition", "body", "synonyms")
    ),
    SearchedType(TypeCode.BOOK, Book, is_page=False),
    SearchedType(TypeCode.PERSON, Person, is_page=False),
]
TYPES_BY_CODE = {content_type.code: content_type for content_type in CONTENT_TYPES}
# Types few enough to compare every match's title with the query (Search.named).
NAMED_TYPES = (TypeCode.CONCEPT, TypeCode.BOOK)


@dataclass
class Hit:
    content_type: SearchedType
    obj: object
    score: float
    title: str = ""
    url: str = ""
    date: object = None
    meta: dict = field(default_factory=dict)
    snippet: str = ""
    title_html: str = ""
    # The language of the title and snippet when it is not the interface's (an English essay).
    lang: str = ""
    # The names of `meta` (authors, teams, books) with the matched words marked.
    byline: dict = field(default_factory=dict)

    @property
    def key(self):
        return (self.content_type.code, self.obj.pk)


@dataclass
class SearchRequest:
    """The query string and the choices a reader made, validated."""

    text: str = ""
    content_type: str = ""
    concept: str = ""
    sort: Sort = Sort.RELEVANCE
    filters: EssayFilters = None

    @classmethod
    def from_query(cls, query):
        text = query.get("q", "")
        if len(text) > MAX_QUERY_LENGTH or any(ord(char) < 32 and char not in "\t\n\r" for char in text):
            raise BadRequest(_("The search is too long or contains invalid characters."))
        content_type = query.get("laji", "").strip()
        if content_type and content_type not in TYPES_BY_CODE:
            raise BadRequest(_("Unknown content type."))
        sort = query.get("jarjestys", "").strip() or Sort.RELEVANCE
        if sort not in Sort.values:
            raise BadRequest(_("Unknown sort order."))
        concept = query.get("kasite", "").strip()
        if len(concept) > 200 or "\x00" in concept:
            raise BadRequest(_("The filter %(name)s is too long or contains invalid characters.") % {"name": "kasite"})
        filters = EssayFilters(query)
        if not filters.is_valid():
            raise BadRequest(filters.error)
        return cls(text.strip(), TypeCode(content_type) if content_type else "", concept, Sort(sort), filters)

    @property
    def words(self):
        return [word for word, _in_phrase in self._words]

    @property
    def phrases(self):
        return [text for text, _words, is_phrase in self._pieces() if is_phrase]

    @property
    def loose_words(self):
        """Those of `words` outside the phrases. A phrase's own words are not searched for apart:
        its pair terms and lemma sequences stand for them, and every clause more is matched and
        ranked on each candidate row."""
        return [word for word, in_phrase in self._words if not in_phrase]

    @functools.cached_property
    def _words(self):
        """(word, whether it is in a phrase) of the first MAX_QUERY_WORDS words, in order; worked
        out once, not for each of a results page's hundred highlighted titles, snippets and names."""
        words = [(word, is_phrase) for _text, piece_words, is_phrase in self._pieces() for word in piece_words]
        return words[:MAX_QUERY_WORDS]

    def _pieces(self):
        """(text, words, whether it is a phrase) of each stretch of the query, quoted or between
        quotes; a phrase is quoted words, more than one."""
        for piece in re.split(r'("[^"]+")', self.text):
            quoted = piece.startswith('"') and piece.endswith('"') and len(piece) > 1
            text = piece[1:-1] if quoted else piece
            piece_words = query_words(text)
            yield text, piece_words, quoted and len(piece_words) > 1

    @property
    def essays_only(self):
        return bool(self.filters) or bool(self.concept)

    @property
    def filtered(self):
        return self.essays_only or bool(self.content_type)


def build_query(words, phrases=(), indexed=None):
    """And over the words, each matching any of its index terms, and over the phrases.

    Without `indexed` (a search cluster, which matches phrases from its own postings) a phrase is an
    Or over the lemma sequences it stands for. With `indexed`, a database backend's
    indexed_terms, only the lemmas and lemma pairs (finnish.indexing.analysed_text) the index holds
    count, each kind asked in one lookup for all the phrases, and a phrase is matched by its pairs
    like a word by its forms: a phrase of two words by its pair terms alone, a longer one by each
    of its pairs and, for their order, by its sequences. A phrase none of whose pairs the index
    holds (no text holds it, or the index was written before there were pairs), or whose pairs
    would put a digit beside the joiner, is matched by its sequences alone.
    """
    phrases_options = [phrase_options(phrase) for phrase in phrases]
    phrases_pairs = [None] * len(phrases)
    if indexed is not None and phrases_options:
        held = indexed({option for word_options in phrases_options for options in word_options for option in options})
        phrases_options = [held_options(word_options, held) for word_options in phrases_options]
        phrases_pairs = [phrase_pairs(word_options) for word_options in phrases_options]
        held_pairs = indexed({pair for pairs in phrases_pairs for options in pairs or () for pair in options})
        phrases_pairs = [
            [options[:MAX_PHRASE_ALTERNATIVES] for options in held_options(pairs, held_pairs)]
            if pairs and any(pair in held_pairs for options in pairs for pair in options)
            else None
            for pairs in phrases_pairs
        ]
    clauses = []
    for word in words:
        # One PlainText per word, its terms joined by "or": PostgreSQL then ranks each row once
        # per word instead of once per term.
        terms = query_terms(word)
        if terms:
            clauses.append(PlainText(" ".join(terms), operator="or"))
    for word_options, pairs in zip(phrases_options, phrases_pairs, strict=True):
        clauses += [PlainText(" ".join(options), operator="or") for options in pairs or ()]
        if pairs and len(pairs) == 1:
            continue
        sequences = [Phrase(sequence) for sequence in phrase_alternatives(word_options)]
        if sequences:
            clauses.append(sequences[0] if len(sequences) == 1 else Or(sequences))
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else And(clauses)


def backend_label(backend):
    """The name the API gives a backend: a cluster backend's own label, or "database"."""
    return getattr(backend, "label", "database")


class TypeMatches:
    """One content type's part of a search: its count, its best hits and the set of every match.

    Nothing is fetched before it is asked for, and counts and facets cover the whole match set, not
    a sample of hits: on a database from every match's id (``matching_ids``), on a search cluster
    from the cluster's count and aggregations (``summary``).
    """

    def __init__(self, content_type, backend, query, queryset, aggregations=None, summarised=False):
        self.content_type = content_type
        if content_type.is_page:
            # Bodies are read only for the hits shown (describe), not for every match.
            queryset = queryset.defer_streamfields()
        self.queryset = queryset
        self.results = backend.search(query, queryset, operator="and", order_by_relevance=True)
        self.answered_by = None
        # What a search cluster counts with the first hits: (counted, grouped) of summarise().
        self.aggregated = (aggregations or {}).get("counted"), (aggregations or {}).get("grouped")
        # Whether the cluster applies every condition of the queryset, so that it may sum it up.
        self.summarised = summarised

    @functools.cached_property
    def summary(self):
        """On a search cluster, the count, the first hits and the aggregations from one request
        (search.backends.cluster.Summary; Search asks for every type's at once); None on a
        database, or where the cluster's answer needs every match's id checked."""
        if not self.summarised:
            return None
        summary = self.results.summarise(FIRST_HITS, *self.aggregated)
        self._note_backend(self.results)
        return summary

    @functools.cached_property
    def count(self):
        if self.summary is not None:
            return self.summary.total
        count = self.results.count()
        self._note_backend(self.results)
        return count

    @functools.cached_property
    def matching_ids(self):
        """Ids of every match, as a value for an `__in` filter."""
        ids = self.results.matching_ids()
        self._note_backend(self.results)
        return ids

    @functools.cached_property
    def matching_pks(self):
        """Ids of every match, as a list."""
        pks = self.results.matching_pks()
        self._note_backend(self.results)
        return pks

    @property
    def matching(self):
        """Every matching object as a queryset without order."""
        return self.content_type.listed(self.content_type.model._default_manager.filter(pk__in=self.matching_ids))

    def best(self, limit, sort):
        """The first `limit` hits in the reader's order, as (obj, score)."""
        if sort == Sort.RELEVANCE:
            if self.summary is not None and (limit <= len(self.summary.hits) or self.summary.complete):
                return self.summary.hits[:limit]
            found = list(self.results.annotate_score("_score")[:limit])
            self._note_backend(self.results)
            return [(obj, obj._score or 0.0) for obj in found]
        model = self.content_type.model
        if sort == Sort.NEWEST and self.content_type.dated:
            return [(obj, 0.0) for obj in self.matching.order_by("-written", "-pk")[:limit]]
        if sort == Sort.RATING and self.content_type.is_page:
            return [(obj, 0.0) for obj in by_rating(self.matching)[:limit]]
        # Finnish alphabetical order is not a database collation: sort the titles here.
        name = "name" if model is Person else "title"
        titled = sorted(
            self.matching.values_list("pk", name),
            key=lambda row: sort_key(row[1]),
        )[:limit]
        objects = self.queryset.in_bulk([pk for pk, _title in titled])
        return [(objects[pk], 0.0) for pk, _title in titled if pk in objects]

    def _note_backend(self, results):
        self.answered_by = getattr(results, "answered_by", None) or self.answered_by


class Search:
    def __init__(self, request, user, backend=None):
        self.request = request
        self.user = user
        self.backend = backend or get_search_backend()
        self.matches = {}
        # The database backends tell which of a phrase's terms their index holds; a search cluster,
        # which matches phrases from its own postings, takes every alternative.
        query = build_query(request.loose_words, request.phrases, getattr(self.backend, "indexed_terms", None))
        # A search cluster applies the reader's rights and the facets itself and counts the facets.
        self.in_cluster = getattr(self.backend, "filters_in_cluster", False)
        if query is not None:
            querysets = self._querysets()
            self.matches = {
                code: TypeMatches(
                    TYPES_BY_CODE[code],
                    self.backend,
                    query,
                    queryset,
                    self._essay_aggregations() if code == TypeCode.ESSAY and self.in_cluster else None,
                    summarised=self.in_cluster,
                )
                for code, queryset in querysets.items()
            }
        if self.in_cluster and self.matches:
            # Every type's count, facets and first hits in one request to the cluster.
            summaries = self.backend.summarise_all(
                [(matches.results, FIRST_HITS, *matches.aggregated) for matches in self.matches.values()]
            )
            for matches, summary in zip(self.matches.values(), summaries, strict=True):
                matches.summary = summary
                matches._note_backend(matches.results)
        # Counts are needed for any page of results; taking them now also settles answered_by.
        # Every type's matches are read here, essays first, whose read of the database's full-text
        # index the other types share (search.db_backend.one_search).
        with one_search():
            self.type_counts = {
                code: self.matches[code].count if code in self.matches else 0 for code in TYPES_BY_CODE
            }
        self.hits = Results(self)

    @property
    def answered_by(self):
        answers = [matches.answered_by for matches in self.matches.values() if matches.answered_by]
        if "database" in answers:
            return "database"
        return answers[0] if answers else backend_label(self.backend)

    # Querying

    @functools.cached_property
    def hidden(self):
        """The paths of the restricted sections the reader does not pass (essays.privacy), read
        once for every type the search lists."""
        return hidden_paths(self.user)

    def _live(self, model):
        """The published pages of a model that the reader's view restrictions leave listed."""
        return without_hidden(model.objects.live(), self.hidden)

    def _querysets(self):
        """What the reader may see of each type; essays also narrowed by the chosen facets.

        For a search cluster every condition is on a field the cluster indexes (Wagtail's
        FilterFields), so that it applies them itself: an essay set the database finds by a join
        (the reader's own and coached essays, the essays of a facet) is given as a list of ids,
        which is as long as that set, not as the matches."""
        if not self.user.is_authenticated:
            essays = EssayPage.objects.readable_by_anyone(self.hidden)
        else:
            essays = self._live(EssayPage)
            visible = EssayPage.objects.visible_to(self.user, restrictions=False)
            if visible.query.where:
                own = EssayPage.objects.filter(
                    Q(essay_authors__person__user=self.user) | Q(essay_authors__team__coach__user=self.user)
                ).values_list("pk", flat=True)
                shared = [EssayPage.Visibility.PUBLIC, EssayPage.Visibility.COMMUNITY]
                essays = self._narrowed(
                    essays, visible.values("pk"), own, lambda ids: Q(visibility__in=shared) | Q(id__in=ids)
                )
        if self.request.filters:
            chosen = self.request.filters.apply(EssayPage.objects.all()).values_list("pk", flat=True)
            essays = self._narrowed(essays, chosen, chosen, lambda ids: Q(id__in=ids))
        if self.request.concept:
            concept = self._live(ConceptPage).filter(slug=self.request.concept).first()
            names = concept.tag_names() if concept else set()
            tagged = _tagged_with(names).values_list("content_object", flat=True)
            essays = self._narrowed(essays, tagged, tagged, lambda ids: Q(id__in=ids))
        querysets = {TypeCode.ESSAY: essays}
        if not self.request.essays_only:
            querysets |= {
                TypeCode.BOOK_SUMMARY: self._live(BookSummaryPage),
                TypeCode.CONCEPT: self._live(ConceptPage),
                TypeCode.BOOK: Book.objects.all(),
                TypeCode.PERSON: Person.objects.all(),
            }
        # An essay's body is most of its row: the fields describe() shows are read for the hits of
        # the page shown only (describe_all), not for every type's best hits before they are merged.
        return {code: TYPES_BY_CODE[code].listed(queryset) for code, queryset in querysets.items()}

    def _narrowed(self, essays, subquery, listed, condition):
        """The essays narrowed to `pk__in` the subquery on a database; on a search cluster to the
        `condition` of the ids `listed` yields, which the cluster applies. A list longer than the
        cluster takes in one query leaves the search to the database's checks of every match's id
        (the cluster then sums nothing up)."""
        if self.in_cluster:
            ids = sorted(set(listed.order_by()))
            if len(ids) <= MAX_LISTED_IDS:
                return essays.filter(condition(ids))
            self.in_cluster = False
        return essays.filter(pk__in=subquery)

    @property
    def wanted_types(self):
        codes = [self.request.content_type] if self.request.content_type else list(TYPES_BY_CODE)
        return [code for code in codes if code in self.matches]

    @property
    def _essays_shown(self):
        return TypeCode.ESSAY in self.wanted_types and bool(self.type_counts[TypeCode.ESSAY])

    @functools.cached_property
    def facets(self):
        """Facet counts over every essay left by the query, the reader's rights and the other facets;
        none while the reader looks at another content type, which they do not narrow."""
        if not self._essays_shown:
            return {}
        essays = self.matches[TypeCode.ESSAY]
        if essays.summary is not None:
            return self.request.filters.options_counted(essays.summary.counts)
        return self.request.filters.options(essays.matching_pks)

    @functools.cached_property
    def _concepts(self):
        """The live concepts the reader may see, with the casefolded tag names each stands for."""
        # Ids first: joined with a large page table, SQLite would scan every page for the few concepts.
        concept_ids = list(ConceptPage.objects.order_by().values_list("pk", flat=True))
        concepts = self._live(ConceptPage).filter(pk__in=concept_ids).only("title", "slug", "english_term", "synonyms")
        return [(concept, concept.tag_names()) for concept in concepts]

    def _essay_aggregations(self):
        """What a search cluster counts over the matching essays: every facet's options, and for
        each concept the essays tagged with any of its terms."""
        if self.request.content_type not in ("", TypeCode.ESSAY):
            return None
        facets = essay_facets()
        grouped = {concept.pk: ("facet_tags", facets.tag_ids(names)) for concept, names in self._concepts}
        return {"counted": FACET_FIELDS, "grouped": {pk: group for pk, group in grouped.items() if group[1]}}

    @functools.cached_property
    def concept_counts(self):
        """(slug, title, essays, chosen) of each concept whose terms tag some of the matching essays."""
        if not self._essays_shown:
            return []
        matches = self.matches[TypeCode.ESSAY]
        if matches.summary is not None:
            essays = {concept.pk: matches.summary.groups.get(concept.pk, 0) for concept, _names in self._concepts}
        else:
            essays = essay_facets().tagged_counts(
                matches.matching_pks, {concept.pk: names for concept, names in self._concepts}
            )
        counts = [
            (concept.slug, concept.title, essays[concept.pk], concept.slug == self.request.concept)
            for concept, _names in self._concepts
            if essays[concept.pk]
        ]
        return sorted(counts, key=lambda option: sort_key(option[1]))

    def best(self, limit):
        """The first `limit` hits across the wanted types, in the reader's order."""
        sort = self.request.sort
        hits = []
        for code in self.wanted_types:
            if self.type_counts[code]:
                content_type = TYPES_BY_CODE[code]
                hits += [self._hit(content_type, obj, score) for obj, score in self.matches[code].best(limit, sort)]
        if sort == Sort.NEWEST:
            # Dated hits newest first, then the undated in type order.
            hits.sort(key=lambda hit: (hit.date is None, -(hit.date.toordinal() if hit.date else 0)))
        elif sort == Sort.TITLE:
            hits.sort(key=lambda hit: sort_key(hit.title))
        elif sort == Sort.RATING:
            # Rated pages first, best average and then most votes; books and people after them by title.
            hits.sort(key=lambda hit: sort_key(hit.title))
            hits.sort(key=lambda hit: (-getattr(hit.obj, "rating_average", -1), -getattr(hit.obj, "rating_count", 0)))
        else:
            hits.sort(key=lambda hit: -hit.score)
            hits = self._named_first(hits)
        return hits[:limit]

    @functools.cached_property
    def named(self):
        """(type code, id) of the concepts and books whose whole title the query is, in any
        inflection: a reader typing a term is looking for its page."""
        keys = set()
        query_word_forms = [set(query_forms(word)) for word in self.request.words]
        for code in NAMED_TYPES:
            if code in self.wanted_types and self.type_counts[code]:
                rows = self.matches[code].matching.values_list("pk", "title")
                keys |= {(code, pk) for pk, title in rows if names_query(title, query_word_forms)}
        return keys

    def _named_first(self, hits):
        """The hits with those of `named` first. The named set does not depend on how many hits
        were fetched, so every page of results agrees on the order."""
        if not self.named:
            return hits
        first = [hit for hit in hits if hit.key in self.named]
        for code, pk in sorted(self.named - {hit.key for hit in first}):
            obj = self.matches[code].queryset.filter(pk=pk).first()
            if obj is not None:
                first.append(self._hit(TYPES_BY_CODE[code], obj, 0.0))
        return first + [hit for hit in hits if hit.key not in self.named]

    # Presenting

    @staticmethod
    def _text(obj):
        if isinstance(obj, EssayPage):
            return f"{obj.title}. {plain_text(obj.body)}"
        if isinstance(obj, BookSummaryPage):
            return f"{obj.title}. {plain_text(obj.body)} {plain_text(obj.key_insights)}"
        if isinstance(obj, ConceptPage):
            # The English term is shown apart, marked English, not as the start of a Finnish snippet.
            return f"{obj.title}. {obj.definition} {plain_text(obj.body)} {obj.synonyms}"
        if isinstance(obj, Book):
            return f"{obj.title}. {', '.join(obj.author_names())}. {obj.publisher}"
        return f"{obj.name}. {obj.team or ''}"

    def _hit(self, content_type, obj, score):
        hit = Hit(content_type, obj, float(score))
        if isinstance(obj, Person):
            hit.title, hit.url = obj.name, obj.get_absolute_url()
        elif isinstance(obj, Book):
            hit.title, hit.url = obj.title, obj.get_absolute_url()
        else:
            hit.title = obj.title
        if content_type.dated:
            hit.date = obj.written
        return hit

    def describe_all(self, hits):
        """describe() each hit of a result page, loading their related rows in a few queries."""
        hits = list(hits)
        for content_type in CONTENT_TYPES:
            shown = {hit.obj.pk: hit.obj for hit in hits if hit.content_type is content_type}
            if content_type.is_page and shown:
                # Read into the hits' own pages: making twenty pages anew cost as much as reading them.
                meta = content_type.model._meta
                fields = [meta.get_field(name).attname for name in ("url_path", *content_type.shown_fields)]
                rows = content_type.model.objects.filter(pk__in=shown).values_list("pk", *fields)
                for pk, *values in rows:
                    for name, value in zip(fields, values, strict=True):
                        setattr(shown[pk], name, value)
        essay_bylines = bylines([hit.obj.pk for hit in hits if isinstance(hit.obj, EssayPage)])
        summaries = [hit.obj for hit in hits if isinstance(hit.obj, BookSummaryPage)]
        prefetch_related_objects(summaries, "summary_author", "book")
        return [self.describe(hit, essay_bylines) for hit in hits]

    def describe(self, hit, essay_bylines):
        """Fill the metadata, highlighted title and snippet of a hit that is about to be shown;
        `essay_bylines` holds the bylines of the essays among them (essays.models.bylines)."""
        obj = hit.obj
        if TYPES_BY_CODE[hit.content_type.code].is_page:
            hit.url = obj.url
        if isinstance(obj, EssayPage):
            hit.meta = {**essay_bylines[obj.pk], "date": obj.written}
            hit.lang = "" if obj.language == EssayPage.Language.FINNISH else obj.language
        elif isinstance(obj, BookSummaryPage):
            hit.meta = {
                "authors": [obj.summary_author.name] if obj.summary_author else [],
                "books": [obj.book.title],
                "date": obj.written,
            }
        elif isinstance(obj, ConceptPage):
            hit.meta = {"english_term": obj.english_term}
        elif isinstance(obj, Book):
            hit.meta = {"authors": obj.author_names(), "year": obj.year}
        elif isinstance(obj, Person):
            hit.meta = {"team": str(obj.team) if obj.team else ""}
        hit.title_html = highlight(hit.title, self.request.words, whole=True)
        hit.snippet = highlight(self._text(obj), self.request.words)
        # An essay found by its author's or book's name shows the match there.
        hit.byline = {
            key: [highlight(name, self.request.words, whole=True) for name in hit.meta[key]]
            for key in ("authors", "teams", "books")
            if key in hit.meta
        }
        return hit

    @functools.cached_property
    def spelling_suggestion(self):
        """The query with the words typed without the dots of ä and ö dotted as the index holds
        them (search.spelling), for a search that found little; "" otherwise."""
        if len(self.hits) >= FEW_RESULTS:
            return ""
        return suggestion(self.request.text, MAX_QUERY_WORDS)

    def suggestions(self):
        """Concept and book titles nearest to the query, for a search that found nothing."""
        titles = [concept.title for concept in self._live(ConceptPage).only("title")]
        titles += list(Book.objects.values_list("title", flat=True))
        lowered = {title.lower(): title for title in titles}
        text = " ".join(self.request.words).lower()
        close = difflib.get_close_matches(text, list(lowered), n=5, cutoff=0.5)
        for word in self.request.words:
            close += difflib.get_close_matches(word.lower(), list(lowered), n=3, cutoff=0.6)
            stem = word.lower()[:4]
            close += [title for title in lowered if len(stem) >= 3 and stem in title]
        # The query itself is no suggestion (it found nothing with the filters chosen).
        close = [title for title in close if title != text]
        return list(dict.fromkeys(lowered[title] for title in close))[:6]


class Results:
    """The hits of a search as a sequence: its length is the total count and a slice fetches only
    the hits it holds, so a Paginator over it reads one page."""

    def __init__(self, search):
        self.search = search

    def __len__(self):
        return sum(self.search.type_counts[code] for code in self.search.wanted_types)

    def count(self):
        return len(self)

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            return self.search.best(stop)[start:stop:step] if stop > start else []
        hits = self[index : index + 1]
        if not hits:
            raise IndexError(index)
        return hits[0]

    def __iter__(self):
        return iter(self[:])

    def __bool__(self):
        return len(self) > 0


def _tagged_with(names):
    """Essay taggings whose tag is one of the casefolded names, in any letter case.

    Compared in Python, as the concept counts (essays.facets) compare them: SQLite's lower()
    leaves Ä and Ö as they are.
    """
    tags = [pk for pk, name in Tag.objects.values_list("pk", "name") if name.casefold() in names]
    return EssayTag.objects.filter(tag__in=tags)


def names_query(title, query_word_forms):
    """Whether every word of the title is a word of the query and the other way round, each in
    any inflection: `query_word_forms` holds each query word's query_forms (base forms; compound
    parts do not count)."""
    title_words = WORD_RE.findall(title)
    if not title_words or not query_word_forms:
        return False
    title_forms = [set(query_forms(word)) for word in title_words]
    return all(any(forms & other for other in query_word_forms) for forms in title_forms) and all(
        any(forms & other for other in title_forms) for forms in query_word_forms
    )


def autocomplete(text, user, limit=8, backend=None):
    """Titles of concepts, books and essays and names of people that start like the text."""
    words = WORD_RE.findall(text or "")[:MAX_QUERY_WORDS]
    if not words:
        return []
    backend = backend or get_search_backend()
    cleaned = " ".join(words)
    hidden = hidden_paths(user)
    if user.is_authenticated:
        essays = without_hidden(EssayPage.objects.live(), hidden)
    else:
        essays = EssayPage.objects.readable_by_anyone(hidden)
    sources = [
        (TypeCode.CONCEPT, without_hidden(ConceptPage.objects.live(), hidden)),
        (TypeCode.BOOK, Book.objects.all()),
        (TypeCode.PERSON, Person.objects.all()),
        (TypeCode.ESSAY, essays),
    ]
    searches = [backend.autocomplete(cleaned, queryset, operator="and")[:limit] for _code, queryset in sources]
    # A search cluster answers the four at once; a database one at a time, as far as they are needed.
    found_all = backend.search_all(searches) if getattr(backend, "filters_in_cluster", False) else None
    suggestions = []
    for number, (code, _queryset) in enumerate(sources):
        if len(suggestions) >= limit:
            # The essays come last: a prefix of two letters matches thousands of their titles.
            break
        found = found_all[number]() if found_all is not None else list(searches[number])
        if code == TypeCode.ESSAY and found and user.is_authenticated:
            visible = set(
                EssayPage.objects.filter(pk__in=[e.pk for e in found])
                .visible_to(user, restrictions=False)
                .values_list("pk", flat=True)
            )
            found = [essay for essay in found if essay.pk in visible]
        for obj in found:
            title = obj.name if isinstance(obj, Person) else obj.title
            url = obj.get_absolute_url() if not TYPES_BY_CODE[code].is_page else obj.url
            suggestions.append({"type": code, "label": str(TYPES_BY_CODE[code].label), "title": title, "url": url})
    return suggestions[:limit]
