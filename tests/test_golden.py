"""What every command prints and writes, as a reader would see it, against a reviewed copy.

The other tests ask whether a figure or a sentence is right. These ask a plainer question of
every output over two projects (the shipped example and the 15-month oracle project): has
anything a reader sees changed? The terminal's text, the exit code, and every file written
(.docx as its paragraphs with their style and alignment, its tables with their merged cells,
its headers and footers; .xlsx as every cell with its format, the merged ranges, the frozen
panes and the print titles; csv, json and html as text) are rendered to plain text and
compared with `tests/golden/NAME.txt`.

A change that is meant (a new column, a better sentence) is renewed and reviewed as a diff:

    BULLETIN_GOLDEN=renew pytest tests/test_golden.py
    git diff tests/golden
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE, run_cli
from docx import Document
from docx.oxml.ns import qn
from hard_month import write_hard_month
from oracle_project import make

GOLDEN = Path(__file__).parent / "golden"
RENEW = os.environ.get("BULLETIN_GOLDEN") == "renew"


# -- what a reader sees, as text ----------------------------------------------------------


def _para(p) -> str:
    text = "".join(
        "\n"
        if el.tag in (qn("w:br"), qn("w:cr"))
        else "\t"
        if el.tag == qn("w:tab")
        else el.text or ""
        for el in p.iter(qn("w:t"), qn("w:br"), qn("w:cr"), qn("w:tab"))
    )
    ppr = p.find(qn("w:pPr"))
    marks = []
    if ppr is not None:
        style = ppr.find(qn("w:pStyle"))
        if style is not None:
            marks.append(style.get(qn("w:val")))
        jc = ppr.find(qn("w:jc"))
        if jc is not None:
            marks.append(jc.get(qn("w:val")))
    if any(r.find(qn("w:rPr") + "/" + qn("w:b")) is not None for r in p.iter(qn("w:r"))):
        marks.append("bold")
    if p.find(".//" + qn("w:drawing")) is not None:
        marks.append("picture")
    return (f"[{' '.join(marks)}] " if marks else "") + text


def _cell(tc) -> str:
    tcpr = tc.find(qn("w:tcPr"))
    marks = []
    if tcpr is not None:
        span = tcpr.find(qn("w:gridSpan"))
        if span is not None:
            marks.append(f"span={span.get(qn('w:val'))}")
        vmerge = tcpr.find(qn("w:vMerge"))
        if vmerge is not None:
            marks.append(f"vmerge={vmerge.get(qn('w:val')) or 'continue'}")
    text = " / ".join(_para(p) for p in tc.findall(qn("w:p")))
    return (f"<{' '.join(marks)}> " if marks else "") + text


def _body(element, out: list[str]) -> None:
    for child in element.iterchildren():
        if child.tag == qn("w:p"):
            out.append(_para(child))
        elif child.tag == qn("w:tbl"):
            out.append("<table>")
            for tr in child.findall(qn("w:tr")):
                trpr = tr.find(qn("w:trPr"))
                head = trpr is not None and trpr.find(qn("w:tblHeader")) is not None
                cells = " | ".join(_cell(tc) for tc in tr.findall(qn("w:tc")))
                out.append(("(head) " if head else "") + cells)
            out.append("</table>")
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                _body(content, out)


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    out: list[str] = []
    for i, section in enumerate(doc.sections):
        out.append(
            f"<section {i}: {section.orientation} {section.page_width} x {section.page_height}>"
        )
        for name, part in (("header", section.header), ("footer", section.footer)):
            if not part.is_linked_to_previous:
                lines: list[str] = []
                _body(part._element, lines)
                out += [f"<{name}> {line}" for line in lines if line]
    _body(doc.element.body, out)
    props = doc.core_properties
    out.append(f"<properties> title={props.title!r} author={props.author!r}")
    return "\n".join(out)


def xlsx_text(path: Path) -> str:
    from openpyxl import load_workbook

    book = load_workbook(path)
    out: list[str] = []
    for sheet in book.worksheets:
        out.append(f"<sheet {sheet.title!r}>")
        out.append(f"freeze={sheet.freeze_panes} titles={sheet.print_title_rows}")
        setup = sheet.page_setup
        out.append(f"orientation={setup.orientation} fitToWidth={setup.fitToWidth}")
        widths = [
            f"{letter}={dim.width:g}"
            for letter, dim in sorted(sheet.column_dimensions.items())
            if dim.customWidth
        ]
        if widths:
            out.append("widths " + " ".join(widths))
        merged = sorted(str(r) for r in sheet.merged_cells.ranges)
        if merged:
            out.append("merged " + " ".join(merged))
        for row in sheet.iter_rows():
            cells = []
            for c in row:
                if c.value is None:
                    cells.append("")
                    continue
                mark = ""
                if c.number_format != "General":
                    mark += f"{{{c.number_format}}}"
                if c.font is not None and c.font.b:
                    mark += "*"
                if c.alignment is not None and c.alignment.wrap_text:
                    mark += "~"
                cells.append(f"{c.value!r}{mark}")
            while cells and cells[-1] == "":
                cells.pop()
            out.append(" | ".join(cells))
    return "\n".join(out)


def file_text(path: Path) -> str:
    ending = path.suffix.lower()
    if ending == ".docx":
        return docx_text(path)
    if ending == ".xlsx":
        return xlsx_text(path)
    if ending in (".csv", ".json", ".html", ".txt", ".md"):
        return path.read_text(encoding="utf-8-sig")
    return f"<{ending} file>"  # its bytes depend on the image library's version


def written(folder: Path) -> str:
    """Every file under `folder`, in name order, as text."""
    out = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        out.append(f"=== {path.relative_to(folder).as_posix()}")
        out.append(file_text(path))
    return "\n".join(out)


# -- the projects and the commands --------------------------------------------------------


@pytest.fixture(scope="module")
def oracle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data, _ = make(tmp_path_factory.mktemp("golden-oracle"))
    return data


@pytest.fixture(scope="module")
def example_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("golden-example") / "data"
    shutil.copytree(EXAMPLE, target)
    return target


# Slips a social worker makes, several in one month: each message names the file, the line,
# the field and what is wrong, all at once, and nothing is written.
SLIPS = {
    "visits.yaml": [
        ("{date: 2020-02-25, name: 黄小姐", "{date: 2019-02-25, name: 黄小姐"),
        ("name: 肖小姐, town: 东凤镇", "name: 肖小姐, town: 东风镇"),
        ("name: 梁小姐, town: 黄圃镇, mode: 电访}", "name: 梁小姐, town: 黄圃镇, mode: 电话}"),
    ],
    "events.yaml": [
        ("participants: 134", "participants: -3"),
        ("answers: {非常满意: 18,", "answers: {非常满易: 18,"),
    ],
    "consultations.yaml": [("hours: 16", "hours: 十六")],
}


def _example_with(folder: Path, slips: dict[str, list[tuple[str, str]]]) -> Path:
    """A copy of the example data in `folder` with each (old, new) typed into its month file."""
    target = folder / "data"
    shutil.copytree(EXAMPLE, target)
    for name, changes in slips.items():
        path = target / "2020-02" / name
        text = path.read_text(encoding="utf-8")
        for old, new in changes:
            assert old in text, (name, old)
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def slipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = _example_with(tmp_path_factory.mktemp("golden-slips"), SLIPS)
    plans = target / "2020-02" / "plans.yaml"
    raw = plans.read_bytes().split(b"\n")
    raw[6] = raw[6].replace("为全市职工".encode(), b"\xff\xfe")
    plans.write_bytes(b"\n".join(raw))
    return target


# What a careful person still pastes in: a phone number and a control character inside a
# long text (each message gives the line inside the block), a field typed without its colon.
TEXT_SLIPS = {
    "articles.yaml": [
        ("据统计，至2月26日", "联系电话 13812345678，据统计，至2月26日"),
        ("工会社工通过与职工交流", "工会社工通过与\x07职工交流"),
    ],
    "wishes.yaml": [("    wish: 书包一个", "    wish 书包一个")],
}


@pytest.fixture(scope="module")
def pasted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _example_with(tmp_path_factory.mktemp("golden-pasted"), TEXT_SLIPS)


def outcome(data: Path, out: Path, *args: str, lang: str = "en") -> str:
    """Run one command as typed beside the data folder; its exit code, terminal text and files."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    result = run_cli(*args, "--data", str(data), lang=lang, cwd=out)
    text = "\n".join(
        [
            f"$ bulletin --lang {lang} {' '.join(args)}",
            f"exit {result.exit_code}",
            "--- stdout",
            result.stdout,
            "--- stderr",
            result.stderr,
            "--- files",
            written(out),
        ]
    )
    for root in (data.parent, out):
        text = text.replace(str(root), "<tmp>").replace(root.as_posix(), "<tmp>")
    return text.replace("\\", "/")


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.txt"
    text = text.rstrip("\n") + "\n"
    if RENEW or not path.exists():
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if not RENEW:
            pytest.fail(f"{path.name} was missing and has been written: review it")
        return
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        import difflib

        diff = "".join(
            list(
                difflib.unified_diff(
                    expected.splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    "golden",
                    "now",
                    n=2,
                )
            )[:80]
        )
        pytest.fail(f"{name}: what a reader sees has changed:\n{diff}")


