"""The running text citations are looked for in: what Django's strip_tags leaves of the stored HTML."""

import html

import pytest
from django.utils.html import strip_tags

from citations.extraction import BLOCK_END, INSERTED, plain_text

STORED = [
    "<p>Kortesuo &amp; Löytänä (2011, 11) sanovat &quot;näin&quot; ja &#x27;noin&#39;.</p>",
    "<h2>Otsikko</h2><ul><li>yksi</li><li><b>kaksi</b> <i>kolme</i></li></ul>",
    "<blockquote><p>Lainaus (Tuulaniemi 2011, 78–80).</p></blockquote>",
    '<p>Linkki <a href="https://example.org/?a=1&amp;b=2">sivulle</a> jää tekstiksi.</p>',
    "<p>AT&T ja R&amp;D &frac12; &not tunnetaan.</p>",
    "<p>a < b ja c > d</p>",
    "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
    "<p>rivi<br/>toinen</p>",
    "<P>Isot kirjaimet</P>",
    "<p><!-- kommentti -->teksti</p>",
    "pelkkää tekstiä & merkki",
    "<p></p>",
    '<p>Lähde <a linktype="citation" id="3" pages="5">(Virtanen 2019)</a> ja muuta.</p>',
]


@pytest.mark.parametrize("stored", STORED)
def test_plain_text_is_what_strip_tags_leaves_of_the_stored_html(stored):
    expected = html.unescape(strip_tags(BLOCK_END.sub("\n", INSERTED.sub(" ", stored))))
    assert plain_text(stored) == expected
