"""Texts written for the search tests and the quality set: queries in inflected forms that do not
occur literally in the text they should find."""

ESSAYS = {
    "Asiakaskokemus kahvilan arjessa": (
        "Asiakaskokemus syntyy jokaisessa kohtaamisessa. Kahvilan asiakkaat muistavat palvelun lämmön ja "
        "odotusajan. Kortesuon ja Löytänän kirja muistuttaa, että tunne ratkaisee."
    ),
    "Palvelumuotoilu tapahtumatuotannossa": (
        "Palvelumuotoilun työkaluilla kartoitimme kosketuspisteet ennen festivaalia. Asiakaspolku piirrettiin "
        "seinälle ja tiimi testasi prototyyppejä."
    ),
    "Tietosuoja tiimiyrityksessä": (
        "Tietosuoja-asetuskin koskee pientä tiimiyritystä. Keräsimme asiakasrekisterin ja laadimme "
        "rekisteriselosteen. Henkilötietojen käsittely vaatii huolellisuutta."
    ),
    "Ajattelu nopeasti ja hitaasti": (
        "Kahnemanin kirja esittelee kaksi ajattelun järjestelmää. Huippu–loppu-sääntö selittää, miksi "
        "muistamme kokemuksen lopun. Päätöksenteko vääristyy kiireessä."
    ),
    "Myynnin johtaminen": (
        "Myyntitiimin johtamisessa tavoitteet ja mittarit on sovittava yhdessä. Myyntipuhelut harjoiteltiin "
        "parin kanssa. Asiakkuudenhallinta helpottui uudella järjestelmällä."
    ),
    "Ulkotapahtuman riskit": (
        "Ulkotapahtuman onnistuminen riippuu säästä. Varasuunnitelma teltoille laadittiin sateen varalle."
    ),
    "Valmentajan rooli": "Jokainen tiimiläinen saa kysyä neuvoa valmentajalta. Kysyminen on oppimista.",
    "Customer experience in a student company": (
        "We mapped customer journeys and interviewed customers about their experiences."
    ),
    "Oppiminen tiimissä": (
        "Tiimioppiminen perustuu dialogiin. Nonakan tiedonluomisen malli auttaa hiljaisen tiedon jakamisessa. "
        "Reflektointi syventää oppimista."
    ),
    "Segmentointi markkinoinnissa": (
        "Segmentoinnin avulla kohdensimme markkinointiviestit opiskelijoille ja yrityksille. Kohderyhmät "
        "määriteltiin ostokäyttäytymisen mukaan."
    ),
    "Brändin rakentaminen": (
        "Brändilupaus kirjoitettiin yhdessä. Yrityskuva syntyy teoista, ei mainoslauseista. Arantolan ja "
        "Simosen ajatukset asiakasymmärryksestä auttoivat."
    ),
    "Neuvottelutaidot": (
        "Neuvotteluissa kuunteleminen on tärkeämpää kuin puhuminen. Harvardin menetelmä erottaa ihmiset ongelmasta."
    ),
}

CONCEPTS = {
    "kosketuspiste": "Kohta, jossa asiakas kohtaa yrityksen palvelun.",
    "asiakasymmärrys": "Yrityksen tieto asiakkaiden arvoista, tarpeista ja toiminnasta.",
}

BOOKS = {
    "Asiakaskokemus": ["Janne Löytänä", "Katleena Kortesuo"],
    "Ajattelu, nopeasti ja hitaasti": ["Daniel Kahneman"],
}

PEOPLE = ["Emilia Virtanen"]

# (query, title it must find)
QUALITY_SET = [
    ("asiakaskokemukseen", "Asiakaskokemus kahvilan arjessa"),
    ("asiakaskokemuksesta", "Asiakaskokemus kahvilan arjessa"),
    ("kokemuksia", "Ajattelu nopeasti ja hitaasti"),
    ("kahvilassa", "Asiakaskokemus kahvilan arjessa"),
    ("asiakkaiden", "Asiakaskokemus kahvilan arjessa"),
    ("palvelumuotoilusta", "Palvelumuotoilu tapahtumatuotannossa"),
    ("kosketuspisteitä", "Palvelumuotoilu tapahtumatuotannossa"),
    ("asiakaspolun", "Palvelumuotoilu tapahtumatuotannossa"),
    ("prototyyppi", "Palvelumuotoilu tapahtumatuotannossa"),
    ("festivaaleilla", "Palvelumuotoilu tapahtumatuotannossa"),
    ("tietosuoja-asetus", "Tietosuoja tiimiyrityksessä"),
    ("tietosuojaa", "Tietosuoja tiimiyrityksessä"),
    ("rekisteriseloste", "Tietosuoja tiimiyrityksessä"),
    ("henkilötiedot", "Tietosuoja tiimiyrityksessä"),
    ("asetus", "Tietosuoja tiimiyrityksessä"),
    ("Kahneman", "Ajattelu nopeasti ja hitaasti"),
    ("järjestelmät", "Ajattelu nopeasti ja hitaasti"),
    ("päätöksentekoon", "Ajattelu nopeasti ja hitaasti"),
    ("sääntöä", "Ajattelu nopeasti ja hitaasti"),
    ("myyntitiimi", "Myynnin johtaminen"),
    ("mittareita", "Myynnin johtaminen"),
    ("johtamista", "Myynnin johtaminen"),
    ("asiakkuudenhallinnan", "Myynnin johtaminen"),
    ("tiimi", "Myynnin johtaminen"),
    ("sää", "Ulkotapahtuman riskit"),
    ("teltta", "Ulkotapahtuman riskit"),
    ("sateella", "Ulkotapahtuman riskit"),
    ("kysymään", "Valmentajan rooli"),
    ("valmentajille", "Valmentajan rooli"),
    ("customer", "Customer experience in a student company"),
    ("tiimioppimisesta", "Oppiminen tiimissä"),
    ("dialogissa", "Oppiminen tiimissä"),
    ("Nonaka", "Oppiminen tiimissä"),
    ("tietoa", "Oppiminen tiimissä"),
    ("reflektoinnin", "Oppiminen tiimissä"),
    ("segmentointia", "Segmentointi markkinoinnissa"),
    ("markkinointiviestejä", "Segmentointi markkinoinnissa"),
    ("kohderyhmille", "Segmentointi markkinoinnissa"),
    ("brändilupauksen", "Brändin rakentaminen"),
    ("yrityskuvaa", "Brändin rakentaminen"),
    ("Arantola", "Brändin rakentaminen"),
    ("Simonen", "Brändin rakentaminen"),
    ("neuvotteluun", "Neuvottelutaidot"),
    ("kuuntelemista", "Neuvottelutaidot"),
    ("kosketuspisteen", "kosketuspiste"),
    ("asiakasymmärryksen", "asiakasymmärrys"),
    ("Kortesuolta", "Asiakaskokemus"),
    ("Löytänän", "Asiakaskokemus"),
    ("Kahnemanilta", "Ajattelu, nopeasti ja hitaasti"),
    ("Virtasen", "Emilia Virtanen"),
    ("asiakaskokemuksen tunne", "Asiakaskokemus kahvilan arjessa"),
]
