"""The estimates the Word tables' layout rests on: lines a text takes in a column, a cell's
width in ems, a row's height. The layout itself (widths, breaks, kept and cut rows) is tested
on whole documents in test_render.py and, as printed, in test_printed_page.py."""

from __future__ import annotations

import pytest
from docx.oxml.ns import qn

from bulletin import ooxml
from bulletin.wordtables import (
    CELL_MARGINS,
    LINE_HEIGHT,
    ROW_MARGINS,
    _cell_width,
    _row_twips,
    _text_lines,
)


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("", 1),  # an empty cell is a line high
        ("一行", 1),
        ("工会 社工", 1),  # a space is no line break
        ("字" * 10, 2),  # 10 ems in a 10-em column: Chinese line breaking leaves 9.5 a line
        ("字字字字 字字字字 字", 2),  # 9.6 ems
        ("字" * 9 + " ", 1),  # 9.3 ems
        ("甲\n乙", 2),  # a line break is a line
        ("甲\n\n乙", 3),
    ],
)
def test_the_lines_a_text_takes_in_a_ten_em_column(text: str, lines: int) -> None:
    assert _text_lines(text, 10) == lines


def _cell(twips: int | None):
    tc = ooxml.element("w:tc")
    if twips is not None:
        pr = ooxml.element("w:tcPr")
        width = ooxml.element("w:tcW")
        width.set(qn("w:w"), str(twips))
        width.set(qn("w:type"), "dxa")
        pr.append(width)
        tc.append(pr)
    return tc


def test_a_cells_width_in_ems_is_its_width_less_its_margins() -> None:
    assert _cell_width(_cell(2200 + CELL_MARGINS), 200) == 11
    assert _cell_width(_cell(None), 200) == (2000 - CELL_MARGINS) / 200  # no width: 2000
    assert _cell_width(_cell(CELL_MARGINS), 200) == 1  # never less than an em


def test_a_rows_height_is_its_tallest_cells_lines() -> None:
    em = 200
    tr = ooxml.element("w:tr")
    assert _row_twips(tr, em) == ROW_MARGINS + em * LINE_HEIGHT  # no cells: a line
    for text in ("一行", "第一行\n第二行\n第三行"):
        tc = _cell(4000)
        p, r, t = ooxml.element("w:p"), ooxml.element("w:r"), ooxml.element("w:t")
        t.text = text
        r.append(t)
        p.append(r)
        tc.append(p)
        tr.append(tc)
    assert _row_twips(tr, em) == ROW_MARGINS + 3 * em * LINE_HEIGHT
