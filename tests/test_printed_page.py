"""The printed page: the example and a hard month converted with LibreOffice and read back.

pdftotext -bbox-layout gives each printed word with its page and line; a table cell's lines
are separate words, so a cell's text is found on a page when it is made of words that follow
one another there in reading order (other cells' words may come between them). Two
conversions for the whole module; skipped where LibreOffice is missing.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx_text import tables
from hard_month import LONG_SITUATION, NAME_BREAKS, STAFF, write_hard_month

from bulletin.models import YearMonth
from bulletin.pdf import convert
from bulletin.pipeline import build

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice or poppler-utils is not installed",
)

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def example_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    docx = tmp_path_factory.mktemp("pdf-example") / "2020-02.docx"
    build(REPO / "data", YearMonth(2020, 2), docx)
    return docx, convert(docx)


@pytest.fixture(scope="module")
def hard_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("pdf-hard")
    docx = root / "2020-11.docx"
    build(write_hard_month(root), YearMonth(2020, 11), docx)
    return docx, convert(docx)


def printed(pdf: Path) -> list[list[list[str]]]:
    """Each page's lines, each line its words, in reading order, without spaces."""
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for page in re.findall(r"<page .*?</page>", out, re.S):
        lines = []
        for line in re.findall(r"<line .*?</line>", page, re.S):
            words = [
                squeeze(html.unescape(w)) for w in re.findall(r"<word [^>]*>(.*?)</word>", line)
            ]
            lines.append([w for w in words if w])
        pages.append([line for line in lines if line])
    return pages


def squeeze(text: str) -> str:
    return "".join(text.split())


def on_page(text: str, words: list[str]) -> bool:
    """TEXT is printed on a page with these WORDS: it is made of words that follow one
    another in reading order, skipping others (the last may hold more)."""
    text = squeeze(text)
    reached = {0}
    for word in words:
        for start in list(reached):
            if text[start:] in word:
                return True
            if text.startswith(word, start):
                reached.add(start + len(word))
    return False


def rows_split(docx: Path, pdf: Path) -> list[list[str]]:
    """Table rows of DOCX whose cells are not all printed on one page of PDF."""
    pages = [[w for line in page for w in line] for page in printed(pdf)]
    split = []
    for table in tables(docx):
        for row in table[1:]:
            cells = [c for c in row if squeeze(c)]
            if not any(all(on_page(c, words) for c in cells) for words in pages):
                split.append(row)
    return split


def unbroken(pdf: Path, texts: set[str]) -> set[str]:
    """The texts of TEXTS that are not printed whole on a single line."""
    lines = ["".join(line) for page in printed(pdf) for line in page]
    return {t for t in texts if not any(squeeze(t) in line for line in lines)}


def names_and_dates(docx: Path) -> set[str]:
    """Every person's name and every date in the document's tables."""
    found: set[str] = set()
    for table in tables(docx):
        header = table[0]
        for row in table[1:]:
            for title, cell in zip(header, row, strict=True):
                if title.replace("\n", "") in {
                    "时间",
                    "探访对象",
                    "职工姓名",
                    "计划完成时间",
                    "跟进人员",
                }:
                    found.update(part for part in cell.split("\n") if part)
    return found


def broken_names(pdf: Path, breaks: dict[str, tuple[int, ...]]) -> set[str]:
    """Printed lines that hold a part of a name of BREAKS (not all of it) beginning or
    ending where no name holding it may break."""
    bad = set()
    for line in {"".join(line) for page in printed(pdf) for line in page}:
        holders = [name for name in breaks if line in name and line != name]
        if len(line) < 2 or not holders:
            continue
        if not any(
            i in {0, *breaks[name]} and i + len(line) in {*breaks[name], len(name)}
            for name in holders
            for i in range(len(name))
            if name.startswith(line, i)
        ):
            bad.add(line)
    return bad


def fonts(pdf: Path) -> list[str]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    return [line.split()[0].split("+")[-1] for line in out.splitlines()[2:] if line.strip()]


def test_example_rows_never_split_and_names_and_dates_stay_whole(example_pdf) -> None:
    docx, pdf = example_pdf
    assert rows_split(docx, pdf) == []
    texts = names_and_dates(docx)
    assert {"2月25日", "黄小姐", "3月22日", "郑锦锐", "廖诗敏", "邱女士"} <= texts
    assert unbroken(pdf, texts) == set()


def test_hard_month_rows_never_split_and_names_and_dates_stay_whole(hard_pdf) -> None:
    docx, pdf = hard_pdf
    visits = tables(docx)[1]
    assert len(visits) == 1 + 40
    assert rows_split(docx, pdf) == []
    texts = names_and_dates(docx)
    assert {"11月1日", "11月30日", "12月28日", "欧阳女士", "诸葛先生", *STAFF} <= texts
    assert unbroken(pdf, texts) == set()


