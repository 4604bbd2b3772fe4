from .books import Book, BookAuthor
from .essays import (
    BookSummaryIndexPage,
    BookSummaryPage,
    EssayAuthor,
    EssayBookSource,
    EssayIndexPage,
    EssayPage,
    ImportRecord,
)
from .facets import FacetsVersion
from .people import Person, Team
from .taxonomy import Category, EssayTag, EssayType

__all__ = [
    "Book",
    "BookAuthor",
    "BookSummaryIndexPage",
    "BookSummaryPage",
    "Category",
    "EssayAuthor",
    "EssayBookSource",
    "EssayIndexPage",
    "EssayPage",
    "EssayTag",
    "EssayType",
    "FacetsVersion",
    "ImportRecord",
    "Person",
    "Team",
]
