"""A corpus of comments written for these tests: real-looking ones, and spam as bots send it.

Each entry is (text, behaviour). Real comments come from people: they take their time, leave the
hidden field empty and answer the question (or their browser does the proof of work). Spam comes
from bots of four kinds, by how much of the form they understand.
"""

# Real-looking comments, in Finnish and English, some with a link, some short.
REAL = [
    "Tosi hyvä essee! Opin paljon siitä, miten pienet hetket ratkaisevat asiakaskokemuksen.",
    "Kiitos tästä. Meillä tiimissä mietitään juuri nyt samaa asiaa palvelupolun kanssa.",
    "Olisiko sinulla vinkkiä, mistä löytäisi lisää luettavaa huippu–loppu-säännöstä?",
    "Hyvä pointti luottamuksesta. Lencionin malli avautui minulle vasta tämän esseen myötä.",
    "Samaa mieltä, mutta mielestäni mittaaminen jäi vähän ohueksi. Miten te keräsitte palautteen?",
    "Ihana lukea, että kokeilitte asiaa oikeasti kahvilassa eikä vain teoriassa!",
    "Tämä kolahti. Tulostin esseen ja vein sen tiimipalaveriin keskusteltavaksi.",
    "Löysin aiheesta hyvän artikkelin: https://example.org/asiakaskokemus-artikkeli – sopii jatkoksi.",
    "Mahtava esimerkki segmentoinnista. Kesäkahvilan asiakasryhmät olivat tosi selkeät.",
    "Voisitko avata vielä, mitä tarkoitat kosketuspisteiden priorisoinnilla?",
    "Great essay, thanks! The part about the peak-end rule was especially clear.",
    "Valmentajana sanoisin, että tässä on hyvä rakenne. Lähdeviitteet voisi vielä yhtenäistää.",
    "Luin tämän kahdesti. Toisella kerralla huomasin, kuinka paljon omaa pohdintaa siinä on.",
    "Tiimiakatemialla teimme saman kokeilun syksyllä, ja tulokset olivat hyvin samanlaiset.",
    "Kirjan esimerkit ovat vähän vanhoja, mutta essee toi ne hienosti tähän päivään.",
    "Kiitos! 👍",
    "Mielenkiintoinen näkökulma. Olen kuitenkin eri mieltä siitä, että hinta ei ratkaisisi mitään.",
    "Tähän sopisi myös Kahnemanin ajatus kahdesta järjestelmästä. Oletko lukenut Ajattelu, nopeaa ja hidasta?",
    "Lähteet: https://example.org/palvelumuotoilu ja https://example.org/asiakaspolku – molemmat hyviä.",
    "Hauska, että otit mukaan oman salibandyseuran. Konkreettiset esimerkit tekevät tekstistä elävän.",
    "Olen alumni ja luen edelleen näitä esseitä mielelläni. Jatkakaa samaan malliin!",
    "Mitä tekisit toisin, jos aloittaisit projektin nyt alusta?",
    "Hyvä essee, mutta otsikko lupasi enemmän johtamisesta kuin teksti lopulta käsitteli.",
    "Tämä on juuri sitä, mitä opiskelijana tarvitsin ennen ensimmäistä asiakastapaamista.",
    "Yksi kysymys: miten tiimi päätti, kuka vastaa mistäkin kosketuspisteestä?",
    "Lainaan tätä omassa esseessäni, toivottavasti sopii. Viittaan tietysti oikein!",
    "Helppolukuinen ja selkeä. Kappalejako toimii hyvin.\n\nToivoisin silti lisää omaa pohdintaa lopussa.",
    "I read the Finnish version with a translator and still got the main points, kiitos!",
    "Olisi kiva kuulla, miten kokeilu jatkui keväällä.",
    "Tervetuloa kirjoittamaan lisää! Tämä oli ensimmäinen esseesi, ja se näkyy rohkeutena.",
]

# Spam texts: advertising, link farms, generic praise with a link, and copy-paste floods.
SPAM = [
    "Halvat pikavipit heti tilille! https://laina.example.invalid https://vippi.example.invalid https://raha.example.invalid",
    "BUY CHEAP FOLLOWERS NOW!!! http://followers.example.invalid http://likes.example.invalid http://fans.example.invalid",
    "Great post! Visit my site http://casino.example.invalid for free spins http://bonus.example.invalid http://win.example.invalid",
    "Nice article. http://a.example.invalid http://b.example.invalid http://c.example.invalid http://d.example.invalid",
    "Parhaat kasinobonukset täältä: www.kasino.example.invalid www.bonus.example.invalid www.spinit.example.invalid",
    "Replica watches cheap price http://watches.example.invalid",
    "Great blog! I bookmarked it. Check my page: https://seo.example.invalid",
    "Tienaa 5000 € viikossa kotoa käsin! Lue lisää: https://rikastu.example.invalid",
    "Hello admin, I can bring your site to Google top 1. Write to seo@example.invalid",
    "Amazing content, very informative, thank you for sharing this wonderful post with us.",
    "Osta halvalla laihdutustabletteja https://laihdu.example.invalid https://tabletti.example.invalid https://dieetti.example.invalid",
    "cheap essays written for you http://essaymill.example.invalid",
    "Hei! Tarjoamme esseiden kirjoituspalvelua edullisesti. Ota yhteyttä: https://esseepalvelu.example.invalid",
    "Crypto giveaway!!! Send 0.1 BTC and get 1 BTC back http://btc.example.invalid http://giveaway.example.invalid http://x.example.invalid",
    "Nice one.",
]

# How the bots behave: which checks they can pass.
#   naive:   fills every field it finds (the honeypot too) and posts at once
#   replay:  fetched the form once and posts many comments with the same token
#   patient: waits, leaves the honeypot empty, but runs no script and cannot answer the question
#   smart:   waits, leaves the honeypot empty and answers the question (a person paid to spam, or a
#            bot that reads Finnish); it posts every text from one address, the copy-paste flood twice
#   rotating: the smart one with a new address for every post
BOT_KINDS = ["naive", "replay", "patient", "smart", "rotating"]
