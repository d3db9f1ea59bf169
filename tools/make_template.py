"""Generate templates/bulletin.docx, the default Word template.

Users restyle the result in Word or WPS; this script only exists so that the default
template can be rebuilt from a readable description. Run: python tools/make_template.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

SONG = "宋体"
HEI = "黑体"
KAI = "楷体"
LATIN = "Times New Roman"
LATIN_SANS = "Arial"  # digits and Latin letters inside 黑体 text: a sans face too
MARK = "◎"
TEXT_WIDTH = Mm(210 - 2 * 28)  # A4 less the left and right margins
CELL_MARGIN = 57  # twips (1 mm): a table cell's left and right margin
RED = RGBColor(0xC0, 0x00, 0x00)


def set_fonts(style_or_run, east_asia: str, latin: str = LATIN) -> None:
    """Set explicit fonts, East Asian included, and drop theme fonts that would override."""
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)


def para_style(
    doc,
    name,
    *,
    base="Normal",
    east_asia=SONG,
    size=12,
    bold=False,
    align=None,
    indent_chars=0,
    left_chars=0,
    before=0,
    after=0,
    color=None,
    outline=None,
    keep_next=False,
    line=1.5,
):
    styles = doc.styles
    style = (
        styles[name]
        if name in [s.name for s in styles]
        else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    )
    if name != "Normal":
        style.base_style = styles[base]
    set_fonts(style, east_asia, LATIN_SANS if east_asia == HEI else LATIN)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = color or RGBColor(0, 0, 0)
    pf = style.paragraph_format
    pf.alignment = align
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    pf.line_spacing = line
    pf.keep_with_next = keep_next
    ppr = style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    ind = ppr.find(qn("w:ind"))
    if ind is not None:
        ppr.remove(ind)
    if indent_chars:
        ind = OxmlElement("w:ind")
        # firstLineChars is in hundredths of a character: 200 = two characters.
        ind.set(qn("w:firstLineChars"), str(indent_chars * 100))
        ind.set(qn("w:firstLine"), str(int(indent_chars * size * 20)))
        ppr.append(ind)
    if left_chars:
        # Every line of the paragraph starts at the same place: a long contents entry's
        # second line sits under its first, not at the margin.
        ind = OxmlElement("w:ind")
        ind.set(qn("w:leftChars"), str(left_chars * 100))
        ind.set(qn("w:left"), str(int(left_chars * size * 20)))
        ppr.append(ind)
    for old in ppr.findall(qn("w:outlineLvl")):
        ppr.remove(old)
    if outline is not None:
        lvl = OxmlElement("w:outlineLvl")
        lvl.set(qn("w:val"), str(outline))
        ppr.append(lvl)
    return style


def set_doc_defaults(doc) -> None:
    """Chinese as the East Asian language, so Word picks Chinese line breaking and fonts."""
    rpr_default = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        rpr.remove(fonts)
    fonts = OxmlElement("w:rFonts")
    fonts.set(qn("w:ascii"), LATIN)
    fonts.set(qn("w:hAnsi"), LATIN)
    fonts.set(qn("w:eastAsia"), SONG)
    fonts.set(qn("w:cs"), LATIN)
    rpr.insert(0, fonts)


def add_page_number(section) -> None:
    """Centred '— N —' page numbers; the cover (first page) has none."""
    section.different_first_page_header_footer = True
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run("— ")
    set_fonts(run, SONG)
    for kind, text in (
        ("begin", None),
        (None, " PAGE "),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        r = p.add_run()
        set_fonts(r, SONG)
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            r._r.append(fld)
        elif text.strip() == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            r._r.append(instr)
        else:
            r.text = text
    run = p.add_run(" —")
    set_fonts(run, SONG)


def shade(cell, fill="D9D9D9") -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def repeat_header(row) -> None:
    """The row repeats on every page: the bare element, as Office writes it."""
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:tblHeader"))


def cant_split(row) -> None:
    """A row never breaks across pages (schema order: cantSplit before tblHeader)."""
    trpr = row._tr.get_or_add_trPr()
    trpr.insert(0, OxmlElement("w:cantSplit"))


def narrow_cell_margins(table) -> None:
    """Cell margins of 1 mm left and right: room for names and dates to stay on one line, and
    what the column fitting in bulletin/render.py assumes."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), str(CELL_MARGIN))
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    look = table._tbl.tblPr.find(qn("w:tblLook"))  # schema order: tblCellMar before tblLook
    if look is not None:
        look.addprevious(margins)
    else:
        table._tbl.tblPr.append(margins)


