"""Take the dashboard screenshot in docs/: serve a store, open its USA–RUS page in headless Chromium, save a PNG.

    .venv/bin/python docs/screenshot.py out/demo.duckdb docs/dashboard-dyad.png

Needs Debian's chromium (/usr/bin/chromium); run 'python3 dev.py demo' first for out/demo.duckdb.
"""

import socket
import sys
import threading
import time

import uvicorn
from playwright.sync_api import sync_playwright

from barometer.settings import Settings
from barometer.web import create_app


def main(db: str, out: str, path: str = "/dyad/USA-RUS?by=month") -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(Settings(db=db)), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1200, "height": 1400})
        page.goto(f"http://127.0.0.1:{port}{path}")
        page.screenshot(path=out)
        browser.close()
    server.should_exit = True
    thread.join(timeout=10)


if __name__ == "__main__":
    main(*sys.argv[1:3])
