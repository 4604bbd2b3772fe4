import pytest

from concepts.models import ConceptRelation
from tests.factories import ConceptPageFactory

CONCEPTS = [
    ("asiakaskokemus", "customer experience", ["asiakkaan kokemus", "CX"]),
    ("asiakaskokemuksen johtaminen", "customer experience management", ["CXM"]),
    ("palvelumuotoilu", "service design", ["palveluiden muotoilu"]),
    ("asiakasymmärrys", "customer insight", ["asiakastuntemus"]),
    ("kosketuspiste", "touchpoint", ["kontaktipiste"]),
    ("asiakaspolku", "customer journey", ["palvelupolku"]),
    ("segmentointi", "segmentation", ["markkinoiden segmentointi"]),
    ("huippu–loppu-sääntö", "peak-end rule", ["huippu-loppu-sääntö"]),
    ("liiketoimintamalli", "business model", ["ansaintamalli"]),
    ("arvolupaus", "value proposition", ["arvonlupaus"]),
    ("tiimioppiminen", "team learning", ["ryhmäoppiminen"]),
    ("dialogi", "dialogue", ["dialoginen keskustelu"]),
]


@pytest.fixture
def concepts(site_tree):
    """The knowledge base's concepts, by term, published before any essay."""
    made = {
        term: ConceptPageFactory(title=term, english_term=english, synonyms="\n".join(synonyms))
        for term, english, synonyms in CONCEPTS
    }
    links = [
        ("asiakaspolku", ConceptRelation.Kind.BROADER, "palvelumuotoilu"),
        ("kosketuspiste", ConceptRelation.Kind.BROADER, "asiakaspolku"),
        ("asiakaskokemus", ConceptRelation.Kind.RELATED, "kosketuspiste"),
        ("arvolupaus", ConceptRelation.Kind.BROADER, "liiketoimintamalli"),
        ("tiimioppiminen", ConceptRelation.Kind.RELATED, "dialogi"),
    ]
    for term, kind, target in links:
        concept = made[term]
        concept.relations.add(ConceptRelation(kind=kind, target=made[target]))
        concept.save_revision().publish()
    return made
