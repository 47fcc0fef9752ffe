"""The dashboard in a real headless browser: Debian's Chromium driven by Playwright, over the example corpus."""

import socket
import threading
import time
from pathlib import Path

import pytest

from barometer.settings import Settings
from barometer.web import create_app

pytestmark = pytest.mark.model          # the example corpus is ingested with the English pipeline

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]   # no calls home: this machine has no network


@pytest.fixture(scope="module")
def base_url(corpus_db):
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(Settings(db=str(corpus_db))), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the dashboard did not start within 20 s"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def page():
    if not CHROMIUM.exists():
        pytest.skip(f"no browser at {CHROMIUM}: install Debian's chromium package (.ci/run does) for this test")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser.new_page(viewport={"width": 1200, "height": 900})
        browser.close()


def test_browser_dyad_page_shows_chart_and_events_and_links_to_a_document(page, base_url):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{base_url}/dyad/USA-RUS?by=month")

    chart = page.locator("svg#chart")
    assert chart.is_visible()
    assert chart.bounding_box()["width"] > 600
    assert page.locator("svg#chart circle.point").count() == 8          # eight months with USA–RUS events
    assert page.locator("svg#chart line.turn").count() >= 1
    rows = page.locator("#event-table tbody tr")
    assert rows.count() >= 20 and rows.first.is_visible()

    sentence = rows.first.locator("td.sentence").inner_text()
    rows.first.locator("a.doc").click()
    page.wait_for_url("**/document/**")
    assert page.locator("h1").inner_text().strip()
    target = page.url.rsplit("#", 1)[1]                                  # event-N: the marker in the text
    marker = page.locator(f"#{target}")
    assert marker.is_visible() and marker.evaluate("e => e.matches(':target')")
    assert sentence.strip("“”").split("…")[0][:40] in page.locator("#text").inner_text()
    assert all(url.startswith(base_url) for url in requested), "the pages loaded something from elsewhere"


def test_browser_period_click_lists_that_months_events(page, base_url):
    page.goto(f"{base_url}/dyad/USA-RUS?by=month")
    page.locator("svg#chart a").nth(4).click()                          # the fifth month's slot in the chart
    page.wait_for_url("**period=**")
    heading = page.locator("h2#events").inner_text()
    month = page.url.split("period=")[1][:7]
    assert month in heading
    dates = page.locator("#event-table tbody td:first-child").all_inner_texts()
    assert dates and all(d.startswith(month) for d in dates)
