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


def _table_document(
    rows: int, *, header: bool = True, merged: bool = False, tall: dict[int, int] | None = None
):
    """An A4 page (247 mm of text height) with an empty table and then a one-column table of
    one-line rows, a header first (repeated on each page) if asked; `tall` gives some rows
    more lines."""
    from docx import Document
    from docx.shared import Mm

    document = Document()
    section = document.sections[0]
    section.page_height, section.top_margin, section.bottom_margin = Mm(297), Mm(25), Mm(25)
    document.add_table(rows=0, cols=1)  # no rows: passed over
    table = document.add_table(rows=rows, cols=1)
    for n, row in enumerate(table.rows):
        row.cells[0].text = "\n".join(["第一行"] * (tall or {}).get(n, 1))
    if header:
        table.rows[0]._tr.get_or_add_trPr().append(ooxml.element("w:tblHeader"))
    if merged:  # the second and third rows' cells are one
        for n, val in ((1, "restart"), (2, None)):
            merge = ooxml.element("w:vMerge")
            if val:
                merge.set(qn("w:val"), val)
            table.rows[n]._tr.find(qn("w:tc")).get_or_add_tcPr().append(merge)
    return document, table


def _kept(table) -> list[int]:
    """The rows kept with the next one: every paragraph of theirs has the mark."""
    return [
        n
        for n, row in enumerate(table.rows)
        if all(
            p.find(qn("w:pPr") + "/" + qn("w:keepNext")) is not None
            for p in row._tr.iter(qn("w:p"))
        )
    ]


@pytest.mark.parametrize(
    ("rows", "header", "merged", "kept"),
    [
        (6, True, False, [0, 1, 2, 3, 4]),  # a short table is kept whole
        (7, True, False, [0, 1, 2, 3, 4, 5]),  # six rows under the header: still short
        (8, True, False, [0, 1, 2, 5, 6]),  # the header and two rows; the two before the last
        (11, True, False, [0, 1, 2, 8, 9]),
        (7, False, False, [0, 1, 4, 5]),  # seven rows, no header
        (11, True, True, [0, 8, 9]),  # merged cells: the header, and the end
        (3, True, True, [0, 1]),
        (2, True, False, [0]),
        (1, True, False, []),  # a header alone keeps with nothing
    ],
)
def test_a_table_neither_begins_nor_ends_with_a_lone_row(rows, header, merged, kept) -> None:
    from bulletin.wordtables import keep_table_ends

    document, table = _table_document(rows, header=header, merged=merged)
    keep_table_ends(document)
    assert _kept(table) == kept


@pytest.mark.parametrize(
    ("row", "lines", "kept"),
    [
        # a sixth of the page (2334 twips) holds a one-line row and one of 4 lines, not 5
        (2, 4, [0, 1, 2, 8, 9]),
        (2, 5, [0, 8, 9]),
        # half the page (7001 twips) holds a one-line row and one of 17 lines, not 18
        (9, 17, [0, 1, 2, 8, 9]),
        (9, 18, [0, 1, 2]),
    ],
)
def test_tall_rows_are_not_kept_together(row: int, lines: int, kept: list[int]) -> None:
    """Keeping tall rows together would leave half a page empty: the first rows keep with
    the next while the two take a sixth of the page, the last ones while they take half."""
    from bulletin.wordtables import keep_table_ends

    document, table = _table_document(11, tall={row: lines})
    keep_table_ends(document)
    assert _kept(table) == kept


