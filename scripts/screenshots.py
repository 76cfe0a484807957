"""Screenshots of the report site's main pages, for review: ``index.html`` and each
notebook's default report (``NN-topic.html``), as full-page PNGs in ``reports/_screenshots/``
(``make screenshots``; render the site first with ``make report``).

Usage: ``python scripts/screenshots.py [SITE] [-o FOLDER] [--all]``; ``--all`` takes every
report page, the parameterised ones too. Needs Debian's chromium (``/usr/bin/chromium``) and
the ``playwright`` package (test extra). Pages are opened from disk; any request that would
leave the machine is blocked (the site is meant to work offline).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


def is_local(url: str) -> bool:
    """Whether a request stays on this machine (a file, inline data, or localhost)."""
    parts = urlsplit(url)
    if parts.scheme in ("file", "data", "blob", "about"):
        return True
    return parts.hostname in ("localhost", "127.0.0.1", "::1")


def main_pages(site: Path, every: bool = False) -> list[Path]:
    """The index, then each notebook's default report (or every report page), in order."""
    pages = [site / "index.html"] if (site / "index.html").is_file() else []
    reports = sorted(site.glob("[0-9][0-9]-*.html"))
    return pages + [p for p in reports if every or "__" not in p.stem]


def screenshots(site: str | Path, out: str | Path | None = None, *, every: bool = False,
                width: int = 1280, chromium: str = CHROMIUM) -> list[Path]:
    """Write a full-page PNG of each main page of ``site`` into ``out`` (default
    ``site/_screenshots``); returns the files written."""
    from playwright.sync_api import sync_playwright

    site = Path(site)
    out = Path(out) if out is not None else site / "_screenshots"
    pages = main_pages(site, every)
    if not pages:
        raise FileNotFoundError(f"no report pages in {site}; render them first (make report)")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=FLAGS)
        try:
            context = browser.new_context(viewport={"width": width, "height": 900})
            context.route("**/*", lambda route: route.continue_() if is_local(route.request.url)
                          else route.abort())
            for page_file in pages:
                page = context.new_page()
                page.goto(page_file.as_uri(), wait_until="load")
                page.wait_for_timeout(300)  # interactive figures draw after load
                path = out / f"{page_file.stem}.png"
                page.screenshot(path=str(path), full_page=True)
                written.append(path)
                page.close()
        finally:
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", default=str(REPO / "reports"),
                        help="the rendered site (default: reports/)")
    parser.add_argument("-o", "--output", default=None,
                        help="folder for the PNGs (default: SITE/_screenshots)")
    parser.add_argument("--all", action="store_true", dest="every",
                        help="every report page, not only each notebook's default")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).is_file():
        print(f"error: {CHROMIUM} not found (apt-get install chromium)", file=sys.stderr)
        return 1
    try:
        written = screenshots(args.site, args.output, every=args.every)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