def v_align_center(cell) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    v = OxmlElement("w:vAlign")
    v.set(qn("w:val"), "center")
    tcpr.append(v)


def table(doc, headers, widths_mm, cells, loop, endloop="{%tr endfor %}"):
    """A bordered table: header row, a loop row of `cells`, and the loop's end row.

    `cells` are (text, style) pairs; docxtpl repeats the middle row once per item.
    """
    t = doc.add_table(rows=3, cols=len(headers))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for i, column in enumerate(t.columns):
        column.width = Mm(widths_mm[i])  # the grid, which LibreOffice and WPS follow
    for row in t.rows:
        for i, cell in enumerate(row.cells):
            cell.width = Mm(widths_mm[i])
    narrow_cell_margins(t)
    tblw = t._tbl.tblPr.find(qn("w:tblW"))
    tblw.set(qn("w:type"), "dxa")
    tblw.set(qn("w:w"), str(int(sum(widths_mm) / 25.4 * 1440)))
    head = t.rows[0]
    repeat_header(head)
    for cell, text in zip(head.cells, headers, strict=True):
        cell.paragraphs[0].text = text
        cell.paragraphs[0].style = doc.styles["表头"]
        shade(cell)
        v_align_center(cell)
    t.rows[1].cells[0].paragraphs[0].text = loop
    t.rows[1].cells[0].paragraphs[0].style = doc.styles["表格文字"]
    for cell, (text, style) in zip(t.rows[2].cells, cells, strict=True):
        cell.paragraphs[0].text = text
        cell.paragraphs[0].style = doc.styles[style]
        v_align_center(cell)
    # The end-of-loop row: docxtpl removes it with its tag.
    row = t.add_row()
    row.cells[0].paragraphs[0].text = endloop
    for row in t.rows:
        cant_split(row)
    # Move the loop start above the content row: rows are header, start, content, end.
    return t


def p(doc, text, style):
    para = doc.add_paragraph(text)
    para.style = doc.styles[style]
    return para


def tag(doc, text):
    return p(doc, text, "Normal")


def marked(doc, text, style):
    """'◎ text ◎': both marks in runs of their own with the same explicit East Asian face,
    so Word and LibreOffice print them alike (◎ counts as Latin or Asian by its neighbours)."""
    para = doc.add_paragraph(style=doc.styles[style])
    east_asia = doc.styles[style].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))
    for piece in (MARK, f" {text} ", MARK):
        run = para.add_run(piece)
        if piece == MARK:
            set_fonts(run, east_asia, east_asia)
            run.element.rPr.find(qn("w:rFonts")).set(qn("w:hint"), "eastAsia")
    return para


