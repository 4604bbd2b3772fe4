from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from finnish.collation import sort_key

from .models import Book, BookSummaryPage, EssayPage, Person, Team
from .privacy import hidden_paths, without_hidden


def _essays_for(request, **filters):
    return (
        EssayPage.objects.live()
        .visible_to(request.user)
        .filter(**filters)
        .distinct()
        .order_by("-written", "-pk")
        .for_listing()
    )


def book_list(request):
    books = sorted(Book.objects.prefetch_related("authors"), key=lambda book: sort_key(book.title))
    return render(request, "essays/book_list.html", {"books": books})


def book_detail(request, slug):
    book = get_object_or_404(Book.objects.prefetch_related("authors"), slug=slug)
    hidden = hidden_paths(request.user)
    summaries = BookSummaryPage.objects.live().filter(book=book).select_related("summary_author")
    context = {
        "book": book,
        "essays": _essays_for(request, book_sources__book=book),
        "summaries": without_hidden(summaries, hidden),
        "concepts": without_hidden(book.defined_concepts.live(), hidden),
    }
    return render(request, "essays/book.html", context)


def person_detail(request, slug):
    person = get_object_or_404(Person.objects.select_related("team"), slug=slug)
    context = {
        "person": person,
        "essays": _essays_for(request, essay_authors__person=person),
        "summaries": without_hidden(
            BookSummaryPage.objects.live().filter(summary_author=person).select_related("book"),
            hidden_paths(request.user),
        ),
        "coached_teams": person.coached_teams.all(),
    }
    return render(request, "essays/person.html", context)


def team_list(request):
    teams = Team.objects.select_related("coach").prefetch_related("members")
    return render(request, "essays/team_list.html", {"teams": Team.in_finnish_order(teams)})


def team_detail(request, slug):
    team = get_object_or_404(
        Team.objects.select_related("coach").prefetch_related(
            Prefetch("members", queryset=Person.objects.order_by("name"))
        ),
        slug=slug,
    )
    members = sorted(team.members.all(), key=lambda person: sort_key(person.name))
    context = {"team": team, "members": members, "essays": _essays_for(request, essay_authors__team=team)}
    return render(request, "essays/team.html", context)
