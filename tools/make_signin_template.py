"""Generate templates/signin.docx, the default template of the sign-in sheets (签到表).

One A4 page per session: the project's name, the title, and one table whose first rows (the
session's activity, date, place and staff, then the column headers) repeat on every page
the session's rows run onto. Its columns are the template's: a centre that must collect
another field (电话, say) adds a column to the table in Word or WPS, and every sheet has it.
Users restyle the result like the bulletin's template; the names it reads are the fields of
bulletin.signin.SigninContext. Run: python tools/make_signin_template.py [OUT]
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

sys.path.insert(0, str(Path(__file__).parent))
from make_template import (  # noqa: E402
    HEI,
    SONG,
    cant_split,
    narrow_cell_margins,
    para_style,
    repeat_header,
    set_doc_defaults,
    set_fonts,
    shade,
    tidy,
    v_align_center,
)

OUT = Path(__file__).resolve().parents[1] / "templates" / "signin.docx"
# 序号, 姓名, 单位, 签名: the text width of A4 less 20 mm margins.
WIDTHS_MM = (14, 36, 62, 58)
HEADERS = ("序号", "姓名", "单位", "签名")
# The session's lines above the column headers: label, placeholder.
FIELDS = (
    ("活动名称：", "{{ s.activity }}"),
    ("活动日期：", "{{ s.date }}"),
    ("地点/对象：", "{{ s.venue }}"),
    ("跟进人员：", "{{ s.staff }}"),
)
ROW_MM = 12  # a row tall enough for a handwritten signature; 15 fit under the headings
FIELD_MM = 8
HEADER_MM = 10


def _height(row, mm: float, exact: bool = True) -> None:
    row.height = Mm(mm)
    row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY if exact else WD_ROW_HEIGHT_RULE.AT_LEAST


def _frame(table) -> None:
    """A form's borders: 1.5 pt around the table, 0.5 pt between its cells."""
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "4" if side.startswith("inside") else "12")  # eighths of a point
        edge.set(qn("w:space"), "0")
        edge.set(qn("w:color"), "000000")
        borders.append(edge)
    # schema order: tblBorders after tblW, tblJc and tblInd, before tblLayout and tblCellMar
    later = [qn(f"w:{tag}") for tag in ("shd", "tblLayout", "tblCellMar", "tblLook")]
    following = next((el for el in table._tbl.tblPr if el.tag in later), None)
    if following is not None:
        following.addprevious(borders)
    else:
        table._tbl.tblPr.append(borders)


def _span(row) -> None:
    """Merge the row's cells into one across the table's width."""
    row.cells[0].merge(row.cells[-1])


def _table(doc):
    cols = len(HEADERS)
    rows = len(FIELDS) + 4  # the fields, the headers, the loop's start, its row, its end
    t = doc.add_table(rows=rows, cols=cols)
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for i, column in enumerate(t.columns):
        column.width = Mm(WIDTHS_MM[i])
    for row in t.rows:
        for i, cell in enumerate(row.cells):
            cell.width = Mm(WIDTHS_MM[i])
    narrow_cell_margins(t)
    _frame(t)
    tblw = t._tbl.tblPr.find(qn("w:tblW"))
    tblw.set(qn("w:type"), "dxa")
    tblw.set(qn("w:w"), str(int(sum(WIDTHS_MM) / 25.4 * 1440)))
    for r, (label, value) in enumerate(FIELDS):
        row = t.rows[r]
        _span(row)
        _height(row, FIELD_MM, exact=False)  # a long name takes a second line
        cell = row.cells[0]
        v_align_center(cell)
        para = cell.paragraphs[0]
        para.style = doc.styles["签到栏目"]
        set_fonts(para.add_run(label), HEI)
        para.add_run(value)
    head = t.rows[len(FIELDS)]
    _height(head, HEADER_MM)
    for cell, text in zip(head.cells, HEADERS, strict=True):
        cell.paragraphs[0].text = text
        cell.paragraphs[0].style = doc.styles["签到表头"]
        shade(cell)
        v_align_center(cell)
    start, body, end = t.rows[len(FIELDS) + 1 :]
    start.cells[0].paragraphs[0].text = "{%tr for n in s.rows %}"
    end.cells[0].paragraphs[0].text = "{%tr endfor %}"
    _height(body, ROW_MM)
    for i, cell in enumerate(body.cells):
        cell.paragraphs[0].style = doc.styles["签到序号" if i == 0 else "签到表格"]
        v_align_center(cell)
    body.cells[0].paragraphs[0].text = "{{ n }}"
    # The session's lines and the column headers repeat on each page of a long sheet; no
    # row is cut at a page's foot.
    for r, row in enumerate(t.rows):
        cant_split(row)
        if r <= len(FIELDS):
            repeat_header(row)
    return t


def build(out: Path) -> None:
    doc = Document()
    set_doc_defaults(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(20))
    section.top_margin, section.bottom_margin = Mm(20), Mm(18)
    para_style(doc, "Normal", size=12)
    # Each sheet starts a page: its first line breaks before (not on the document's first page).
    project = para_style(
        doc, "签到项目", east_asia=SONG, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, line=1.2
    )
    project.paragraph_format.page_break_before = True  # in the schema's order
    para_style(
        doc,
        "签到标题",
        east_asia=HEI,
        size=22,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=10,
        line=1.2,
    )
    para_style(doc, "签到栏目", east_asia=SONG, size=12, line=1.2)
    para_style(doc, "签到表头", east_asia=HEI, size=12, align=WD_ALIGN_PARAGRAPH.CENTER, line=1.0)
    para_style(doc, "签到序号", east_asia=SONG, size=12, align=WD_ALIGN_PARAGRAPH.CENTER, line=1.0)
    para_style(doc, "签到表格", east_asia=SONG, size=12, line=1.0)
    # The body's last paragraph, after the last table: Word needs one there; 1 pt high, so
    # that a sheet filling its page does not push it onto a blank one.
    end = para_style(doc, "签到结尾", east_asia=SONG, size=1, line=1.0)
    end.paragraph_format.line_spacing = Pt(1)

    doc.add_paragraph("{%p for s in sheets %}", style="Normal")
    doc.add_paragraph("{{ name }}", style="签到项目")
    doc.add_paragraph("签 到 表", style="签到标题")
    _table(doc)
    doc.add_paragraph("{%p endfor %}", style="Normal")
    doc.add_paragraph("", style="签到结尾")
    doc.core_properties.title = "签到表"
    tidy(doc)
    doc.save(out)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    build(target)
    print(f"wrote {target}")
