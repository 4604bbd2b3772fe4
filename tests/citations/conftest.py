import pytest

from tests.factories import BookFactory


@pytest.fixture
def books(db):
    """The catalogue books the citation tests cite, each with its source."""
    return {
        "kortesuo": BookFactory(
            title="Asiakaskokemus: palvelubisneksestä kokemusbisnekseen",
            year=2011,
            publisher="Talentum",
            author_names=["Katleena Kortesuo", "Janne Löytänä"],
        ),
        "arantola": BookFactory(
            title="Palvelemisesta palveluliiketoimintaan",
            year=2009,
            publisher="Tekes",
            author_names=["Heli Arantola", "Kaisa Simonen"],
        ),
        "saarijarvi": BookFactory(
            title="Strategiana asiakaskokemus – Miksi, mitä, miten?",
            year=2020,
            publisher="Docendo",
            author_names=["Hannu Saarijärvi", "Pekka Puustinen"],
        ),
        "tuulaniemi": BookFactory(
            title="Palvelumuotoilu", year=2011, publisher="Talentum", author_names=["Juha Tuulaniemi"]
        ),
        "kahneman": BookFactory(
            title="Thinking, Fast and Slow", year=2011, publisher="Farrar", author_names=["Daniel Kahneman"]
        ),
        "nonaka": BookFactory(
            title="The Knowledge-Creating Company",
            year=1995,
            publisher="Oxford University Press",
            author_names=["Ikujiro Nonaka", "Hirotaka Takeuchi"],
        ),
        "osterwalder": BookFactory(
            title="Business Model Generation",
            year=2010,
            publisher="Wiley",
            author_names=["Alexander Osterwalder", "Yves Pigneur"],
        ),
        "senge": BookFactory(
            title="The Fifth Discipline", year=1990, publisher="Doubleday", author_names=["Peter Senge"]
        ),
    }
