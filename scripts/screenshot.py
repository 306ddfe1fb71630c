"""Screenshots of a report or page, section by section, with Debian's Chromium (no download).

    .venv/bin/python scripts/screenshot.py innsatstrapp-demo/rapport/report.html OUT_DIR

Writes OUT_DIR/page.png (the whole page) and one PNG per <h2> section, to look at.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main(source: str, out: str) -> None:
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    url = source if "://" in source else Path(source).resolve().as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(out_dir / "page.png"), full_page=True)
        for i, h2 in enumerate(page.locator("h2").all()):
            box = h2.bounding_box()
            if box:
                page.screenshot(path=str(out_dir / f"section-{i + 1:02d}.png"),
                                clip={"x": 0, "y": box["y"] - 10, "width": 1280, "height": 1100},
                                full_page=True)
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:3])
