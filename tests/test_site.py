"""`claims site`: the static review site, built from the fixture and the shipped data, checked
in a real browser (Debian's chromium, headless, driven by Selenium) opened from `file://`."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select

from builder.layout import Layout
from builder.site import html
from builder.site.html import Marked, marked_text, segments, visible_text
from builder.validation import validate
from tests.conftest import MINI, PROJECT, RECORDS_2024, Run, edit_record, git

CHROMIUM = Path(os.environ.get("CLAIMS_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("CLAIMS_CHROMEDRIVER", "/usr/bin/chromedriver"))
SCREENSHOTS = os.environ.get("CLAIMS_SCREENSHOTS")  # a folder: keep the screenshots there


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail(
            "chromium and chromedriver are needed: apt-get install chromium chromium-driver"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1400"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


def built(claims: Run, root: Path, out: Path, *args: str) -> Path:
    result = claims("site", "--root", root, "--out", out, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def digests(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def open_page(browser: WebDriver, path: Path) -> None:
    browser.get(path.as_uri())


def test_the_site_has_a_page_for_every_claim_and_source_and_is_reproducible(
    claims: Run, tmp_path: Path
) -> None:
    first = built(claims, PROJECT, tmp_path / "first")
    second = built(claims, PROJECT, tmp_path / "second")
    assert digests(first) == digests(second)
    repository = validate(Layout(PROJECT)).repository
    assert {p.stem for p in (first / "claims").glob("*.html")} == {c.id for c in repository.claims}
    assert {p.stem for p in (first / "sources").glob("*.html")} == set(repository.sources)
    assert not [p for p in first.rglob("*.html") if "http" in _assets(p)]


def _assets(page: Path) -> str:
    """What a page loads: its stylesheet and script references (never from the network)."""
    text = page.read_text(encoding="utf-8")
    return " ".join(part for part in text.split('"') if part.endswith((".css", ".js")))


@pytest.mark.parametrize("root", [MINI, PROJECT], ids=["fixture", "shipped"])
def test_every_highlight_holds_exactly_its_quote(
    claims: Run, tmp_path: Path, browser: WebDriver, root: Path
) -> None:
    """Offsets are code points; the browser counts UTF-16 units. The fixture's statement has an
    emoji and a decomposed accent before its spans: a mark that moved would hold other text."""
    site = built(claims, root, tmp_path / "site")
    repository = validate(Layout(root)).repository
    checked = 0
    for claim in repository.claims:
        open_page(browser, site / "claims" / f"{claim.id}.html")
        marks = {
            (int(m.get_attribute("data-start")), int(m.get_attribute("data-end"))): m
            for m in browser.find_elements(By.CSS_SELECTOR, "mark[data-start]")
        }
        for placed in claim.spans():
            mark = marks[(placed.span.start, placed.span.end)]
            assert mark.get_attribute("textContent") == placed.span.quote, (claim.id, placed)
            checked += 1
    assert checked == sum(len(claim.spans()) for claim in repository.claims)
    for source in repository.sources.values():  # on source pages, overlapping spans share marks
        open_page(browser, site / "sources" / f"{source.id}.html")
        pieces: dict[str, str] = {}
        for mark in browser.find_elements(By.CSS_SELECTOR, "mark[data-spans]"):
            for key in mark.get_attribute("data-spans").split():
                pieces[key] = pieces.get(key, "") + mark.get_attribute("textContent")
        for key, text in pieces.items():
            start, end = map(int, key.split("-"))
            assert text == source.text[start:end], (source.id, key)


def test_the_acceptance_claim_page(claims: Run, tmp_path: Path, browser: WebDriver) -> None:
    site = built(claims, PROJECT, tmp_path / "site")
    open_page(browser, site / "claims" / "no-political-prisoners-2018.html")
    [appearance] = browser.find_elements(By.CSS_SELECTOR, "mark.appearance")
    assert appearance.get_attribute("textContent") == "nu există „deținuți politici” în Kazahstan"
    quoted = appearance.find_element(By.XPATH, "./ancestor::blockquote")
    assert quoted.get_attribute("lang") == "ro"
    assert "Faptul că" in quoted.text  # its paragraph, not the quote alone
    translation = browser.find_element(By.CSS_SELECTOR, ".translation").text
    assert translation == "In English: there are no “political prisoners” in Kazakhstan"
    [refuting] = browser.find_elements(By.CSS_SELECTOR, "mark.stance-refutes")
    assert "the release of all political prisoners" in refuting.get_attribute("textContent")
    section = refuting.find_element(By.XPATH, "./ancestor::section")
    assert "Refutes" in section.text and "European Parliament" in section.text
    if SCREENSHOTS:
        browser.save_screenshot(str(Path(SCREENSHOTS) / "site-claim.png"))


def test_filters_show_exactly_the_matching_claims_and_live_in_the_url(
    claims: Run, tmp_path: Path, browser: WebDriver
) -> None:
    site = built(claims, PROJECT, tmp_path / "site")
    claims_ = validate(Layout(PROJECT)).repository.claims
    open_page(browser, site / "index.html")

    def shown() -> set[str]:
        rows = browser.find_elements(By.CSS_SELECTOR, "#claims tbody tr")
        return {row.get_attribute("id") for row in rows if row.is_displayed()}

    assert shown() == {c.id for c in claims_}
    Select(browser.find_element(By.ID, "filter-verdict")).select_by_value("supported")
    supported = {c.id for c in claims_ if c.review and c.review.verdict == "supported"}
    assert shown() == supported
    Select(browser.find_element(By.ID, "filter-topic")).select_by_value("death-penalty")
    both = {c.id for c in claims_ if c.id in supported and "death-penalty" in c.topics}
    assert both and shown() == both
    linked = browser.current_url
    assert "verdict=supported" in linked and "topic=death-penalty" in linked
    browser.get("about:blank")
    browser.get(linked)  # the filtered view, from its link
    assert shown() == both
    if SCREENSHOTS:
        Select(browser.find_element(By.ID, "filter-topic")).select_by_value("")
        Select(browser.find_element(By.ID, "filter-verdict")).select_by_value("")
        browser.save_screenshot(str(Path(SCREENSHOTS) / "site-index.png"))


def test_markup_in_the_data_is_shown_as_text_and_runs_nothing(
    claims: Run, tmp_path: Path, browser: WebDriver
) -> None:
    root = tmp_path / "repo"
    shutil.copytree(MINI / "claims", root / "claims")
    hostile = """<script>window.pwned = 1</script>"'<img src=x onerror="window.pwned=2">"""
    record = root / RECORDS_2024 / "cafe-talks-continue-2024.yaml"
    data = yaml.safe_load(record.read_text(encoding="utf-8"))
    data["claim"] = f"{hostile} The talks will continue."
    data["claimant"]["name"] = hostile
    record.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    site = built(claims, root, tmp_path / "site")
    for page in (site / "index.html", site / "claims" / "cafe-talks-continue-2024.html"):
        open_page(browser, page)
        assert browser.execute_script("return window.pwned === undefined")
        assert hostile in browser.find_element(By.TAG_NAME, "body").text