def build(out: Path) -> None:
    doc = Document()
    set_doc_defaults(doc)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin = sec.bottom_margin = Mm(25.4)
    sec.left_margin = sec.right_margin = Mm(28)
    sec.footer_distance = Mm(12)

    para_style(doc, "Normal", size=12, line=1.5)
    para_style(
        doc,
        "Title",
        east_asia=HEI,
        size=32,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        before=120,
        after=24,
        color=RED,
        line=1.2,
    )
    para_style(
        doc,
        "封面期号",
        east_asia=SONG,
        size=18,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=12,
        line=1.2,
    )
    para_style(doc, "封面日期", east_asia=SONG, size=16, align=WD_ALIGN_PARAGRAPH.CENTER, line=1.2)
    para_style(
        doc,
        "TOC Heading",
        east_asia=HEI,
        size=18,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=18,
        line=1.2,
    )
    # Word's own contents styles (toc 1, toc 2): each entry ends in its page number, at a
    # right tab with dot leaders; the renderer links entries to their headings.
    for name in ("toc 1", "toc 2"):
        if name == "toc 1":
            para_style(doc, name, east_asia=HEI, size=14, bold=True, before=10, after=2)
        else:
            para_style(doc, name, east_asia=SONG, size=12, left_chars=2, after=2, line=1.3)
        style = doc.styles[name]
        style.element.attrib.pop(qn("w:customStyle"), None)  # Word's built-in style
        style.style_id = name.upper().replace(" ", "")  # TOC1, as Word names it
        style.paragraph_format.tab_stops.add_tab_stop(
            TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )
    para_style(
        doc,
        "Heading 1",
        east_asia=HEI,
        size=16,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        before=18,
        after=12,
        color=RED,
        outline=0,
        keep_next=True,
        line=1.2,
    )
    para_style(
        doc,
        "Heading 2",
        east_asia=HEI,
        size=14,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        before=12,
        after=6,
        outline=1,
        keep_next=True,
        line=1.3,
    )
    para_style(
        doc,
        "Heading 3",
        east_asia=HEI,
        size=12,
        bold=True,
        before=6,
        after=6,
        outline=2,
        keep_next=True,
        line=1.3,
    )
    para_style(
        doc,
        "Subtitle",
        east_asia=KAI,
        size=12,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
        after=6,
        keep_next=True,
        line=1.3,
    )
    para_style(doc, "Body Text", size=12, indent_chars=2, line=1.5)
    para_style(doc, "署名", east_asia=KAI, size=12, align=WD_ALIGN_PARAGRAPH.RIGHT, after=6)
    para_style(
        doc, "图片", size=12, align=WD_ALIGN_PARAGRAPH.CENTER, before=6, line=1.0, keep_next=True
    )
    para_style(
        doc, "Caption", east_asia=KAI, size=10.5, align=WD_ALIGN_PARAGRAPH.CENTER, after=6, line=1.2
    )
    para_style(
        doc,
        "表题",
        east_asia=HEI,
        size=12,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        before=6,
        after=6,
        keep_next=True,
        line=1.3,
    )
    para_style(
        doc, "表头", east_asia=HEI, size=10.5, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, line=1.2
    )
    para_style(doc, "表格文字", size=10.5, align=WD_ALIGN_PARAGRAPH.CENTER, line=1.2)
    para_style(doc, "表格正文", size=10.5, align=WD_ALIGN_PARAGRAPH.LEFT, line=1.2)

    # ---- cover
    for _ in range(3):
        p(doc, "", "封面日期")
    p(doc, "{{ project_name }} 简报", "Title")
    p(doc, "第 {{ issue }} 期", "封面期号")
    p(doc, "{{ cover_month }}", "封面日期")
    p(doc, "", "Normal").add_run().add_break(WD_BREAK.PAGE)

    # ---- contents
    p(doc, "目  录", "TOC Heading")
    tag(doc, "{%p for entry in toc %}")
    marked(doc, "{{ entry.section }}", "toc 1")
    tag(doc, "{%p for title in entry.titles %}")
    p(doc, "{{ title }}", "toc 2")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    p(doc, "", "Normal").add_run().add_break(WD_BREAK.PAGE)

    # ---- overview
    marked(doc, "本月速览", "Heading 1")
    tag(doc, "{%p for line in overview %}")
    p(doc, "{{ line }}", "Body Text")
    tag(doc, "{%p endfor %}")

    # ---- article sections
    tag(doc, "{%p for section in sections %}")
    marked(doc, "{{ section.title }}", "Heading 1")
    tag(doc, "{%p for article in section.articles %}")
    p(doc, "{{ article.title }}", "Heading 2")
    tag(doc, "{%p if article.subtitle %}")
    p(doc, "——{{ article.subtitle }}", "Subtitle")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for para in article.paragraphs %}")
    p(doc, "{{ para }}", "Body Text")
    tag(doc, "{%p endfor %}")
    tag(doc, '{%p if article.table == "wishes" %}')
    p(doc, "{{ wishes_caption }}", "表题")
    table(
        doc,
        ["序号", "职工姓名", "职工情况", "小心愿"],
        [14, 22, 90, 38],
        [
            ("{{ w.no }}", "表格文字"),
            ("{{ w.name }}", "表格文字"),
            ("{{ w.situation }}", "表格正文"),
            ("{{ w.wish }}", "表格文字"),
        ],
        "{%tr for w in wishes %}",
    )
    tag(doc, "{%p endif %}")
    tag(doc, '{%p if article.table == "visits" %}')
    p(doc, "{{ visits_caption }}", "表题")
    table(
        doc,
        ["序号", "时间", "探访对象", "镇区", "电访/走访"],
        [14, 40, 36, 40, 34],
        [
            ("{{ v.no }}", "表格文字"),
            ("{{ v.date }}", "表格文字"),
            ("{{ v.name }}", "表格文字"),
            ("{{ v.town }}", "表格文字"),
            ("{{ v.mode }}", "表格文字"),
        ],
        "{%tr for v in visit_rows %}",
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for image in article.images %}")
    p(doc, "{{ image.picture }}", "图片")
    tag(doc, "{%p if image.caption %}")
    p(doc, "{{ image.caption }}", "Caption")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if article.author %}")
    p(doc, "（文：{{ article.author }}）", "署名")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")

    # ---- summary tables
    marked(doc, "服务汇总", "Heading 1")
    p(doc, "{{ summary_title }}", "Heading 2")
    p(doc, "一、服务汇总表", "Heading 3")
    tag(doc, "{%p if service_rows %}")
    table(
        doc,
        ["序号", "时间", "内容", "地点"],
        [14, 30, 70, 50],
        [
            ("{{ r.no }}", "表格文字"),
            ("{% vmerge r.merge_time %}{{ r.time }}", "表格文字"),
            ("{{ r.content }}", "表格文字"),
            ("{{ r.place }}", "表格文字"),
        ],
        "{%tr for r in service_rows %}",
    )
    tag(doc, "{%p else %}")
    p(doc, "{{ summary_empty }}", "Body Text")
    tag(doc, "{%p endif %}")
    p(doc, "二、困难职工探访汇总表", "Heading 3")
    p(doc, "{{ visits_sentence }}", "Body Text").paragraph_format.keep_with_next = True
    tag(doc, "{%p if visit_rows %}")
    table(
        doc,
        ["序号", "时间", "探访对象", "镇区", "电访/走访"],
        [14, 40, 36, 40, 34],
        [
            ("{{ v.no }}", "表格文字"),
            ("{{ v.date }}", "表格文字"),
            ("{{ v.name }}", "表格文字"),
            ("{{ v.town }}", "表格文字"),
            ("{{ v.mode }}", "表格文字"),
        ],
        "{%tr for v in visit_rows %}",
    )
    tag(doc, "{%p endif %}")

    # ---- the optional indicators table (project.yaml progress_table: true)
    tag(doc, "{%p if progress_rows %}")
    p(doc, "三、指标进度", "Heading 3")
    p(doc, "合同期“{{ progress_period }}”截至本月的指标完成情况：", "Body Text")
    table(
        doc,
        ["序号", "指标", "目标", "累计完成", "完成率", "状态"],
        [14, 70, 20, 22, 22, 16],
        [
            ("{{ i.no }}", "表格文字"),
            ("{{ i.name }}", "表格文字"),
            ("{{ i.target }}", "表格文字"),
            ("{{ i.actual }}", "表格文字"),
            ("{{ i.percent }}", "表格文字"),
            ("{{ i.status }}", "表格文字"),
        ],
        "{%tr for i in progress_rows %}",
    )
    tag(doc, "{%p endif %}")

    # ---- plan
    marked(doc, "服务预告", "Heading 1")
    p(doc, "{{ plan_title }}", "Heading 2")
    tag(doc, "{%p if plan_rows %}")
    table(
        doc,
        ["活动名称", "地点/对象", "计划完成\n时间", "跟进人员", "内容"],
        [34, 38, 22, 22, 48],
        [
            ("{% vmerge r.merge_name %}{{ r.name }}", "表格文字"),
            ("{{ r.target }}", "表格文字"),
            ("{% vmerge r.merge_due %}{{ r.due }}", "表格文字"),
            ("{% vmerge r.merge_staff %}{{ r.staff }}", "表格文字"),
            ("{% vmerge r.merge_name %}{{ r.content }}", "表格正文"),
        ],
        "{%tr for r in plan_rows %}",
    )
    tag(doc, "{%p else %}")
    p(doc, "{{ plan_empty }}", "Body Text")
    tag(doc, "{%p endif %}")

    add_page_number(sec)
    sec.start_type = WD_SECTION.NEW_PAGE
    props = doc.core_properties
    props.title = "{{ project_name }}简报 第 {{ issue }} 期 {{ month_label }}"
    props.author = "{{ organisation }}"
    props.last_modified_by = ""
    props.comments = ""
    props.keywords = ""
    props.subject = "{{ organisation }}{{ cover_month }}服务简报"
    props.revision = 1
    _fix_loop_rows(doc)
    _drop_thumbnail(doc)
    tidy(doc)
    doc.save(out)


