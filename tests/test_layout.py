"""The contents' page numbers written into the .docx from one LibreOffice layout."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from bulletin.errors import Msg
from bulletin.layout import cached_results, fill, fill_page_numbers, page_numbers
from bulletin.models import YearMonth
from bulletin.pipeline import build

REPO = Path(__file__).resolve().parents[1]
needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice or poppler-utils is not installed",
)


def settings(docx: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return z.read("word/settings.xml").decode("utf-8")


def contents_text(pdf: Path) -> str:
    """The contents page (page 2) as poppler reads it, laid out (not by the code under test)."""
    return subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def contents_numbers(pdf: Path) -> list[str]:
    """The page numbers printed at the ends of the contents page's entries."""
    return re.findall(r"\.{3,}\s*(\d+)\s*$", contents_text(pdf), re.M)


@pytest.fixture
def unlaid(tmp_path: Path) -> bytes:
    """The example bulletin as built without the layout."""
    out = tmp_path / "plain.docx"
    build(REPO / "data", YearMonth(2020, 2), out, no_layout=True)
    return out.read_bytes()


def test_without_layout_the_fields_are_empty_and_word_is_asked(
    tmp_path: Path, unlaid: bytes
) -> None:
    notes: list[Msg] = []
    build(REPO / "data", YearMonth(2020, 2), tmp_path / "b.docx", no_layout=True, notes=notes)
    assert notes == [Msg("layout_skipped")]
    assert cached_results(unlaid) == [""] * 14
    assert '<w:updateFields w:val="true"/>' in settings(unlaid)


def test_filling_writes_each_number_and_drops_the_update_request(unlaid: bytes) -> None:
    numbers = [str(n) for n in range(3, 17)]
    filled = fill(unlaid, numbers)
    assert cached_results(filled) == numbers
    assert "updateFields" not in settings(filled)
    assert cached_results(fill(filled, ["1"] * 14)) == ["1"] * 14  # replaced, not added to
    assert fill(unlaid, numbers) == filled  # deterministic


def test_a_document_without_contents_is_left_alone(tmp_path: Path, monkeypatch) -> None:
    from docx import Document

    Document().save(tmp_path / "plain.docx")
    data = (tmp_path / "plain.docx").read_bytes()
    monkeypatch.delenv("BULLETIN_NO_LAYOUT")
    monkeypatch.setattr("bulletin.pdf.lay_out", lambda *a, **k: pytest.fail("laid out"))
    assert fill_page_numbers(data) == (data, None)


def _pdf(*objects: str) -> bytes:
    body = "".join(f"{n} 0 obj\n<<{text}>>\nendobj\n\n" for n, text in objects)
    return ("%PDF-1.6\n" + body + "%%EOF\n").encode("latin-1")


def test_page_numbers_are_read_from_the_links_in_reading_order() -> None:
    pdf = _pdf(
        (1, "/Type/Page/Parent 9 0 R"),
        (2, "/Type/Page/Parent 9 0 R/Annots[ 20 0 R 21 0 R 22 0 R 23 0 R ]"),
        (3, "/Type/Page/Parent 9 0 R/Annots[ 24 0 R ]"),
        (4, "/Type/Page/Parent 9 0 R"),
        (9, "/Type/Pages/Kids[ 1 0 R 2 0 R 3 0 R 4 0 R ]/Count 4"),
        # listed out of order: the lower link on the page comes second
        (
            20,
            "/Type/Annot/Subtype/Link/Rect[500 300 510 320]/Contents<FEFF0034>/Dest[4 0 R/XYZ 0 0 0]",
        ),
        (21, "/Type/Annot/Subtype/Link/Rect[500 700 510 720]/Contents(3)/Dest[3 0 R/XYZ 0 0 0]"),
        (22, "/Type/Annot/Subtype/Link/Rect[10 500 90 520]/A<</S/URI/URI(http://x)>>"),
        (23, "/Type/Annot/Subtype/Link/Rect[10 600 90 620]/Contents<FEFF5B57>/Dest[3 0 R]"),
        # no text: the position of the page it points at
        (24, "/Type/Annot/Subtype/Link/Rect[500 700 510 720]/Dest[4 0 R/XYZ 0 0 0]"),
    )
    assert page_numbers(pdf) == ["3", "4", "4"]