def test_screenshots_are_not_blank(claims: Run, tmp_path: Path, browser: WebDriver) -> None:
    site = built(claims, PROJECT, tmp_path / "site")
    for page in (site / "index.html", site / "claims" / "death-penalty-removed-2022.html"):
        open_page(browser, page)
        png = browser.get_screenshot_as_png()
        assert png.startswith(b"\x89PNG")
        assert len(png) > 20_000  # a blank page of this size compresses to a few kilobytes
    browser.get("about:blank")  # for scale: a blank page of the same size
    assert len(browser.get_screenshot_as_png()) < 20_000


def test_compare_shows_a_changed_verdict(
    claims: Run, history: Path, tmp_path: Path, browser: WebDriver
) -> None:
    edit_record(history, "no-political-prisoners-2024", "verdict: refuted", "verdict: conflicting")
    git(history, "commit", "--quiet", "--all", "-m", "A second look at a verdict")
    site = built(claims, history, tmp_path / "site", "--compare", "HEAD~1")
    open_page(browser, site / "changes.html")
    text = browser.find_element(By.TAG_NAME, "main").text
    assert "0 added, 0 removed, 1 changed" in text
    assert "verdict: refuted → conflicting" in text
    article = browser.find_element(By.ID, "no-political-prisoners-2024")
    assert article.find_element(By.CSS_SELECTOR, ".badge").text == "conflicting"
    assert article.find_elements(By.CSS_SELECTOR, "mark")


