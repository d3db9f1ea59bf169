"""Generate templates/evidence.docx, the index (佐证材料目录) of the evaluation pack.

Users restyle the result in Word or WPS, like the report's template, whose styles and table
layout it shares; the names it reads are the fields of bulletin.evidence.EvidenceContext.
Run: python tools/make_evidence_template.py [OUT]
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_BREAK

sys.path.insert(0, str(Path(__file__).parent))
from make_report_template import page_setup, styles, table  # noqa: E402
from make_template import SONG, add_page_number, para_style, tidy  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "templates" / "evidence.docx"


def build(out: Path) -> None:
    doc = Document()
    section = page_setup(doc)
    styles(doc)
    # An indicator's figures line stays on the page of the table it introduces.
    para_style(doc, "佐证说明", east_asia=SONG, size=12, indent_chars=2, keep_next=True)
    doc.add_paragraph("{{ name }}", style="报告封面")
    doc.add_paragraph("{{ title }}佐证材料目录", style="报告副题")
    doc.add_paragraph("{{ span }}", style="报告副题")
    doc.add_paragraph("{{ as_of }}", style="报告副题")
    doc.add_paragraph("{{ complete }}", style="报告副题")
    doc.add_paragraph("{{ organisation }}", style="报告副题")
    doc.add_paragraph("", style="报告正文").add_run().add_break(WD_BREAK.PAGE)

    doc.add_paragraph("一、指标一览", style="报告标题")
    doc.add_paragraph(
        "每项指标的实际数据按截至月份计算；“佐证齐全”为有佐证材料的记录数与应有佐证的记录数。"
        "材料包中还有：{{ enclosed | join('、') }}。",
        style="报告正文",
    )
    table(
        doc,
        ["序号", "指标", "目标", "实际", "完成率", "状态", "佐证齐全"],
        [
            "{{ i.number }}",
            "{{ i.name }}",
            "{{ i.target }}",
            "{{ i.actual }}",
            "{{ i.percent }}",
            "{{ i.status }}",
            "{{ i.complete }}",
        ],
        "i in indicators",
    )

    doc.add_paragraph("二、各项指标的记录与佐证材料", style="报告标题")
    doc.add_paragraph(
        "佐证文件按编号放在材料包中与指标同名的文件夹里；“缺佐证”的记录没有列出佐证文件。",
        style="报告正文",
    )
    doc.add_paragraph("{%p for g in groups %}", style="报告正文")
    doc.add_paragraph("{{ g.heading }}", style="报告小标题")
    doc.add_paragraph("{{ g.line }}", style="佐证说明")
    table(
        doc,
        ["日期", "记录", "来源", "佐证材料"],
        ["{{ r.day }}", "{{ r.text }}", "{{ r.source }}", "{{ r.files }}"],
        "r in g.rows",
    )
    doc.add_paragraph("{%p endfor %}", style="报告正文")
    add_page_number(section)
    doc.core_properties.title = "佐证材料目录"
    tidy(doc)
    doc.save(out)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    build(target)
    print(f"wrote {target}")
