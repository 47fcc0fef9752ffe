from barometer.models import Source
from barometer.reading import clean_text, extract_article, is_clutter, normalise_date, read_source

SCRAPE = """World | Politics | Business | Opinion
Oslo and Helsinki agree to share Arctic weather data
By Liv Aasen and Mikko Laine | April 9, 2025
Follow us on Instagram
Norway and Finland signed an agreement on Wednesday to pool their Arctic weather
stations, officials in both capitals said.
Advertisement
The deal, the first of its kind between the two neighbours, covers forty stations north of the Arctic Circle.
Share this article
Watch: How ice cores are drilled
Read next: Sweden opens northern rail link
Sign up for our morning briefing
Comments (4)
Great news for the north!
Leave a reply
"""


def test_reading_clean_text_keeps_body_and_lists_clutter():
    cleaned = clean_text(SCRAPE)
    assert cleaned.title == "Oslo and Helsinki agree to share Arctic weather data"
    assert cleaned.authors == ("Liv Aasen", "Mikko Laine")
    assert cleaned.date == "2025-04-09"
    paragraphs = cleaned.text.split("\n\n")
    assert paragraphs[0].startswith("Norway and Finland signed an agreement") and paragraphs[0].endswith("said.")
    assert len(paragraphs) == 2
    for clutter in ("Follow us on Instagram", "Advertisement", "Share this article", "Watch: How ice cores are drilled",
                    "Sign up for our morning briefing", "Great news for the north!", "Leave a reply"):
        assert clutter in cleaned.removed
        assert clutter not in cleaned.text
    assert not cleaned.truncated


def test_reading_teaser_is_marked_truncated():
    teaser = ("Talks resume in Vienna\n\nDiplomats from both sides met again on Monday after a pause of two months, "
              "according to people familiar with the schedule.\n\nContinue reading the full story at our partner site")
    cleaned = clean_text(teaser)
    assert cleaned.truncated
    assert "Continue reading" not in cleaned.text


def test_reading_is_clutter_spares_body_sentences():
    assert not is_clutter("The ministry said the newsletter was never sent to the embassy.")
    assert not is_clutter("Sanctions were lifted.")
    assert is_clutter("Share on Facebook")
    assert is_clutter("Home")
    assert is_clutter("© 2025 Northwire Media. All rights reserved.")


def test_reading_extract_article_from_html():
    html = """<html><head><title>Lisbon hosts water talks | Tagus Times</title>
    <meta property="og:title" content="Lisbon hosts water talks">
    <meta name="author" content="Ana Duarte">
    <meta property="article:published_time" content="2025-06-02T08:00:00Z">
    <link rel="canonical" href="https://tagus-times.example/lisbon-water-talks"></head>
    <body><nav><a href="/">Home</a><a href="/world">World</a></nav>
    <div class="cookie">We use cookies to improve your experience. Accept all</div>
    <article><h1>Lisbon hosts water talks</h1>
    <p>Portugal and Spain opened talks in Lisbon on Monday about sharing the water of the rivers that cross
    their border, the two governments said in a joint statement after the first session.</p>
    <p>The Spanish delegation proposed a new monitoring body, and Portuguese officials welcomed the idea,
    saying it could settle a dispute that has lasted for a decade and strained relations between farmers.</p>
    <p>"We came to listen and we will come back with answers," the head of the Portuguese delegation said.</p>
    </article><div class="share">Share on Facebook Share on X</div>
    <footer>© 2025 Tagus Times</footer></body></html>"""
    article = extract_article(html)
    assert article.title == "Lisbon hosts water talks"
    assert article.date == "2025-06-02"
    assert article.authors == ("Ana Duarte",)
    assert article.url == "https://tagus-times.example/lisbon-water-talks"
    assert article.text.startswith("Portugal and Spain opened talks in Lisbon")
    assert article.text.count("\n\n") == 2
    assert "cookies" not in article.text and "Share on Facebook" not in article.text
    assert any("cookies" in block for block in article.removed)