def test_a_layout_that_does_not_match_the_contents_is_not_used(unlaid: bytes, monkeypatch) -> None:
    monkeypatch.delenv("BULLETIN_NO_LAYOUT")
    monkeypatch.setattr("bulletin.pdf.find_soffice", lambda given=None: "soffice")
    monkeypatch.setattr("bulletin.pdf.lay_out", lambda *a, **k: _pdf((1, "/Type/Pages/Kids[]")))
    assert fill_page_numbers(unlaid) == (unlaid, Msg("layout_unread", {"found": 0, "wanted": 14}))


@needs_soffice
def test_the_numbers_are_the_pdfs_and_the_pdf_costs_no_second_layout(
    example: Path, tmp_path: Path, monkeypatch
) -> None:
    from typer.testing import CliRunner

    from bulletin import pdf
    from bulletin.cli import app

    monkeypatch.delenv("BULLETIN_NO_LAYOUT")
    layouts = []
    real = pdf.lay_out
    monkeypatch.setattr(pdf, "lay_out", lambda *a, **k: layouts.append(1) or real(*a, **k))
    out = tmp_path / "b.docx"
    args = ["build", "2020-02", "--data", str(example), "-o", str(out), "--pdf"]
    result = CliRunner().invoke(app, args, env={"LANG": "C", "LANGUAGE": ""})
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"wrote {out}",
        "converting to PDF with LibreOffice…",
        f"wrote {out.with_suffix('.pdf')}",
    ]
    assert len(layouts) == 1
    docx = out.read_bytes()
    printed = contents_numbers(out.with_suffix(".pdf"))
    assert len(printed) == 14
    assert cached_results(docx) == printed
    assert "updateFields" not in settings(docx)
    with zipfile.ZipFile(out) as z:
        assert not [n for n in z.namelist() if "stylesWithEffects" in n]
        assert not [n for n in z.namelist() if n.endswith(".xml") and b"Theme=" in z.read(n)]

    # An unchanged month again: the numbers and the PDF come from the cache.
    again = tmp_path / "again.docx"
    args = ["build", "2020-02", "--data", str(example), "-o", str(again), "--pdf"]
    result = CliRunner().invoke(app, args, env={"LANG": "C", "LANGUAGE": ""})
    assert result.exit_code == 0, result.output
    assert len(layouts) == 1
    assert again.read_bytes() == docx
    assert contents_numbers(again.with_suffix(".pdf")) == printed


@needs_soffice
def test_libreoffice_opening_the_docx_shows_the_numbers(tmp_path: Path, monkeypatch) -> None:
    """Opened as it is (its TOC field included, no update), the document shows its numbers."""
    monkeypatch.delenv("BULLETIN_NO_LAYOUT")
    out = tmp_path / "b.docx"
    build(REPO / "data", YearMonth(2020, 2), out)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless"]
        + ["--convert-to", "pdf", "--outdir", str(tmp_path / "direct"), str(out)],
        capture_output=True,
        check=True,
        timeout=180,
    )
    shown = contents_numbers(tmp_path / "direct" / "b.pdf")
    assert shown == cached_results(out.read_bytes())
    assert shown[0] == "3" and shown[-1] == "10"


def test_a_pdf_made_in_this_run_is_known_by_its_document(unlaid: bytes, monkeypatch) -> None:
    """Also without the cache (--no-cache), --pdf writes the PDF the build's layout made."""
    from bulletin import cache, pdf

    monkeypatch.setattr(pdf, "_made", {})
    with cache.switched_off():
        pdf.remember(unlaid, b"%PDF-made")
        assert pdf.known(unlaid) == b"%PDF-made"
        assert pdf.known(unlaid + b"x") is None