# Word's built-in styles a centre expects to find in the template (to restyle or apply),
# kept even where the default document does not use them.
BUILT_INS = (
    *("Normal", "Default Paragraph Font", "Normal Table", "No List", "Table Grid"),
    *("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Body Text", "Caption"),
    *("toc 1", "toc 2", "header", "footer"),
)
_THEME_FONTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def tidy(doc) -> None:
    """Leave out what python-docx's default document brings and the template does not use:
    the stylesWithEffects part (Word 2010's copy of the styles), every style neither used
    nor in BUILT_INS (heading 4-9, the *Char styles, the LightGrid and MediumList tables),
    and every reference to the theme's fonts, which WPS reports as missing fonts. A style
    left without fonts of its own takes the explicit ones of its base or of the defaults."""
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.rels.pop(rid)
    styles = doc.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    names = {sid: s.find(qn("w:name")).get(qn("w:val")) for sid, s in by_id.items()}
    built_in = {name.lower() for name in BUILT_INS}
    wanted = {sid for sid, name in names.items() if name.lower() in built_in}
    wanted |= _styles_used(doc)
    todo = list(wanted)
    while todo:  # what a kept style is based on, or is followed by, is kept too
        style = by_id.get(todo.pop())
        for tag in ("w:basedOn", "w:next"):
            ref = style.find(qn(tag)) if style is not None else None
            if ref is not None and ref.get(qn("w:val")) not in wanted:
                wanted.add(ref.get(qn("w:val")))
                todo.append(ref.get(qn("w:val")))
    for sid, style in by_id.items():
        if sid not in wanted:
            styles.remove(style)
            continue
        link = style.find(qn("w:link"))
        if link is not None and link.get(qn("w:val")) not in wanted:
            style.remove(link)
    for fonts in styles.iter(qn("w:rFonts")):
        for attr in _THEME_FONTS:
            fonts.attrib.pop(qn(attr), None)
        if not fonts.attrib:
            fonts.getparent().remove(fonts)


def _styles_used(doc) -> set[str]:
    """The ids of the styles the document's parts apply (body, headers and footers)."""
    used = set()
    tags = {qn("w:pStyle"), qn("w:rStyle"), qn("w:tblStyle")}
    for part in doc.part.package.parts:
        element = getattr(part, "element", None)
        if element is None or element is doc.styles.element:
            continue
        used |= {el.get(qn("w:val")) for el in element.iter(*tags)}
    return used


def _drop_thumbnail(doc) -> None:
    """python-docx's default document carries a blank preview picture; the template has none."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    rels = doc.part.package.rels
    for rid, rel in list(rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            rels.pop(rid)


def _fix_loop_rows(doc) -> None:
    """Each loop table was made as header / loop-start / content / end rows: clear the
    extra cells of the loop-start and end rows so they hold only their tag."""
    for t in doc.tables:
        for row in (t.rows[1], t.rows[3]):
            for cell in row.cells[1:]:
                cell.paragraphs[0].text = ""


if __name__ == "__main__":
    target = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).parents[1] / "templates" / "bulletin.docx"
    )
    build(target)
    print(f"wrote {target}")