def test_reading_story_date_prefers_the_document_then_the_default():
    dated = Source(origin="a.txt", content="A title here\n\nBy Jo Bloggs | 3 May 2025\n\nThe two ministers met on Friday in a "
                   "long session that ended late.", kind="text")
    assert read_source(dated, default_date="2020-01-01").date == "2025-05-03"
    undated = Source(origin="b.txt", content="The two ministers met on Friday in a long session that ended late.", kind="text")
    assert read_source(undated, default_date="2020-01-01").date == "2020-01-01"
    record = Source(origin="c.jsonl:1", content="The ministers met again.", kind="text", date="2024-12-31")
    assert read_source(record, default_date="2020-01-01").date == "2024-12-31"


def test_reading_same_text_gets_same_id_whatever_the_spacing():
    one = read_source(Source(origin="a", content="Ministers met  in Rome.\n", kind="text"))
    two = read_source(Source(origin="b", content="ministers met in rome.", kind="text"))
    assert one.id == two.id


def test_reading_normalise_date_formats():
    assert normalise_date("2025-03-04T09:30:00Z") == "2025-03-04"
    assert normalise_date("March 4, 2025") == "2025-03-04"
    assert normalise_date("not a date at all") is None
    assert normalise_date(None) is None


def test_reading_numbers_count_in_identity_and_partial_dates_are_no_dates():
    three = read_source(Source(origin="a", content="Russia expelled 3 diplomats.", kind="text"))
    thirty = read_source(Source(origin="b", content="Russia expelled 30 diplomats.", kind="text"))
    assert three.id != thirty.id
    assert normalise_date("5 min read") is None
    assert normalise_date("Updated Monday") is None
    assert normalise_date("3 May") is None
    assert normalise_date("3 May 2025") == "2025-05-03"


PAGE = """<!doctype html><html lang="en"><head><title>Ministers sign river treaty | The Valley Courier</title>
<meta property="og:title" content="Ministers sign river treaty - The Valley Courier">
<meta property="og:site_name" content="The Valley Courier">
<link rel="canonical" href="https://courier.example/2025/03/river-treaty">
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
 {"@type": "WebPage", "name": "River treaty", "publisher": {"name": "Valley Media"}},
 {"@type": "NewsArticle", "headline": "Ministers sign river treaty", "datePublished": "2025-03-04T09:00:00Z",
  "author": [{"@type": "Person", "name": "Ana Ruiz"}, {"@type": "Person", "name": "Lee Park"}]}]}</script>
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Ministers sign river treaty</h1>
<p>The foreign ministers of Austria and Hungary signed a treaty on the shared river in Vienna on Tuesday, ending
three years of talks over water levels and shipping rights.</p>
<p>Both governments said the treaty would be sent to their parliaments before the summer.</p>
<p>Read more: Dams on the upper river</p>
<table><tr><td>Signed</td><td>4 March 2025</td></tr></table>
</article><footer>Subscribe to our morning briefing</footer></body></html>"""


def test_reading_page_metadata_comes_from_the_page_itself():
    from barometer.reading import page_metadata

    import trafilatura

    meta = page_metadata(trafilatura.load_html(PAGE))
    assert meta.title == "Ministers sign river treaty"              # the h1, which the metadata confirms
    assert meta.authors == ("Ana Ruiz", "Lee Park") and meta.date == "2025-03-04"
    assert (meta.site, meta.url) == ("The Valley Courier", "https://courier.example/2025/03/river-treaty")
    bare = page_metadata(trafilatura.load_html("<html><head><title>Ministers end their talks on the river | Daily Example</title></head>"
                                               "<body><p>x</p></body></html>"))
    assert bare.title == "Ministers end their talks on the river" and bare.authors == () and bare.date is None


def test_reading_extract_article_keeps_the_body_and_lists_what_it_dropped():
    article = extract_article(PAGE, url="https://courier.example/?utm=feed")
    assert article.text.startswith("The foreign ministers of Austria and Hungary signed a treaty")
    assert "sent to their parliaments" in article.text and "4 March 2025" in article.text   # tables are kept
    assert "Ministers sign river treaty" not in article.text     # the headline is the title, not body
    assert "Read more: Dams on the upper river" in article.removed and "Read more" not in article.text
    assert "Subscribe to our morning briefing" in article.removed and "Home" in article.removed
    assert (article.title, article.date, article.authors) == ("Ministers sign river treaty", "2025-03-04",
                                                              ("Ana Ruiz", "Lee Park"))
    assert article.url == "https://courier.example/2025/03/river-treaty" and article.source == "The Valley Courier"
