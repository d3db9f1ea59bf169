"""A template a centre re-saves (in LibreOffice, or restyled in Word) builds the same
document: contents with links, leaders and page numbers, merges and table layout, valid."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openxml_audit
import pytest
from docx import Document
from docx.oxml.ns import qn
from docx_text import cell_text
from test_layout import contents_text
from test_validity import KNOWN_FALSE_ALARMS
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.layout import cached_results

REPO = Path(__file__).resolve().parents[1]
needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice or poppler-utils is not installed",
)


def run(*args: str, layout: bool = False) -> str:
    env = {"LANG": "C", "LANGUAGE": "", **({"BULLETIN_NO_LAYOUT": ""} if layout else {})}
    result = CliRunner().invoke(app, ["--lang", "en", *args], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def _val(el, default=None):
    return None if el is None else (el.get(qn("w:val")) or default)


def structure(path: Path) -> dict[str, list]:
    """What a reader sees of a document's build: each body paragraph's style, text, page
    fields and tab leaders; each table's rows (header or not) and cells (text, columns
    spanned, vertical merge)."""
    doc = Document(str(path))
    styles = {s.get(qn("w:styleId")): s for s in doc.styles.element.findall(qn("w:style"))}

    def style_chain(sid):
        while sid in styles:
            yield styles[sid]
            sid = _val(styles[sid].find(qn("w:basedOn")))

    def paragraph(p):
        ppr = p.find(qn("w:pPr"))
        sid = _val(ppr.find(qn("w:pStyle"))) if ppr is not None else None
        name = _val(styles[sid].find(qn("w:name"))).lower() if sid in styles else "normal"
        refs = sum("PAGEREF" in (i.text or "") for i in p.iter(qn("w:instrText")))
        sources = [ppr] + [s.find(qn("w:pPr")) for s in style_chain(sid)]
        tabs = {
            (tab.get(qn("w:val")), tab.get(qn("w:leader")))
            for src in sources
            if src is not None
            for tab in src.iter(qn("w:tab"))
            if tab.get(qn("w:val")) != "clear"  # LibreOffice clears a tab it never set
        }
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        return (name, text, refs, sorted(tabs) if refs else [])

    def cell(tc):
        tcpr = tc.find(qn("w:tcPr"))
        span = _val(tcpr.find(qn("w:gridSpan")), "1") if tcpr is not None else "1"
        merge = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
        return (cell_text(tc), span, None if merge is None else _val(merge, "continue"))

    body = doc.element.body
    return {
        "paragraphs": [paragraph(p) for p in body.findall(qn("w:p"))],
        "tables": [
            [
                (
                    tr.find(qn("w:trPr") + "/" + qn("w:tblHeader")) is not None,
                    [cell(tc) for tc in tr.findall(qn("w:tc"))],
                )
                for tr in tbl.findall(qn("w:tr"))
            ]
            for tbl in body.iter(qn("w:tbl"))
        ],
    }


# What the validator reports in the parts LibreOffice writes when it saves a template, and
# Word reads: on/off values written as true/false (ECMA-376 transitional allows them), a
# numbering level justified "start" (the 2010 name of "left") and a font's character set
# named as in HTML ("utf-8", "windows-1252"), which Word ignores.
RESAVED = [
    re.compile(r"Invalid value for attribute 'val': Value '(true|false)' is not in allowed"),
    re.compile(
        r"/word/numbering\.xml:.*/lvlJc\[1\]: Invalid value for attribute 'val': Value 'start'"
    ),
    re.compile(r"/word/fontTable\.xml:.*/charset\[1\]: Invalid value for attribute 'characterSet'"),
]


def validation_errors(path: Path) -> list[str]:
    result = openxml_audit.OpenXmlValidator().validate(str(path))
    errors = [str(e) for e in result.errors]
    return [e for e in errors if not any(alarm.search(e) for alarm in KNOWN_FALSE_ALARMS)]


def test_a_merged_cell_spanning_columns_builds_a_valid_document(tmp_path: Path) -> None:
    """Two cells of the plan joined in Word (gridSpan), shaded, merging vertically: the
    renderer puts vMerge where the schema wants it, after gridSpan, before shd and vAlign."""
    doc = Document(str(REPO / "templates" / "bulletin.docx"))
    (plan,) = [t for t in doc.tables if "r.merge_due" in t._tbl.xml]
    for row in plan.rows:
        due, staff = row.cells[2], row.cells[3]
        for p in staff.paragraphs[1:]:
            p._p.getparent().remove(p._p)
        for r in staff.paragraphs[0].runs:
            r._r.getparent().remove(r._r)
        merged = due.merge(staff)
        tcpr = merged._tc.get_or_add_tcPr()
        shd = tcpr.makeelement(qn("w:shd"), {qn("w:val"): "clear", qn("w:fill"): "EEEEEE"})
        if tcpr.find(qn("w:shd")) is None:  # the header row is shaded already
            tcpr.append(shd)
        for el in [e for e in tcpr if e.tag == qn("w:vAlign")]:
            tcpr.remove(el)
            tcpr.append(el)
    folder = tmp_path / "templates"
    folder.mkdir()
    doc.save(str(folder / "bulletin.docx"))
    out = tmp_path / "b.docx"
    run(
        "build", "2020-02", "--data", str(REPO / "data"), "--templates", str(folder), "-o", str(out)
    )

    assert validation_errors(out) == []
    built = Document(str(out))
    (table,) = [t for t in built.tables if "gridSpan" in t._tbl.xml]
    merged = [
        tc.find(qn("w:tcPr"))
        for tr in table._tbl.findall(qn("w:tr"))
        for tc in tr.findall(qn("w:tc"))
        if tc.find(qn("w:tcPr") + "/" + qn("w:gridSpan")) is not None
        and tc.find(qn("w:tcPr") + "/" + qn("w:vMerge")) is not None
    ]
    assert merged, "no cell both spans columns and merges vertically"
    for tcpr in merged:
        order = [child.tag.split("}")[1] for child in tcpr]
        assert order.index("gridSpan") < order.index("vMerge") < order.index("shd")


@pytest.fixture(scope="module")
def resaved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped templates opened in LibreOffice and saved again as .docx."""
    folder = tmp_path_factory.mktemp("resaved")
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless"]
        + ["--convert-to", "docx", "--outdir", str(folder / "templates")]
        + [str(REPO / "templates" / name) for name in ("bulletin.docx", "report.docx")],
        capture_output=True,
        check=True,
        timeout=300,
    )
    return folder / "templates"