def test_a_repository_with_errors_gets_no_site(claims: Run, tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(MINI / "claims", root / "claims")
    (root / RECORDS_2024 / "cafe-talks-continue-2024.yaml").write_text("id: [\n")
    result = claims("site", "--root", root, "--out", tmp_path / "site")
    assert result.returncode == 1
    assert "no site written" in result.stderr
    assert not (tmp_path / "site").exists()


def test_an_unknown_revision_is_a_usage_error(claims: Run, history: Path, tmp_path: Path) -> None:
    result = claims("site", "--root", history, "--out", tmp_path / "site", "--compare", "nope")
    assert result.returncode == 2
    assert not (tmp_path / "site").exists()


class _Elements(HTMLParser):
    """Every element's attributes, and the page's text, as a browser's parser reads them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attributes: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes += [(tag, name, value) for name, value in attrs]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


BREAKING_OUT = {
    "claimant": 'Jo" autofocus onfocus="alert(1)',
    "other claimant": "Jo' autofocus onfocus='alert(2)",
    "claim": """It's "true" autofocus onfocus="alert(3)" data-forged='1' onmouseover='alert(4)'.""",
    "title": 'Report" autofocus onfocus="alert(5)',
}


def test_text_from_the_data_never_leaves_its_attribute(claims: Run, tmp_path: Path) -> None:
    """A name or a claim with quotes in it stays inside the attribute value it is written into
    (`data-claimant`, `title`, `value`): no element of any page gains an attribute from the
    data, and the text reads back as written."""
    root = tmp_path / "repo"
    shutil.copytree(MINI / "claims", root / "claims")
    cafe = root / RECORDS_2024 / "cafe-talks-continue-2024.yaml"
    data = yaml.safe_load(cafe.read_text(encoding="utf-8"))
    data["claimant"]["name"] = BREAKING_OUT["claimant"]
    data["claim"] = BREAKING_OUT["claim"]
    cafe.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    edit_record(
        root, "death-penalty-abolished-2024", "Claus Petrov", BREAKING_OUT["other claimant"]
    )
    report = root / "claims" / "sources" / "mini-report-2024.yaml"
    data = yaml.safe_load(report.read_text(encoding="utf-8"))
    data["title"] = BREAKING_OUT["title"]
    report.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    site = built(claims, root, tmp_path / "site")

    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 7
    values: set[str | None] = set()
    for page in pages:
        parsed = _Elements()
        parsed.feed(page.read_text(encoding="utf-8"))
        parsed.close()
        names = {name for _, name, _ in parsed.attributes}
        assert not {n for n in names if n.startswith("on") or n in {"autofocus", "data-forged"}}, (
            page
        )
        values |= {value for _, _, value in parsed.attributes}
        text = "".join(parsed.text)
        if page.name == "cafe-talks-continue-2024.html":
            assert BREAKING_OUT["claim"] in text and BREAKING_OUT["claimant"] in text
        if page.name == "index.html":
            assert all(BREAKING_OUT[key] in text for key in ("claimant", "other claimant", "claim"))
    # The filters' options and the rows' data attributes hold the names whole.
    assert {BREAKING_OUT["claimant"], BREAKING_OUT["other claimant"]} <= values


