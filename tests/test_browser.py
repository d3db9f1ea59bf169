"""The HTML edition and the preview in a real browser (headless Chromium through selenium):
the rendered page at phone and desktop width, and the preview following a saved change.

Skipped where Chromium or its driver is not installed (.ci/run installs Debian's). The
screenshots are kept in $BULLETIN_ARTIFACTS (default: the test's temporary folder)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bulletin.models import YearMonth
from bulletin.pipeline import build_html
from tests.docx_text import lines
from tests.test_html import _squeeze
from tests.test_preview import _break_a_town, _free_port, start_preview, stop_preview

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="needs chromium and chromedriver")
webdriver = pytest.importorskip("selenium.webdriver")

# Every block and table row as the reader sees it, and what sticks out of a 375-px screen.
READ_PAGE = """
const lines = [];
for (const el of document.body.querySelectorAll("p, tr")) {
  if (el.tagName === "TR") {
    lines.push(Array.from(el.cells).map(c => c.innerText).join("\\t"));
  } else if (!el.closest("tr") && el.innerText.trim()) { lines.push(el.innerText); }
}
const wide = [];
for (const el of document.body.querySelectorAll("*")) {
  const r = el.getBoundingClientRect();
  if (r.right <= window.innerWidth + 0.5 || r.width === 0) continue;
  let box = el.parentElement, scrolls = false;
  for (; box; box = box.parentElement) {
    const o = getComputedStyle(box).overflowX;
    if (o === "auto" || o === "scroll") { scrolls = box.getBoundingClientRect().right <= window.innerWidth + 0.5; break; }
  }
  if (!scrolls) wide.push(el.tagName + ":" + el.innerText.slice(0, 20));
}
return {
  lines: lines,
  wide: wide,
  pageWidth: document.documentElement.scrollWidth,
  height: document.documentElement.scrollHeight,
  scripts: document.querySelectorAll("script").length,
  styled: document.querySelectorAll("[class], [id], style, link").length,
  external: Array.from(document.querySelectorAll("[src], [href]"))
    .map(e => e.getAttribute("src") || e.getAttribute("href"))
    .filter(u => !u.startsWith("data:")),
  font: getComputedStyle(document.querySelector("p")).fontFamily,
};
"""


@pytest.fixture
def browser(tmp_path: Path):
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--hide-scrollbars", f"--user-data-dir={tmp_path / 'profile'}",
    ):  # fmt: skip
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    try:
        yield driver
    finally:
        driver.quit()


def _artifacts(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("BULLETIN_ARTIFACTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("width", [375, 1280])
def test_the_html_edition_in_chromium(browser, built_example: Path, tmp_path: Path, width) -> None:
    from tests.conftest import EXAMPLE

    page = tmp_path / "2020-02.html"
    build_html(EXAMPLE, YearMonth(2020, 2), page)
    browser.set_window_size(width, 900)
    browser.get(page.as_uri())
    seen = browser.execute_script(READ_PAGE)
    # Screenshot of the whole page: the window as tall as the page.
    browser.set_window_size(width, seen["height"] + 200)
    browser.save_screenshot(str(_artifacts(tmp_path) / f"html-edition-{width}px.png"))

    assert _squeeze(seen["lines"]) == _squeeze(lines(built_example))
    assert seen["scripts"] == 0 and seen["styled"] == 0 and seen["external"] == []
    assert seen["wide"] == []
    assert seen["pageWidth"] <= width
    assert "PingFang SC" in seen["font"]


def test_the_preview_follows_a_saved_change(browser, example: Path) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    port = _free_port()
    proc = start_preview(example, port)
    try:
        browser.get(f"http://127.0.0.1:{port}/")
        assert "民众镇" in browser.page_source and "not a known town" not in browser.page_source
        _break_a_town(example)
        WebDriverWait(browser, 2, poll_frequency=0.05).until(
            lambda d: "'民众乡' is not a known town (did you mean 民众镇?)" in d.page_source
        )
        assert "黄小姐" in browser.page_source  # the last good rendering below
        visits = example / "2020-02" / "visits.yaml"
        visits.write_text(visits.read_text("utf-8").replace("民众乡", "三乡镇", 1), "utf-8")
        WebDriverWait(browser, 2, poll_frequency=0.05).until(
            lambda d: (
                "not a known town" not in d.page_source
                and "1\t2月25日\t黄小姐\t三乡镇\t电访" in d.execute_script(READ_PAGE)["lines"]
            )
        )
    finally:
        printed = stop_preview(proc, port)
    assert printed.endswith("preview stopped\n")