ORACLE = {
    "stats": ["stats"],
    "stats-zh": ["stats", "--lang-zh"],
    "stats-by-town": ["stats", "--by", "town"],
    "stats-by-topic-zh": ["stats", "--by", "topic", "--lang-zh"],
    "stats-by-activity": ["stats", "--by", "activity", "--from", "2023-03", "--to", "2023-11"],
    "stats-year-csv": ["stats", "--year", "2023", "--format", "csv"],
    "stats-json": ["stats", "--format", "json"],
    "stats-by-town-json": ["stats", "--by", "town", "--format", "json"],
    "stats-by-activity-csv": ["stats", "--by", "activity", "--format", "csv"],
    "stats-xlsx": ["stats", "--by", "town", "-o", "stats.xlsx"],
    "stats-plan": ["stats", "--plan", "2023-06"],
    "stats-plan-zh": ["stats", "--plan", "2023-11", "--lang-zh"],
    "stats-plan-csv": ["stats", "--plan", "2023-05", "--format", "csv"],
    "stats-plan-nothing-done": ["stats", "--plan", "2023-05"],
    "stats-plan-nothing-done-zh": ["stats", "--plan", "2023-05", "--lang-zh"],
    "explain-a-part-without-records-zh": ["stats", "2023-04", "--explain", "服务人次", "--lang-zh"],
    "stats-plan-json": ["stats", "--plan", "2023-04", "--format", "json"],
    "stats-plan-xlsx-zh": ["stats", "--plan", "2023-06", "-o", "预告.xlsx", "--lang-zh"],
    "stats-one-year-zh": ["stats", "--year", "2023", "--lang-zh"],
    "explain-people": ["stats", "--explain", "people_served", "--to", "2023-04"],
    "explain-satisfaction-zh": ["stats", "--explain", "满意度", "--lang-zh"],
    "explain-hours-json": ["stats", "--explain", "counselling_hours", "--format", "json"],
    "explain-towns-xlsx": ["stats", "--explain", "towns", "-o", "towns.xlsx"],
    "explain-satisfaction-xlsx-zh": [
        "stats",
        "--explain",
        "满意度",
        "--to",
        "2023-03",
        "-o",
        "满意度.xlsx",
        "--lang-zh",
    ],  # fmt: skip
    "explain-people-xlsx-zh": [
        "stats",
        "--explain",
        "服务人次",
        "--to",
        "2023-02",
        "-o",
        "人次.xlsx",
        "--lang-zh",
    ],  # fmt: skip
    "progress": ["progress"],
    "progress-zh": ["progress", "--lang-zh"],
    "progress-first-period-json": ["progress", "--period", "2023年度", "--format", "json"],
    "progress-csv": ["progress", "--format", "csv"],
    "ledger": ["ledger", "--period", "2023年度", "-o", "ledger.xlsx"],
    "ledger-csv": [
        "ledger",
        "--from",
        "2023-10",
        "--to",
        "2024-03",
        "--format",
        "csv",
        "-o",
        "csv",
    ],
    "report": ["report", "2023年度", "-o", "report.docx"],
    "progress-xlsx-zh": ["progress", "2023-06", "-o", "进度.xlsx", "--lang-zh"],
    "report-as-of": ["report", "2024", "--as-of", "2024-02", "-o", "report.docx"],
    "evidence": ["evidence", "2023年度", "-o", "pack"],
    "build-month": ["build", "2023-11", "-o", "2023-11.docx", "--no-layout"],
    "build-month-html": ["build", "2024-02", "--html", "-o", "2024-02.html"],
    "signin": ["signin", "2023-06", "-o", "signin.docx"],
}