# The pieces every page is made of -----------------------------------------------------------


def _odd(text: str) -> list[str]:
    """The characters `visible_text` outlines, with the names it gives them."""
    return re.findall(r'<span class="odd" title="(U\+[0-9A-F]{4} [^"]+)">', visible_text(text))


def test_odd_spaces_and_look_alike_letters_are_outlined_with_their_names() -> None:
    assert _odd("\u0421laus\u00a0Petrov") == [
        "U+0421 CYRILLIC CAPITAL LETTER ES",
        "U+00A0 NO-BREAK SPACE",
    ]
    assert visible_text("a\u00a0<b>") == (
        'a<span class="odd" title="U+00A0 NO-BREAK SPACE">\u00a0</span>&lt;b&gt;'
    )


@pytest.mark.parametrize(
    ("text", "outlined"),
    [
        ("\u0421laus", 1),  # a Cyrillic letter before a Latin one
        ("b\u0414", 1),  # after one, at the second character
        ("ab\u0414 cd", 1),  # after one, further in
        ("\u03b1b", 1),  # Greek
        ("\u041f\u0443\u0442\u0438\u043d", 0),  # a Cyrillic word among none Latin
        ("b \u0414", 0),  # a space between: two characters away is not next
        ("\u0414 b", 0),
        ("b\u4e00c", 0),  # a letter of another script
        ("b\u0663c", 0),  # a digit of another script
        ("\u00e9t\u00e9", 0),  # Latin letters with accents are Latin
        ("b\U00017000c", 0),  # a letter Python's Unicode database has no name for
        ("b\u0482c", 0),  # a Cyrillic sign that is no letter
    ],
)
def test_a_letter_is_a_look_alike_only_next_to_a_latin_letter(text: str, outlined: int) -> None:
    assert len(_odd(text)) == outlined


def test_marked_text_wraps_each_span_with_its_attributes_and_escapes_the_rest() -> None:
    text = "Hi <you> \u0421at & dog"
    marks = [
        Marked(9, 12, "appearance", (("data-claim", 'a"b'), ("title", "x"))),
        Marked(3, 8, "evidence"),
    ]
    assert marked_text(text, 0, len(text), marks) == (
        'Hi <mark class="evidence" data-start="3" data-end="8">&lt;you&gt;</mark> '
        '<mark class="appearance" data-start="9" data-end="12" data-claim="a&quot;b" '
        'title="x"><span class="odd" title="U+0421 CYRILLIC CAPITAL LETTER ES">\u0421</span>'
        "at</mark> &amp; dog"
    )
    assert (
        marked_text(text, 3, 14, [])
        == '&lt;you&gt; <span class="odd" title="U+0421 CYRILLIC CAPITAL LETTER ES">\u0421</span>'
        "at &amp;"
    )


def test_overlapping_spans_are_cut_into_pieces_each_naming_its_spans() -> None:
    assert segments([(0, 10), (5, 15), (20, 25)]) == [
        (0, 5, frozenset({0})),
        (5, 10, frozenset({0, 1})),
        (10, 15, frozenset({1})),
        (20, 25, frozenset({2})),
    ]


def test_every_page_has_the_same_shell_with_links_up_to_the_site_root() -> None:
    assert html.page("A <title>", "<p>body</p>") == (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>A &lt;title&gt;</title>\n"
        '<link rel="stylesheet" href="site.css">\n</head>\n<body>\n'
        '<header><nav aria-label="Site"><a href="index.html">All claims</a></nav></header>\n'
        "<main>\n<p>body</p>\n</main>\n</body>\n</html>\n"
    )
    deeper = html.page("T", "", depth=2, scripts=True)
    assert '<link rel="stylesheet" href="../../site.css">' in deeper
    assert '<a href="../../index.html">All claims</a>' in deeper
    assert deeper.endswith('</main>\n<script src="../../site.js"></script>\n</body>\n</html>\n')
