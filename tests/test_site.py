"""The report site: one record per report, and the index rebuilt from the records on disk
(search box, sortable columns, links between a country's profile and its dyads); then the
rendered site in a real browser (marked ``slow``): every page loads offline with no console
error, the network map's tooltips name the agreements, the index filters as one types.

The browser test needs Debian's chromium (/usr/bin/chromium) and the playwright package (test
extra) and skips with the reason where either is missing."""

from __future__ import annotations

import importlib.util
import json
import multiprocessing
import re
import stat
import subprocess
import sys
from dataclasses import asdict
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import REPO, make_notebook

from apresearch.reports import engine, site
from apresearch.reports.manifest import make_job
from apresearch.reports.site import ReportResult, read_records, write_index, write_record


def record(out: Path, stem: str, notebook: str, params: dict | None = None, *,
           page: bool = True, **kw) -> ReportResult:
    """A record written as a finished report writes it (and its page, unless page=False)."""
    r = ReportResult(notebook=notebook, parameters=params or {}, status=kw.pop("status", "ok"),
                     stem=stem, html=f"{stem}.html", ipynb=f"{stem}.ipynb", **kw)
    if page:
        (out / r.html).write_text("<html></html>")
    write_record(out, r)
    return r


class Tags(HTMLParser):
    """The page's tags with their attributes (script bodies are text, not tags)."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def rows(page: str) -> list[str]:
    return re.findall(r'<tr class="(?:ok|failed)".*?</tr>', page, flags=re.S)


# --------------------------------------------------------------------------- records
def test_where_names_the_failing_cell():
    assert ReportResult("a", {}, "ok").where == ""
    assert ReportResult("a", {}, "failed", cell=3, cell_source="raise X").where == (
        "code cell 3 (raise X)")
    assert ReportResult("a", {}, "failed", cell=2).where == "code cell 2"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", ReportResult("a", {}, "ok")
                        .rendered_at)


def test_records_on_disk_make_the_index(tmp_path):
    out = tmp_path
    a = record(out, "10-a", "10-a", title="First", seconds=1.5, hash="h1")
    record(out, "11-b__x-2", "11-b", {"x": 2}, status="failed", cell=3,
           cell_source="raise ValueError('no')", error="ValueError: no")
    record(out, "12-gone", "12-gone", page=False)  # its page was deleted: left out
    crash = ReportResult("13-crash", {}, "failed", stem="13-crash", error="BrokenProcessPool: x")
    write_record(out, crash)  # a report with no page at all (a crashed worker): kept
    (out / site.RECORDS / "broken.json").write_text("{not json")
    assert json.loads((out / site.RECORDS / "10-a.json").read_text()) == asdict(a)
    found = read_records(out)
    assert sorted(found) == ["10-a", "11-b__x-2", "13-crash"]
    assert found["10-a"] == asdict(a)
    index = write_index(out)
    assert index == out / "index.html"
    assert json.loads((out / site.SUMMARY).read_text()) == found
    page = index.read_text()
    assert "(3 reports: 1 ok, 2 failed)" in page
    body = rows(page)
    assert [re.search(r"<td>(.*?)</td>", r).group(1) for r in body] == [
        '<a href="10-a.html">10-a</a>', '<a href="11-b__x-2.html">11-b</a>', "13-crash"]
    assert ("<td>failed at code cell 3 (raise ValueError(&#x27;no&#x27;)): ValueError: no"
            "</td>") in body[1]
    assert "<td>failed: BrokenProcessPool: x</td>" in body[2]
    assert '<tr class="failed"' in body[1] and body[0].startswith('<tr class="ok"')
    assert "<td>x = 2</td>" in body[1] and "<td>defaults</td>" in body[0]
    assert '<td data-sort="1.5">1.5</td>' in body[0]
    assert "12-gone" not in page
    # a record written by another process is in the next index
    record(out, "14-later", "14-later")
    assert "14-later.html" in write_index(out).read_text()


def test_read_records_of_an_empty_folder(tmp_path):
    assert read_records(tmp_path) == {}
    write_index(tmp_path)
    assert "(0 reports: 0 ok, 0 failed)" in (tmp_path / "index.html").read_text()
    assert json.loads((tmp_path / site.SUMMARY).read_text()) == {}


def test_index_rows_sorted_by_notebook_then_stem(tmp_path):
    for stem, nb in [("20-z", "20-z"), ("10-a__y-2", "10-a"), ("10-a__y-10", "10-a"),
                     ("10-a", "10-a"), ("10-a-variant", "10-a-variant")]:
        record(tmp_path, stem, nb)
    page = write_index(tmp_path).read_text()
    # by notebook first: "10-a-variant" sorts before "10-a__y-10" as a name, not as a notebook
    assert re.findall(r'<a href="([^"]+)\.html">', page) == [
        "10-a", "10-a__y-10", "10-a__y-2", "10-a-variant", "20-z"]


def test_index_search_box_sorting_and_escaping(tmp_path):
    record(tmp_path, "07-p__country-JPN", "07-p", {"country": "JPN", "year": 2024},
           title="Japan <profile> & more")
    record(tmp_path, "06-c", "06-c", {"countries": ["USA", "CHN", 3], "start": 1990},
           title="Capabilities")
    record(tmp_path, "10-pres", "10-pres", {"user": "USA"})
    record(tmp_path, "09-s", "09-s", {"remove_actors": ["AUS"], "country": 5})
    page = (write_index(tmp_path)).read_text()
    tags = Tags(page).tags
    assert ("input", {"id": "filter", "type": "search",
                      "placeholder": "notebook, country (JPN), parameter, title",
                      "autocomplete": "off"}) in tags
    assert [a.get("id") for t, a in tags if t == "table"] == ["reports"]
    assert page.count("<th>") == 8
    assert re.search(r"<thead><tr><th>report</th><th>title</th><th>parameters</th>\s*"
                     r"<th>countries</th><th>status</th><th>related</th><th>seconds</th>"
                     r"<th>rendered</th></tr>", page)
    assert not [a for t, a in tags if t in ("script", "link", "img") and
                re.match(r"(https?:)?//", a.get("src", a.get("href", "")))]
    assert 'input.addEventListener("input", apply)' in page  # filters as one types
    assert 'th.addEventListener("click"' in page and "localeCompare" in page  # sorts
    assert 'getAttribute("data-sort")' in page and "parseFloat" in page  # numbers as numbers
    body = {re.search(r'href="([^"]+)\.html"', r).group(1): r for r in rows(page)}
    prof = body["07-p__country-JPN"]
    assert ('data-search="07-p japan &lt;profile&gt; &amp; more country = &quot;jpn&quot;, '
            'year = 2024 jpn"') in prof
    assert "<td>Japan &lt;profile&gt; &amp; more</td>" in prof
    assert '<td>country = &quot;JPN&quot;, year = 2024</td>' in prof
    assert "<td>JPN</td>" in prof
    assert "<td>USA CHN</td>" in body["06-c"]  # from a list of countries; 3 is no country
    assert "<td>USA</td>" in body["10-pres"]
    assert "<td>AUS</td>" in body["09-s"]  # remove_actors; a country that is no text is not


def test_profiles_and_dyads_link_to_each_other(tmp_path):
    record(tmp_path, "07-p__country-JPN", "07-p", {"country": "JPN"})
    record(tmp_path, "07-p__country-KOR", "07-p", {"country": "KOR"})
    record(tmp_path, "08-d__JPN-KOR", "08-d", {"country_a": "JPN", "country_b": "KOR"})
    record(tmp_path, "08-d__JPN-CHN", "08-d", {"country_a": "JPN", "country_b": "CHN"})
    record(tmp_path, "08-d__USA-CHN", "08-d", {"country_a": "USA", "country_b": "CHN"})
    record(tmp_path, "08-d__gone", "08-d", {"country_a": "JPN", "country_b": "RUS"},
           page=False)
    body = {re.search(r'href="([^"]+)\.html"', r).group(1): r
            for r in rows(write_index(tmp_path).read_text())}

    def related(stem):
        cells = re.findall(r"<td>(.*?)</td>", body[stem])
        return re.findall(r'<a href="([^"]+)">([^<]+)</a>', cells[5])

    # a profile links to every dyad its country is in
    assert related("07-p__country-JPN") == [("08-d__JPN-CHN.html", "08-d__JPN-CHN"),
                                            ("08-d__JPN-KOR.html", "08-d__JPN-KOR")]
    assert related("07-p__country-KOR") == [("08-d__JPN-KOR.html", "08-d__JPN-KOR")]
    # a dyad links to the other dyads of its two countries and to their profiles
    assert related("08-d__JPN-KOR") == [("08-d__JPN-CHN.html", "08-d__JPN-CHN"),
                                        ("07-p__country-JPN.html", "profile JPN"),
                                        ("07-p__country-KOR.html", "profile KOR")]
    assert related("08-d__USA-CHN") == [("08-d__JPN-CHN.html", "08-d__JPN-CHN")]
    # the same pair the other way round is linked once, not once per country
    record(tmp_path, "08-d__KOR-JPN", "08-d", {"country_a": "KOR", "country_b": "JPN"})
    body = {re.search(r'href="([^"]+)\.html"', r).group(1): r
            for r in rows(write_index(tmp_path).read_text())}
    assert related("08-d__JPN-KOR") == [("08-d__JPN-CHN.html", "08-d__JPN-CHN"),
                                        ("08-d__KOR-JPN.html", "08-d__KOR-JPN"),
                                        ("07-p__country-JPN.html", "profile JPN"),
                                        ("07-p__country-KOR.html", "profile KOR")]


def test_related_links_are_capped(tmp_path):
    record(tmp_path, "07-p__country-JPN", "07-p", {"country": "JPN"})
    for i in range(15):
        record(tmp_path, f"08-d__{i:02d}", "08-d", {"country_a": "JPN", "country_b": f"X{i}"})
    body = rows(write_index(tmp_path).read_text())
    assert re.findall(r"<td>(.*?)</td>", body[0])[0] == (
        '<a href="07-p__country-JPN.html">07-p</a>')
    assert len(re.findall(r"<a ", re.findall(r"<td>(.*?)</td>", body[0])[5])) == 12


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600)])
def test_index_files_honour_the_umask(tmp_path, mask, mode):
    import os

    old = os.umask(mask)
    try:
        record(tmp_path, "10-a", "10-a")
        write_index(tmp_path)
    finally:
        os.umask(old)
    for name in ["index.html", site.SUMMARY, site.LOCK, f"{site.RECORDS}/10-a.json"]:
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == mode, name


def _write_many(out: str, start: int) -> None:
    for i in range(start, start + 5):
        record(Path(out), f"{i:02d}-nb", f"{i:02d}-nb")
        write_index(Path(out))


def test_processes_writing_at_once_lose_no_entry(tmp_path):
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_write_many, args=(str(tmp_path), 5 * k)) for k in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    stems = [f"{i:02d}-nb" for i in range(20)]
    assert sorted(json.loads((tmp_path / site.SUMMARY).read_text())) == stems
    page = (tmp_path / "index.html").read_text()
    assert re.findall(r'<a href="([^"]+)\.html">', page) == stems
    assert not list(tmp_path.rglob("*.tmp"))


# --------------------------------------------------------------------------- the browser
SCRIPT = REPO / "scripts" / "screenshots.py"


def _screenshots_module():
    spec = importlib.util.spec_from_file_location("screenshots", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


shots = _screenshots_module()


def test_screenshot_helpers(tmp_path):
    assert shots.is_local("file:///tmp/x.html") and shots.is_local("data:image/png;base64,x")
    assert shots.is_local("http://localhost:8000/a") and shots.is_local("http://127.0.0.1/")
    assert not shots.is_local("https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-svg.js")
    assert not shots.is_local("http://localhost.example.com/")
    for name in ["index.html", "02-alliances.html", "07-p__country-JPN.html", "01-a.html",
                 "notes.html"]:
        (tmp_path / name).write_text("")
    assert [p.name for p in shots.main_pages(tmp_path)] == [
        "index.html", "01-a.html", "02-alliances.html"]
    assert [p.name for p in shots.main_pages(tmp_path, every=True)] == [
        "index.html", "01-a.html", "02-alliances.html", "07-p__country-JPN.html"]
    with pytest.raises(FileNotFoundError, match="no report pages in"):
        shots.screenshots(tmp_path / "empty")


@pytest.fixture(scope="module")
def browser_site(tmp_path_factory):
    if not Path(shots.CHROMIUM).is_file():
        pytest.skip(f"Debian's chromium is not installed at {shots.CHROMIUM} "
                    "(apt-get install chromium)")
    pytest.importorskip("playwright.sync_api",
                        reason="playwright is not installed (the test extra)")
    base = tmp_path_factory.mktemp("browser")
    src = base / "src"
    src.mkdir()
    prof = make_notebook(src / "07-p.ipynb", ["print('profile of', country)"],
                         params="country = 'JPN'")
    dyad = make_notebook(src / "08-d.ipynb", ["print('pair', country_a, country_b)"],
                         params="country_a = 'JPN'\ncountry_b = 'KOR'")
    out = base / "site"
    # a real report with an interactive network map (apr.explore.network)
    jobs = [make_job(prof, {"country": "JPN"}),
            make_job(dyad, {"country_a": "JPN", "country_b": "KOR"}), make_job("02-alliances")]
    results, _ = engine.render_batch(jobs, out, workers=2, progress=False)
    assert [r.status for r in results if r.status != "ok"] == [], [r.error for r in results]
    return out


def _open(context, path: Path):
    page = context.new_page()
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_timeout(300)
    return page, errors, requests


@pytest.fixture(scope="module")
def context(browser_site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shots.CHROMIUM, args=shots.FLAGS)
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        blocked = []
        ctx.route("**/*", lambda route: route.continue_() if shots.is_local(route.request.url)
                  else (blocked.append(route.request.url), route.abort()))
        ctx.blocked = blocked
        yield ctx
        browser.close()


@pytest.mark.slow
def test_every_page_loads_offline_without_errors(browser_site, context):
    pages = sorted(browser_site.glob("*.html"))
    assert [p.name for p in pages] == ["02-alliances.html", "07-p__country-JPN.html",
                                       "08-d__country_a-JPN_country_b-KOR.html", "index.html"]
    for path in pages:
        page, errors, requests = _open(context, path)
        assert errors == [], f"{path.name}: {errors}"
        assert [u for u in requests if not shots.is_local(u)] == [], path.name
        images = page.evaluate(
            "Array.from(document.images).map(i => [i.complete, i.naturalWidth])")
        assert all(done and width > 0 for done, width in images), path.name
        page.close()
    assert context.blocked == []
    static = (browser_site / "02-alliances.html").read_text()
    assert not [a for t, a in Tags(static).tags if t == "script" and a.get("src")]


HOVER = """() => {
  const fig = [...Bokeh.index].find(v => v.renderer_views);
  const views = [...fig.renderer_views.values()];
  const lines = views.find(r => r.model.glyph && r.model.glyph.type === "MultiLine");
  const data = lines.model.data_source.data;
  const box = fig.el.getBoundingClientRect();
  const sx = fig.frame.x_scale, sy = fig.frame.y_scale;
  let best = null;
  data.xs.forEach((xs, i) => {
    const x0 = sx.compute(xs[0]), x1 = sx.compute(xs[1]);
    const y0 = sy.compute(data.ys[i][0]), y1 = sy.compute(data.ys[i][1]);
    const length = Math.hypot(x1 - x0, y1 - y0);
    if (!best || length > best.length) {
      best = {length, x: box.left + (x0 + x1) / 2, y: box.top + (y0 + y1) / 2,
              label: data.label[i]};
    }
  });
  return best;
}"""

TOOLTIPS = """() => {
  const found = [];
  const walk = (root) => root.querySelectorAll("*").forEach(e => {
    if (e.shadowRoot) { walk(e.shadowRoot); }
    if (e.classList && e.classList.contains("bk-tooltip-content")
        && getComputedStyle(e).display !== "none") { found.push(e.textContent); }
  });
  walk(document);
  return found;
}"""


@pytest.mark.slow
def test_network_map_tooltip_names_the_agreement(browser_site, context):
    page, errors, _ = _open(context, browser_site / "02-alliances.html")
    live = page.locator(".apr-live").first
    live.scroll_into_view_if_needed()
    assert live.evaluate("e => getComputedStyle(e).display") == "block"  # not the fallback
    assert page.locator(".apr-fallback").first.evaluate(
        "e => getComputedStyle(e).display") == "none"
    page.wait_for_timeout(300)
    edge = page.evaluate(HOVER)
    assert edge["length"] > 50
    assert re.match(r"[A-Z]{3}-[A-Z]{3}: .+ \(signed \d{4}-\d\d-\d\d", edge["label"])
    page.mouse.move(edge["x"], edge["y"])
    page.wait_for_timeout(500)
    tips = [t for t in page.evaluate(TOOLTIPS) if t.startswith("tie:")]
    assert any(edge["label"] in t for t in tips), (edge, tips)
    assert errors == []


@pytest.mark.slow
def test_index_filters_and_sorts_as_one_types(browser_site, context):
    page, errors, _ = _open(context, browser_site / "index.html")

    def shown():
        return page.eval_on_selector_all(
            "#reports tbody tr:not(.hidden)", "rs => rs.map(r => r.cells[0].textContent)")

    assert shown() == ["02-alliances", "07-p", "08-d"]
    assert page.text_content("#count") == "3 of 3 shown"
    page.fill("#filter", "kor")
    assert shown() == ["08-d"] and page.text_content("#count") == "1 of 3 shown"
    page.fill("#filter", "JPN")
    assert shown() == ["07-p", "08-d"]
    page.fill("#filter", "jpn pair-nothing")
    assert shown() == [] and page.text_content("#count") == "0 of 3 shown"
    page.fill("#filter", "")
    assert len(shown()) == 3
    # the profile links to the dyad it is in
    assert page.eval_on_selector_all(
        "#reports tbody tr", "rs => rs.map(r => r.cells[5].textContent)") == [
        "", "08-d__country_a-JPN_country_b-KOR", "profile JPN"]
    # sorting: click "report" twice (descending), then "seconds" (numeric ascending)
    page.click("#reports th:nth-child(1)")
    page.click("#reports th:nth-child(1)")
    assert shown() == ["08-d", "07-p", "02-alliances"]
    page.click("#reports th:nth-child(7)")
    seconds = page.eval_on_selector_all(
        "#reports tbody tr", "rs => rs.map(r => parseFloat(r.cells[6].textContent))")
    assert seconds == sorted(seconds)
    page.click("a[href='07-p__country-JPN.html']")
    page.wait_for_load_state("load")
    assert page.url.endswith("/07-p__country-JPN.html") and "profile of JPN" in page.content()
    assert errors == []


@pytest.mark.slow
def test_screenshots_of_the_main_pages(browser_site, tmp_path):
    # as `make screenshots` runs it (a process of its own: playwright's sync API is in use)
    done = subprocess.run([sys.executable, str(SCRIPT), str(browser_site), "-o",
                           str(tmp_path / "shots")], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    names = ["index.png", "02-alliances.png"]  # the index and each notebook's default report
    assert done.stdout.splitlines() == [f"wrote {tmp_path / 'shots' / n}" for n in names]
    for name in names:
        assert (tmp_path / "shots" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    done = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path / "nothing")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert done.stderr == (f"error: no report pages in {tmp_path / 'nothing'}; render them "
                           "first (make report)\n")