def contents_page(pdf: Path) -> list[str]:
    """The contents page's lines as poppler reads them, spaces squeezed."""
    text = contents_text(pdf)
    return [re.sub(r"\s+", " ", line).strip() for line in text.splitlines() if line.strip()]


@needs_soffice
def test_a_bulletin_from_a_resaved_template_is_the_same(resaved: Path, tmp_path: Path) -> None:
    shipped, again = tmp_path / "shipped.docx", tmp_path / "resaved.docx"
    data = str(REPO / "data")
    run("build", "2020-02", "--data", data, "-o", str(shipped), "--pdf", layout=True)
    output = run(
        "build", "2020-02", "--data", data, "--templates", str(resaved), "-o", str(again),
        "--pdf", "--verbose", layout=True,
    )  # fmt: skip
    assert "contents" not in output  # nothing lost to report

    assert structure(again) == structure(shipped)
    assert cached_results(again.read_bytes()) == cached_results(shipped.read_bytes())
    assert len([n for n in cached_results(again.read_bytes()) if n.isdigit()]) == 14
    page = contents_page(again.with_suffix(".pdf"))
    assert page == contents_page(shipped.with_suffix(".pdf"))
    assert page[1].startswith("◎ 本月速览 ◎....") and page[1].endswith("3")
    assert [e for e in validation_errors(again) if not any(a.search(e) for a in RESAVED)] == []


@needs_soffice
def test_a_report_from_a_resaved_template_is_the_same(resaved: Path, tmp_path: Path) -> None:
    from contract_project import make

    data, _ = make(tmp_path / "project")
    shipped, again = tmp_path / "shipped.docx", tmp_path / "resaved.docx"
    run("report", "2020-Q2", "--data", str(data), "-o", str(shipped))
    run("report", "2020-Q2", "--data", str(data), "--templates", str(resaved), "-o", str(again))
    assert structure(again) == structure(shipped)
    assert len(structure(again)["tables"]) >= 4


def test_verbose_says_what_a_template_lost_of_the_contents(tmp_path: Path) -> None:
    doc = Document(str(REPO / "templates" / "bulletin.docx"))
    for style in doc.styles.element.findall(qn("w:style")):
        name = style.find(qn("w:name"))
        if name.get(qn("w:val")) in ("toc 1", "toc 2"):
            name.set(qn("w:val"), "目录行 " + name.get(qn("w:val"))[-1])
    folder = tmp_path / "templates"
    folder.mkdir()
    doc.save(str(folder / "bulletin.docx"))
    args = ["build", "2020-02", "--data", str(REPO / "data"), "--templates", str(folder)]
    quiet = run(*args, "-o", str(tmp_path / "a.docx"))
    loud = run(*args, "-o", str(tmp_path / "b.docx"), "--verbose")
    message = (
        f"{folder / 'bulletin.docx'}: no paragraph has the contents styles toc 1 or toc 2 "
        "(LibreOffice names them Contents 1 and 2), so the contents has no links and no page "
        "numbers: give the contents' two entry lines those styles again"
    )
    assert message in loud.splitlines()
    assert message not in quiet
    assert "PAGEREF" not in (tmp_path / "b.docx").read_bytes().decode("latin-1")
