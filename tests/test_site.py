"""The report site in a real browser: every page loads with no console error and every image
decodes. Needs Debian's chromium (installed by .ci/run) and the playwright package (test
extra); skips with the reason where either is missing."""

from __future__ import annotations

import shutil

import pytest

from apresearch import batch

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    jobs = [batch._job("02-alliances", {}), batch._job("08-dyad", {})]
    results, _ = batch.render_batch(jobs, out, workers=1, progress=False)
    assert all(r.status == "ok" for r in results), [r.error for r in results]
    return out


def test_pages_load_offline_without_errors(site):
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); "
                    ".ci/run installs it")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright is not installed (test extra)")
    pages = sorted(site.glob("*.html"))
    assert {p.name for p in pages} >= {"index.html", "02-alliances.html", "08-dyad.html"}
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(offline=True)  # nothing may come from the network
        for page_file in pages:
            page = context.new_page()
            errors = []
            page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error"
                    else None)
            page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
            page.goto(page_file.as_uri(), wait_until="load")
            images = page.evaluate(
                "Array.from(document.images).map(i => [i.complete, i.naturalWidth])")
            assert errors == [], f"{page_file.name}: {errors}"
            assert all(done and width > 0 for done, width in images), page_file.name
            if page_file.name != "index.html":
                assert len(images) >= 1, f"{page_file.name} shows no figure"
            page.close()
        links = context.new_page()
        links.goto((site / "index.html").as_uri())
        hrefs = links.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")
        assert {"02-alliances.html", "08-dyad.html"} <= set(hrefs)
        browser.close()