def test_hard_month_long_names_break_only_between_words(hard_pdf) -> None:
    docx, pdf = hard_pdf
    assert broken_names(pdf, NAME_BREAKS) == set()
    lines = {"".join(line) for page in printed(pdf) for line in page}
    # The longest names do not fit their columns: they are printed in parts, at the allowed
    # places (the plan's 地点/对象 column, the summary's 地点 column).
    assert {"中山市火炬开发区", "精密电子科技", "股份有限公司"} <= lines
    assert {"日东光器（中山）", "有限公司"} <= lines


def test_hard_month_row_taller_than_a_page_goes_on_in_rows_that_repeat_its_first_cells(
    hard_pdf,
) -> None:
    docx, pdf = hard_pdf
    wishes = tables(docx)[0]
    rows = [row for row in wishes[1:] if row[1].startswith("诸葛先生")]
    assert len(rows) >= 3
    assert rows[0][:2] == ["4", "诸葛先生"] and rows[0][3] == "书包一个"
    assert [row[:2] for row in rows[1:]] == [["4", "诸葛先生\n（续）"]] * (len(rows) - 1)
    assert [row[3] for row in rows[1:]] == [""] * (len(rows) - 1)
    # The text is whole and in order, cut only after a sentence.
    assert "".join(row[2] for row in rows) == LONG_SITUATION
    assert all(row[2].endswith("。") for row in rows)
    # On paper: no row on two pages (each part with its name on the page it is printed
    # on), and the text runs over more than one page.
    assert rows_split(docx, pdf) == []
    pages = [[w for line in page for w in line] for page in printed(pdf)]
    holding = [n for n, words in enumerate(pages) if any(on_page(row[2], words) for row in rows)]
    assert len(holding) >= 2
    for n in holding[1:]:
        assert on_page("诸葛先生（续）", pages[n]), n


def rows_by_page(docx: Path, pdf: Path, table: int) -> dict[int, int]:
    """How many body rows of the DOCX's TABLE-th table each page of PDF prints (rows are
    looked for from the page of the row before)."""
    pages = [[w for line in page for w in line] for page in printed(pdf)]
    count: dict[int, int] = {}
    start = 0
    for row in tables(docx)[table][1:]:
        cells = [c for c in row if squeeze(c)]
        start = next(
            n for n in range(start, len(pages)) if all(on_page(c, pages[n]) for c in cells)
        )
        count[start] = count.get(start, 0) + 1
    return count


def test_no_table_begins_or_ends_with_a_lone_row_on_a_page(example_pdf, hard_pdf) -> None:
    for (docx, pdf), table in ((hard_pdf, 1), (hard_pdf, 3), (example_pdf, 2), (example_pdf, 3)):
        count = rows_by_page(docx, pdf, table)
        first, last = min(count), max(count)
        assert count[first] >= 2 and count[last] >= 2, (docx.name, table, count)


def test_example_text_reads_back(example_pdf) -> None:
    _, pdf = example_pdf
    text = "".join(w for page in printed(pdf) for line in page for w in line)
    assert "工会社工服务项目简报" in text and "第01期" in text
    assert "共为11人提供了16小时的心理咨询服务" in text


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts is not installed")
def test_type_is_chinese_serif_sans_and_kai(example_pdf, hard_pdf) -> None:
    for _, pdf in (example_pdf, hard_pdf):
        used = fonts(pdf)
        # Noto CJK is a font collection; the PDF names its faces after the collection's
        # first member (…CJKjp…) whichever region's glyphs are used; the replacement table
        # (tests/test_pdfprofile.py) chooses the SC faces.
        assert any(f.startswith("NotoSerifCJK") for f in used), used
        assert any(f.startswith("NotoSansCJK") for f in used), used
        assert all(f.startswith(("NotoSerifCJK", "NotoSansCJK", "UKai")) for f in used), used
    assert any(f.startswith("UKai") for f in fonts(example_pdf[1]))


def test_contents_print_the_page_of_each_heading(example_pdf) -> None:
    _, pdf = example_pdf
    pages = [["".join(line) for line in page] for page in printed(pdf)]
    for heading in ("◎本月速览◎", "◎服务汇总◎", "心理咨询服务持续开展"):
        entry = next(line for line in pages[1] if line.startswith(heading))
        number = int(re.fullmatch(re.escape(heading) + r"\.+(\d+)", entry).group(1))
        first = next(n for n, page in enumerate(pages[2:], 3) if heading in page)
        assert number == first, entry
    # A title and subtitle too long for a line break before the dash, under each other.
    assert "您的需求，就是我们的责任" in pages[1]
    assert any(line.startswith("——市总工会开展抗疫一线医务人员") for line in pages[1])


def test_hard_months_contents_print_the_page_of_each_heading(hard_pdf) -> None:
    _, pdf = hard_pdf
    pages = [["".join(line) for line in page] for page in printed(pdf)]
    entries = [line for line in pages[1] if re.search(r"\.{3,}\d+$", line)]
    assert len(entries) == 8
    for entry in entries:
        heading, number = re.fullmatch(r"(.+?)\.{3,}(\d+)", entry).groups()
        first = next(n for n, page in enumerate(pages[2:], 3) if heading in page)
        assert int(number) == first, entry