def test_a_tables_text_size_is_its_last_rows() -> None:
    """A table set in a small size (its last row's style, 7 pt) has shorter lines: a row of
    6 lines keeps with its neighbours, as it would not at the default 10.5 pt."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    from bulletin.wordtables import keep_table_ends

    document, table = _table_document(11, tall={2: 6})
    small = document.styles.add_style("小字", WD_STYLE_TYPE.PARAGRAPH)
    small.font.size = Pt(7)
    for p in table.rows[-1].cells[0].paragraphs:
        p.style = small
    keep_table_ends(document)
    assert _kept(table) == [0, 1, 2, 8, 9]


@pytest.mark.parametrize(
    ("needs", "total", "widths"),
    [
        # room for every column's full width: the rest shared in proportion to those widths
        ([(2, 4), (3, 3)], 10, [4 + 3 * 4 / 7, 3 + 3 * 3 / 7]),
        # room for the least widths only: the spare goes to the columns with more to say
        ([(2, 6), (2, 4)], 8, [2 + 4 * 4 / 6, 2 + 4 * 2 / 6]),
        ([(3, 5), (1, 2)], 4.5, [3 + 0.5 * 2 / 3, 1 + 0.5 / 3]),
        # not even the least widths: those, shrunk together
        ([(3, 5), (1, 2)], 2, [1.5, 0.5]),
        ([(0, 0), (0, 0), (0, 0)], 6, [2, 2, 2]),  # empty columns share alike
    ],
)
def test_columns_share_the_text_width(needs, total, widths) -> None:
    from bulletin.wordtables import column_widths

    assert column_widths(needs, total) == pytest.approx(widths)
    assert sum(widths) == pytest.approx(total)


@pytest.mark.parametrize(
    ("header", "lines", "split"),
    [
        # A4 text height 14,003 twips: a row is split when it would take more than nine
        # tenths of what a page holds under its header (a line is 365 twips, a row's margins 120)
        (0, 33, False),
        (0, 34, True),
        (10, 24, False),  # a header of ten lines leaves room for less
        (10, 25, True),
    ],
)
def test_a_row_is_split_when_it_would_fill_a_page(header: int, lines: int, split: bool) -> None:
    from docx.oxml.ns import qn as _qn

    from bulletin.wordtables import split_tall_rows

    document, table = _table_document(3, header=bool(header), tall={0: header or 1, 1: lines})
    merged = document.tables[0]  # a table with merged cells before it is passed over
    merged.add_row()
    merged.rows[0]._tr.find(_qn("w:tc")).get_or_add_tcPr().append(ooxml.element("w:vMerge"))
    split_tall_rows(document, "（续）")
    assert (len(table.rows) > 3) == split  # into parts of a third of a page each
    assert len(table.rows[0]._tr.findall(".//" + _qn("w:br"))) + 1 == (header or 1)


def test_fitted_widths_are_written_where_word_and_libreoffice_read_them() -> None:
    """The table's width is the sum of its columns, and each cell is as wide as its
    column, all in twips (dxa): Word reads the cells, LibreOffice the grid."""
    from docx.oxml.ns import qn as _qn

    from bulletin.wordtables import fit_columns

    document, table = _table_document(3)
    wide = document.add_table(rows=2, cols=3)
    for n, cell in enumerate(wide.rows[1].cells):
        cell.text = "字" * (4 * n + 2)
    fit_columns(document)
    tbl = wide._tbl
    grid = [int(c.get(_qn("w:w"))) for c in tbl.tblGrid.findall(_qn("w:gridCol"))]
    assert grid[0] < grid[1] < grid[2]  # the longer text, the wider
    tbl_w = tbl.tblPr.find(_qn("w:tblW"))
    assert (tbl_w.get(_qn("w:type")), int(tbl_w.get(_qn("w:w")))) == ("dxa", sum(grid))
    for tr in tbl.findall(_qn("w:tr")):
        widths = [tc.find(_qn("w:tcPr") + "/" + _qn("w:tcW")) for tc in tr.findall(_qn("w:tc"))]
        assert [(w.get(_qn("w:type")), int(w.get(_qn("w:w")))) for w in widths] == [
            ("dxa", g) for g in grid
        ]


def test_rows_joined_by_a_merged_cell_keep_together() -> None:
    """Each row of a merged group but its last keeps with the next; rows outside a group
    (and the group's last) do not. `continue` is the merge's default value, written or not."""
    from bulletin.wordtables import fit_columns

    document, table = _table_document(7, header=False)
    document.tables[0]._tbl.getparent().remove(document.tables[0]._tbl)  # only this table
    merges = {1: "restart", 2: None, 3: "continue", 5: "restart", 6: None}
    for n, val in merges.items():
        merge = ooxml.element("w:vMerge")
        if val:
            merge.set(qn("w:val"), val)
        table.rows[n]._tr.find(qn("w:tc")).get_or_add_tcPr().append(merge)
    fit_columns(document)
    assert _kept(table) == [1, 2, 5]


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        (
            "中山市火炬开发区精密电子科技股份有限公司",
            8,
            ["中山市火炬开发区", "精密电子科技", "股份有限公司"],
        ),
        (
            "中山市火炬开发区精密电子科技股份有限公司",
            6,
            ["中山市", "火炬开发区", "精密电子科技", "股份有限公司"],
        ),
        ("中山市总工会", 6, ["中山市总工会"]),  # fits exactly
        ("中山市总工会", 5.5, ["中山市", "总工会"]),
        ("中山市精密电子科技有限公司", 3, ["中山市精密电子科技有限公司"]),  # breaks anyway
    ],
)
def test_a_name_wider_than_its_column_goes_onto_lines_between_its_words(
    text: str, width: float, lines: list[str]
) -> None:
    """Explicit line breaks between the name's pieces, each new line's text kept with its
    spaces (xml:space="preserve"); a line before it that fits is left alone."""
    from bulletin.wording import builtin_wording
    from bulletin.wordtables import BreakRules, _break_lines

    wording = builtin_wording()
    rules = BreakRules(*(tuple(wording.say(key).split()) for key in ("name_ends", "place_ends")))
    tc = _cell(None)
    for line in ("短", text):
        p, r, t = (ooxml.element(tag) for tag in ("w:p", "w:r", "w:t"))
        t.text = line
        r.append(t)
        p.append(r)
        tc.append(p)
    _break_lines(tc, width, rules)
    last = tc.findall(qn("w:p"))[-1]
    got = "".join(
        "\n" if el.tag == qn("w:br") else el.text for el in last.iter(qn("w:t"), qn("w:br"))
    )
    assert got.split("\n") == lines
    assert tc.find(qn("w:p")).find(".//" + qn("w:t")).text == "短"
    space = "{http://www.w3.org/XML/1998/namespace}space"
    assert all(
        t.get(space) == "preserve"
        for t in last.iter(qn("w:t"))
        if t is not last.find(".//" + qn("w:t"))
    )


def test_tables_after_one_merged_across_columns_are_fitted_even_when_they_overflow() -> None:
    """A table with cells merged across columns keeps the template's widths; the tables
    after it are fitted all the same, and so is one whose words cannot all fit: its columns
    share the text width, in twips."""
    from docx.oxml.ns import qn as _qn

    from bulletin.wordtables import fit_columns

    document, _ = _table_document(1)
    merged = document.add_table(rows=2, cols=2)
    merged.cell(0, 0).merge(merged.cell(0, 1))
    crowded = document.add_table(rows=2, cols=12)
    for cell in crowded.rows[1].cells:
        cell.text = "中山市火炬开发区精密电子科技股份有限公司职工服务中心"
    before = merged._tbl.tblPr.find(_qn("w:tblW")).get(_qn("w:type"))
    fit_columns(document)
    assert merged._tbl.tblPr.find(_qn("w:tblW")).get(_qn("w:type")) == before != "dxa"
    section = document.sections[0]
    text_width = (section.page_width - section.left_margin - section.right_margin) / 635
    tbl_w = crowded._tbl.tblPr.find(_qn("w:tblW"))
    assert tbl_w.get(_qn("w:type")) == "dxa"
    assert abs(int(tbl_w.get(_qn("w:w"))) - text_width) <= 12  # whole twips per column


def test_a_cells_lines_are_its_paragraphs_split_at_line_breaks() -> None:
    """Runs of one paragraph join into one line; a line break starts another line."""
    from bulletin.wordtables import _cell_lines

    tc = _cell(None)
    for runs in (["工会", "社工"], ["第一行", None, "第二行"]):
        p = ooxml.element("w:p")
        for text in runs:
            r = ooxml.element("w:r")
            if text is None:
                r.append(ooxml.element("w:br"))
            else:
                t = ooxml.element("w:t")
                t.text = text
                r.append(t)
            p.append(r)
        tc.append(p)
    assert _cell_lines(tc) == ["工会社工", "第一行", "第二行"]


def _rules():
    from bulletin.wording import builtin_wording
    from bulletin.wordtables import BreakRules

    wording = builtin_wording()
    return BreakRules(*(tuple(wording.say(key).split()) for key in ("name_ends", "place_ends")))


@pytest.mark.parametrize(
    ("lines", "header", "short", "needs"),
    [
        ([""], False, 5.0, (0.0, 0.0)),  # an empty cell asks for nothing
        ([""], True, 5.0, (0.0, 0.0)),
        (["序号"], True, 5.0, (2.0, 2.0)),
        (["一二三四五六"], True, 5.0, (6.0, 6.0)),  # a header of six characters stays whole
        (["一二三四五六七"], True, 5.0, (4.0, 7.0)),  # a longer one may take two lines
        (["一二三四五六七八九"], True, 5.0, (5.0, 9.0)),
        (["一二三", "四五六七八"], False, 5.0, (5.0, 5.0)),  # short lines stay whole
        (["工会 社工"], False, None, (4.3, 4.3)),  # short, exactly: whole, not at its space
        (["工会 社工"], False, 3.0, (2.0, 4.3)),  # longer: onto lines at its space
        (["字" * 12], False, 5.0, (8.0, 12.0)),  # long text: a column of at least eight ems
        (["字" * 6], False, 5.0, (6.0, 6.0)),
    ],
)
def test_a_cells_least_and_preferred_widths(lines, header, short, needs) -> None:
    from bulletin.wordtables import _needs, text_ems

    short = text_ems(lines[0]) if short is None else short
    assert _needs(lines, header, short, _rules()) == pytest.approx(needs)


def test_a_header_rows_words_wrap_where_a_bodys_would_not() -> None:
    """The same two-column table, its first row marked as the repeated header or not: a long
    header over short entries goes onto two lines and its column is narrower than when the
    same words are an entry, which keeps them on one line."""
    from docx import Document

    from bulletin.wordtables import fit_columns

    def widths(header: bool) -> list[int]:
        document = Document()
        table = document.add_table(rows=3, cols=2)
        table.rows[0].cells[0].text = "服务对象类别名称"
        table.rows[0].cells[1].text = "说明"
        for row in table.rows[1:]:
            row.cells[0].text, row.cells[1].text = "职工", "字" * 60
        if header:
            table.rows[0]._tr.get_or_add_trPr().append(ooxml.element("w:tblHeader"))
        fit_columns(document)
        return [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]

    as_header, as_entry = widths(True), widths(False)
    assert as_header[0] < as_entry[0]


def test_over_the_width_the_column_with_long_text_gives_up_its_short_lines_first() -> None:
    """Four columns too wide for the page: the activities' column, which already has a name
    too long for one line, narrows first; the companies' column, of names that fit on a
    line, keeps its width (that of the addresses' column beside it)."""
    from docx import Document

    from bulletin.wordtables import fit_columns

    document = Document()
    table = document.add_table(rows=3, cols=4)
    for row, name in zip(table.rows, ("名" * 12, "名" * 30, "名" * 12), strict=True):
        for cell, text in zip(row.cells, (name, "司" * 13, "址" * 13, "人" * 3), strict=True):
            cell.text = text
    fit_columns(document)
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert grid[0] < grid[1] == grid[2]