EXAMPLE_CASES = {
    "example-build": ["build", "2020-02", "-o", "2020-02.docx", "--no-layout"],
    "example-html": ["build", "2020-02", "--html", "-o", "2020-02.html"],
    "example-check-zh": ["check", "2020-02", "--lang-zh"],
    "example-stats": ["stats", "--by", "topic"],
}


@pytest.fixture(scope="module")
def hard(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_hard_month(tmp_path_factory.mktemp("golden-hard"))


# The month that is hard to print: long names broken where a reader expects, a row taller than
# a page continued (续) on the next.
HARD_CASES = {
    "hard-build": ["build", "2020-11", "-o", "2020-11.docx", "--no-layout"],
    "hard-html": ["build", "2020-11", "--html", "-o", "2020-11.html"],
    "hard-ledger": ["ledger", "-o", "ledger.xlsx"],
}

SLIP_CASES = {
    "slips-check": ["check", "2020-02"],
    "slips-check-zh": ["check", "2020-02", "--lang-zh"],
    "slips-build-zh": ["build", "2020-02", "--lang-zh"],
}


PASTED_CASES = {
    "pasted-check": ["check", "2020-02"],
    "pasted-check-zh": ["check", "2020-02", "--lang-zh"],
}


def _split(args: list[str]) -> tuple[list[str], str]:
    lang = "zh" if "--lang-zh" in args else "en"
    return [a for a in args if a != "--lang-zh"], lang


# Each project (its fixture's name) with the commands run over it.
CASES = {
    "oracle": ORACLE,
    "example_data": EXAMPLE_CASES,
    "slipped": SLIP_CASES,
    "hard": HARD_CASES,
    "pasted": PASTED_CASES,
}


@pytest.mark.parametrize(
    ("project", "name"), [(project, name) for project, cases in CASES.items() for name in cases]
)
def test_outputs_are_as_reviewed(
    project: str, name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    args, lang = _split(CASES[project][name])
    data = request.getfixturevalue(project)
    check_golden(name, outcome(data, tmp_path / "out", *args, lang=lang))


def test_a_golden_copy_is_read_as_text() -> None:
    """The copies are plain UTF-8 text whose first line is the command (a broken copy is not
    silently taken as a renewal)."""
    names = {p.stem for p in GOLDEN.glob("*.txt")}
    assert names == {name for cases in CASES.values() for name in cases}
    for name in names:
        first = (GOLDEN / f"{name}.txt").read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("$ bulletin --lang "), name
