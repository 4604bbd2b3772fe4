from tests.factories import *

def test_probe(site_tree, client):
    team = TeamFactory(name="Pinkut")
    p = PersonFactory(name="Aino Aaltonen", team=team)
    b = BookFactory(title="Asiakaskokemus", author_names=["Janne Löytänä", "Katleena Kortesuo"])
    c = CategoryFactory(number="2.2", name="Tiimityön taidot")
    e = EssayPageFactory(title="Testi", authors=[p], books=[b], tags=["asiakaskokemus"], categories=[c])
    r = client.get(e.url)
    print(r.status_code, e.url)
    print(r.content.decode())
    r = client.get("/haku/?q=Testi")
    print(r.status_code, r.content.decode()[-1500:])
