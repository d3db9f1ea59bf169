"""Generate templates/report.docx, the default template of the period report.

Users restyle the result in Word or WPS, like the bulletin's template; the names it reads
are the fields of bulletin.report.ReportContext. Run: python tools/make_report_template.py [OUT]
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Mm

sys.path.insert(0, str(Path(__file__).parent))
from make_template import (  # noqa: E402
    HEI,
    KAI,
    RED,
    SONG,
    add_page_number,
    cant_split,
    narrow_cell_margins,
    para_style,
    repeat_header,
    set_doc_defaults,
    tidy,
)

OUT = Path(__file__).resolve().parents[1] / "templates" / "report.docx"


def table(doc, headers: list[str], cells: list[str], loop: str, total: list[str] | None = None):
    """A bordered table: a header row, one row repeated by `loop` (docxtpl's {%tr %}),
    and an optional last row."""
    rows = [headers, [f"{{%tr for {loop} %}}"] + [""] * (len(headers) - 1), cells]
    rows.append(["{%tr endfor %}"] + [""] * (len(headers) - 1))
    if total:
        rows.append(total)
    t = doc.add_table(rows=len(rows), cols=len(headers))
    t.style = "Table Grid"
    # The header row: repeated on every page, and never broken inside a word.
    repeat_header(t.rows[0])
    # A record's row stays on one page: a row cut at the page's foot leaves an empty-looking
    # strip under the repeated header of the next.
    for r in range(1, len(rows)):
        cant_split(t.rows[r])
    narrow_cell_margins(t)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = t.cell(r, c)
            cell.text = value
            cell.paragraphs[0].style = doc.styles["报告表头" if r == 0 else "报告表格"]
    doc.add_paragraph("", style="报告正文")
    return t


def otherwise(doc, sentence: str) -> None:
    """Close a `{%p if … %}` opened before a table: the sentence a section says instead when
    it has nothing to list."""
    doc.add_paragraph("{%p else %}", style="报告正文")
    doc.add_paragraph(sentence, style="报告正文")
    doc.add_paragraph("{%p endif %}", style="报告正文")


def page_setup(doc):
    """A4 with the report's margins; returns the section."""
    set_doc_defaults(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(25))
    return section


def styles(doc) -> None:
    """The report's paragraph styles, which the evaluation pack's index shares."""
    para_style(doc, "Normal", size=12)
    para_style(
        doc,
        "报告封面",
        east_asia=HEI,
        size=26,
        bold=True,
        color=RED,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        before=120,
        after=24,
    )
    para_style(doc, "报告副题", east_asia=KAI, size=16, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    para_style(
        doc,
        "报告标题",
        east_asia=HEI,
        size=16,
        bold=True,
        before=18,
        after=8,
        outline=0,
        keep_next=True,
    )
    para_style(
        doc, "报告小标题", east_asia=HEI, size=12, bold=True, before=12, after=4, outline=1,
        keep_next=True,
    )  # fmt: skip
    para_style(doc, "报告正文", east_asia=SONG, size=12, indent_chars=2)
    # 小五 (9 pt) in tables, as Chinese reports set them: a month's nine figures fit the width
    # with no header or month broken inside a word.
    para_style(doc, "报告表头", east_asia=HEI, size=9, align=WD_ALIGN_PARAGRAPH.CENTER, line=1.2)
    para_style(doc, "报告表格", east_asia=SONG, size=9, line=1.2)


def build(out: Path) -> None:
    doc = Document()
    section = page_setup(doc)
    styles(doc)

    doc.add_paragraph("{{ name }}", style="报告封面")
    doc.add_paragraph("{{ title }}服务报告", style="报告副题")
    doc.add_paragraph("{{ span }}", style="报告副题")
    doc.add_paragraph("{{ as_of }}", style="报告副题")
    doc.add_paragraph("{{ organisation }}", style="报告副题")
    doc.add_paragraph("", style="报告正文").add_run().add_break(WD_BREAK.PAGE)

    doc.add_paragraph("一、合同指标完成情况", style="报告标题")
    doc.add_paragraph(
        "{% if indicators %}{{ period }}。{% else %}本期不在合同期内，或合同期没有指标。{% endif %}",
        style="报告正文",
    )
    doc.add_paragraph("{%p if indicators %}", style="报告正文")  # no empty table without
    table(
        doc,
        ["指标", "目标", "实际", "完成率", "应达", "状态"],
        [
            "{{ i.name }}",
            "{{ i.target }}",
            "{{ i.actual }}",
            "{{ i.percent }}",
            "{{ i.expected }}",
            "{{ i.status }}",
        ],
        "i in indicators",
    )
    doc.add_paragraph("{%p endif %}", style="报告正文")

    doc.add_paragraph("二、每月服务数据", style="报告标题")
    doc.add_paragraph(
        "{% if missing %}{{ missing }}没有数据，表中以“—”表示。{% endif %}"
        "{% if to_come %}{{ to_come }}尚未到来，不列入表和图。{% endif %}"
        "{% if after %}{{ after }}不计入本报告。{% endif %}",
        style="报告正文",
    )
    n = 10
    table(
        doc,
        [f"{{{{ headers[{k}] }}}}" for k in range(n)],
        [f"{{{{ row[{k}] }}}}" for k in range(n)],
        "row in months",
        [f"{{{{ total[{k}] }}}}" for k in range(n)],
    )
    doc.add_paragraph("{{ chart }}", style="报告表格").alignment = WD_ALIGN_PARAGRAPH.CENTER

    doc.add_paragraph("三、活动开展情况", style="报告标题")
    doc.add_paragraph("{%p if activities %}", style="报告正文")
    table(
        doc,
        ["月份", "活动名称", "类别", "日期", "场次", "人次", "满意度"],
        [
            "{{ a.month }}",
            "{{ a.name }}",
            "{{ a.kind }}",
            "{{ a.dates }}",
            "{{ a.sessions }}",
            "{{ a.participants }}",
            "{{ a.satisfaction }}",
        ],
        "a in activities",
    )
    otherwise(doc, "本期没有记录活动。")

    doc.add_paragraph("四、服务计划执行情况", style="报告标题")
    doc.add_paragraph("{%p if plans %}", style="报告正文")
    table(
        doc,
        ["月份", "计划项", "完成", "未完成", "未完成的项目"],
        [
            "{{ p.month }}",
            "{{ p.planned }}",
            "{{ p.done }}",
            "{{ p.not_done }}",
            "{{ p.not_done_items }}",
        ],
        "p in plans",
    )
    otherwise(doc, "本期各月都没有上一个月发布的服务预告可以对照。")

    doc.add_paragraph("五、简报文章", style="报告标题")
    doc.add_paragraph("{%p if articles %}", style="报告正文")
    table(doc, ["月份", "标题"], ["{{ a.month }}", "{{ a.title }}"], "a in articles")
    otherwise(doc, "本期的简报没有文章。")

    doc.add_paragraph("六、服务台账合计", style="报告标题")
    table(
        doc,
        ["台账", "记录数", "合计"],
        ["{{ l.sheet }}", "{{ l.rows }}", "{{ l.totals }}"],
        "l in ledger",
    )
    add_page_number(section)
    doc.core_properties.title = "服务报告"
    tidy(doc)
    doc.save(out)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    build(target)
    print(f"wrote {target}")
