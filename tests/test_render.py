"""The example bulletin, re-opened: structure, text, tables, merges, fonts, determinism."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.text.run import Run
from docx2python import docx2python
from docx_text import assert_in_order, lines, tables

from bulletin.models import YearMonth
from bulletin.pipeline import build

FEB = YearMonth(2020, 2)

# The reference bulletin's headings, article titles and first words of paragraphs, in order
# (figures corrected: 6 towns, 11 people counselled, 159 人次 = 134 + 14 + 11).
REFERENCE_ORDER = [
    "工会社工服务项目 简报",
    "第 01 期",
    "2020年2月份",
    "目  录",
    "◎ 本月速览 ◎",
    "◎ 项目快讯 ◎",
    "您的需求，就是我们的责任——市总工会开展抗疫一线医务人员及家属“一对一”直接联系服务",
    "◎ 职工关爱服务 ◎",
    "大疫当前 温暖相随",
    "携手助力·点亮职工“小心愿”",
    "◎ 职工服务站 ◎",
    "工会社工带 Tony 老师 为你剪掉“烦恼丝”",
    "◎ 心理咨询服务 ◎",
    "中山市总为职工开展全方位、不打烊心理服务",
    "心理咨询服务持续开展",
    "◎ 服务汇总 ◎",
    "工会社工服务项目2020年2月份服务汇总",
    "工会社工服务项目2020年3月份服务预告",
    "◎ 本月速览 ◎",
    "2020年2月份，工会社工服务项目积极配合市总工会做好职工服务工作，共开展各类专项主题活动2场次，服务职工159人次，具体如下：",
    "1、2月期间，工会社工调整服务方式，对神湾镇、黄圃镇、三乡镇、东凤镇、东升镇、民众镇等镇区困难职工进行电访",
    "共电访困难职工14人；电访过程中收集7个小心愿；",
    "2、开展“工会社工带 Tony 老师 为你剪掉‘烦恼丝’”职工活动2场次，共服务134人次；",
    "3、开展心理咨询服务，为11人提供了16小时线上心理咨询服务。",
    "◎ 项目快讯 ◎",
    "您的需求，就是我们的责任",
    "——市总工会开展抗疫一线医务人员及家属“一对一”直接联系服务",
    "来自中山市人民医院的张女士是 ECMO 支援荆州团队的成员",
    "2 月 28 日，周先生接到了来自中山市总工会的电话。",
    "核实车主身份，预约办理年检。接到交警部门通知后",
    "疫情期间，中山市总工会充分发挥“工会+社工+义工”三工联动平台的作用",
    "例如：2月2日，一名在医院诊断中心的工作人员向12351热线寻求帮助",
    "中山市总工会通过系列“关爱行动”",
    "◎ 职工关爱服务 ◎",
    "大疫当前 温暖相随",
    "——工会社工联合顺丰速运进行困难职工爱心物资配送",
    "对神湾镇、黄圃镇、三乡镇、东凤镇、东升镇、民众镇等镇区困难职工进行电访，了解职工的生活情况和服务需求，共访问困难职工14人。",
    "工会社工通过与职工交流，了解职工的生活近况和需求，关注职工近期身体状况",
    "（文：梁嘉慧）",
    "携手助力·点亮职工“小心愿”",
    "2月份，工会社工共对神湾镇、黄圃镇、三乡镇、东凤镇、东升镇、民众镇等六个镇区的困难职工进行探访",
    "并在过程中收集到7个小心愿（具体见下表）",
    "2020年2月困难职工“小心愿”登记情况",
    "序号\t职工姓名\t职工情况\t小心愿",
    "1\t梁女士\t梁女士是在档特困职工，目前独自抚养两个孩子",
    "7\t周先生\t周先生，2018 年 12 月在单位次废品库",
    "◎ 职工服务站 ◎",
    "工会社工带 Tony 老师 为你剪掉“烦恼丝”",
    "2月28日、29日，工会社工联合中国电信中山分公司、广东领先展示股份有限公司开展了爱心义剪，暖心行动——职工关爱活动，共吸引134名职工参与。",
    "抗疫大战，人人的都是战士。",
    "爱心义剪，暖心行动，爱心理发老师的到来",
    "◎ 心理咨询服务 ◎",
    "工会社工配合市总为职工开展全方位、不打烊心理服务",
    "近年来，中山市总工会充分发挥“三工”联动服务模式作用",
    "在疫情期间，中山市总工会还通过微信公众号或12351电话热线",
    "为在疫情期间产生心理困扰的职工提供及时、专业、便捷的心理咨询服务。",
    "据悉，2019年以来，中山市总工会已在8个企业开展了驻点心理咨询服务",
    "中山市总工会还以职工服务站为连接",
    "驻点服务让工会、企业与职工越走越亲",
    "此外，市总工会还根据不同企业和职工提出的需求推出了私人定制式的心理健康课程。",
    "据了解，6 年来，中山市总坚持不懈地以“一周一点心”心理义工活动载体",
    "心理咨询服务持续开展",
    "通过线上渠道接受职工的心理咨询求助，共为11人提供了16小时的心理咨询服务。求助职工主要求助问题类型为婚恋问题、情绪困扰、睡眠障碍、亲子关系等。",
    "（文：廖诗敏）",
    "◎ 服务汇总 ◎",
    "工会社工服务项目2020年2月份服务汇总",
    "一、服务汇总表",
    "序号\t时间\t内容\t地点",
    "1\t2月28日\t爱心义剪，暖心行动——职工关爱活动\t中国电信中山分公司",
    "2\t2月29日\t工会带 Tony 老师 为你剪掉“烦恼丝”\t广东领先展示股份有限公司",
    "3\t2月\t心理咨询\t心灵港湾",
    "4\t\t抗疫一线医务人员及家属“一对一”直接联系服务\t社工中心",
    "5\t\t困难职工电访\t全市",
    "6\t\t“小心愿 由我圆”服务\t全市",
    "二、困难职工探访汇总表",
    "中山市工会社工综合服务中心2月份共电访了14户，具体如下：",
    "序号\t时间\t探访对象\t镇区\t电访/走访",
    "1\t2月25日\t黄小姐\t民众镇\t电访",
    "2\t2月25日\t肖小姐\t东凤镇\t电访",
    "14\t2月28日\t张先生\t三乡镇\t电访",
    "◎ 服务预告 ◎",
    "工会社工服务项目2020年3月份服务预告",
    "活动名称\t地点/对象\t计划完成\n时间\t跟进人员\t内容",
    "职工心理咨询服务\t企业职工\t3月\t郑锦锐\n廖诗敏\t为全市职工提供心理咨询服务。",
    "大疫当前\n温暖相随\t困难职工\t3月\t阮淑铎\t电话探访困难职工",
    "户外驿站宣传活动\t全市职工\t3月\t梁嘉慧\t到户外驿站举办",
    "“相约三月天 巾帼绽芳华”三八妇女节线上有奖问答活动\t广东格美淇电器\n有限公司\t3月6日\t李绮文\t通过三八妇女节线上有奖问答活动",
    "\t中山市尊宝实业\n有限公司\t3月7日\t苏潇漫\t",
    "\t日东光器（中山）\n有限公司\t\t林海楠\t",
    "\t中山长虹电器\n有限公司\t3月8日\t李绮文\t",
    "\t中山宝松咨询\n有限公司\t\t苏潇漫\t",
    "“点滴祝福 云聚爱”妇女节祝福语征集活动\t中山顺丰速运\n有限公司\t3月2日\t林海楠\t通过线上平台征集妇女节祝福语",
    "\t广东格美淇电器\n有限公司\t3月7日\t李绮文\t",
    "\t中顺洁柔纸业\n股份有限公司\t3月8日\t苏潇漫\t",
    "幸福婚姻,经营有道\t广东金锁匙物业管理\n有限公司\t3月7日\t廖诗敏\t缓解疫情期间婚姻相处中的消极情绪",
    "\t纬创资通(中山)\n有限公司\t\t\t",
    "\t欧普照明(中山)\n有限公司\t\t\t",
    "预防职业病,关爱劳动者——线上有奖问答活动\t广东格美淇电器\n有限公司\t3月22日\t萧玉娴",
    "温暖相伴,贴心在线\t援鄂医护人员家属提供“一对一”精准服务\t3月\t工会社工全体",
]


def test_document_holds_the_reference_in_order(built_example: Path) -> None:
    assert_in_order(lines(built_example), REFERENCE_ORDER)


def test_every_table_row_is_there(built_example: Path) -> None:
    wishes, services, visits, plan = tables(built_example)
    assert len(wishes) == 1 + 7
    assert [r[3] for r in wishes[1:]] == [
        "书包一个",
        "学习用品（笔记本、日记本，签字笔）",
        "缝纫机一台 电脑一台",
        "学习文具及油画棒 画笔",
        "四年级下学期全解（广东专用）、同步作文等辅导书",
        "书包一个",
        "适合 6-7 岁孩子的课外书（童话故事、拼音故事书、绘本）",
    ]
    assert len(services) == 1 + 6
    assert len(visits) == 1 + 14
    assert [r[3] for r in visits[1:]].count("神湾镇") == 4
    assert "东风镇" not in "".join(lines(built_example))
    assert len(plan) == 1 + 16


def _vmerge(path: Path, table_index: int) -> list[list[str]]:
    doc = Document(str(path))
    tbl = doc.tables[table_index]._tbl
    out = []
    for tr in tbl.findall(qn("w:tr")):
        row = []
        for tc in tr.findall(qn("w:tc")):
            vm = tc.find(qn("w:tcPr") + "/" + qn("w:vMerge"))
            row.append("" if vm is None else (vm.get(qn("w:val")) or "continue"))
        out.append(row)
    return out


def test_plan_table_merges_activity_cells_vertically(built_example: Path) -> None:
    merges = _vmerge(built_example, 3)
    # Rows 4-8 are the five rows of the 三八 quiz: name and content merge over all five.
    assert [r[0] for r in merges[4:9]] == [
        "restart",
        "continue",
        "continue",
        "continue",
        "continue",
    ]
    assert [r[4] for r in merges[4:9]] == [
        "restart",
        "continue",
        "continue",
        "continue",
        "continue",
    ]
    # Due dates merge where consecutive rows share them (3月7日, 3月8日).
    assert [r[2] for r in merges[4:9]] == ["", "restart", "continue", "restart", "continue"]
    # Single-row activities are not merged; the target column never is.
    assert merges[1] == ["", "", "", "", ""]
    assert all(r[1] == "" for r in merges)
    # 幸福婚姻: three targets share one due date and one staff member.
    assert [r[3] for r in merges[12:15]] == ["restart", "continue", "continue"]


def test_service_table_merges_the_month_cells(built_example: Path) -> None:
    merges = _vmerge(built_example, 1)
    assert [r[1] for r in merges[1:]] == ["", "", "restart", "continue", "continue", "continue"]


def test_fonts_are_set_for_east_asian_text(built_example: Path) -> None:
    doc = Document(str(built_example))
    for name, font in (
        ("Body Text", "宋体"),
        ("Heading 1", "黑体"),
        ("Heading 2", "黑体"),
        ("Title", "黑体"),
        ("表格文字", "宋体"),
        ("表头", "黑体"),
    ):
        fonts = doc.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == font, name
        assert fonts.get(qn("w:eastAsiaTheme")) is None
    body = [p for p in doc.paragraphs if p.text.startswith("来自中山市人民医院")]
    assert body[0].style.name == "Body Text"
    ind = doc.styles["Body Text"].element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"


def test_page_is_a4_with_page_numbers(built_example: Path) -> None:
    doc = Document(str(built_example))
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml
    assert section.different_first_page_header_footer


def test_tables_have_borders_and_a_repeated_header_row(built_example: Path) -> None:
    doc = Document(str(built_example))
    for table in doc.tables:
        assert table.style.name == "Table Grid"
        trpr = table.rows[0]._tr.trPr
        assert trpr is not None and trpr.find(qn("w:tblHeader")) is not None


def test_docx2python_reads_the_same_text(built_example: Path) -> None:
    with docx2python(built_example) as result:
        text = result.text
    assert "共为11人提供了16小时的心理咨询服务" in text
    assert "{{" not in text and "{%" not in text


def test_build_is_byte_identical(tmp_path: Path, example: Path) -> None:
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    build(example, FEB, a)
    build(example, FEB, b)
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()


def test_source_date_epoch_sets_every_timestamp(tmp_path: Path, example: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1583020800")  # 2020-03-01T00:00:00Z
    out = tmp_path / "a.docx"
    build(example, FEB, out)
    with zipfile.ZipFile(out) as z:
        assert {i.date_time for i in z.infolist()} == {(2020, 3, 1, 0, 0, 0)}
    props = Document(str(out)).core_properties
    assert props.modified.isoformat().startswith("2020-03-01T00:00:00")
    assert props.title == "工会社工服务项目简报 第 01 期 2020年2月"
    assert props.subject == "中山市工会社工综合服务中心2020年2月份服务简报"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_it_and_shows_the_text(built_example: Path, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(built_example),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "2020-02.pdf"
    assert pdf.stat().st_size > 10_000
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        squeezed = "".join(text.split())
        assert "工会社工服务项目简报" in squeezed
        assert "第01期" in squeezed
        assert "共为11人提供了16小时的心理咨询服务" in squeezed


def test_no_table_row_splits_across_pages(built_example: Path) -> None:
    doc = Document(str(built_example))
    rows = [tr for table in doc.tables for tr in table._tbl.findall(qn("w:tr"))]
    assert len(rows) == 8 + 7 + 15 + 17
    assert all(tr.find(qn("w:trPr") + "/" + qn("w:cantSplit")) is not None for tr in rows)


def test_both_marks_of_a_heading_print_alike(built_example: Path) -> None:
    doc = Document(str(built_example))
    marked = [p for p in doc.paragraphs if p.text.startswith("◎")]
    assert len(marked) == 6 + 7  # contents, headings
    for para in marked:
        runs = [Run(r, para) for r in para._p.iter(qn("w:r"))]  # links' runs too
        marks = [r for r in runs if r.text == "◎"]
        assert len(marks) == 2, para.text
        first, second = (r._r.rPr.xml for r in marks)
        assert first == second
        fonts = marks[0]._r.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:eastAsia")) == "黑体"


def test_file_properties_are_true(built_example: Path) -> None:
    with zipfile.ZipFile(built_example) as z:
        names = z.namelist()
        app = z.read("docProps/app.xml").decode()
        rels = z.read("_rels/.rels").decode()
    assert "<Application>bulletin/0.1.0</Application>" in app
    assert "<Pages>" not in app and "<Words>" not in app and "Macintosh" not in app
    assert not any("thumbnail" in n for n in names) and "thumbnail" not in rels


def test_contents_entries_link_to_their_headings_with_page_fields(built_example: Path) -> None:
    doc = Document(str(built_example))
    body = doc.element.body
    entries = [p for p in doc.paragraphs if p.style.name in ("toc 1", "toc 2")]
    assert len(entries) == 14
    marks = {
        b.get(qn("w:name")): "".join(t.text for t in b.getparent().iter(qn("w:t")))
        for b in body.iter(qn("w:bookmarkStart"))
    }
    linked = {}
    for entry in entries:
        link = entry._p.find(qn("w:hyperlink"))
        anchor = link.get(qn("w:anchor"))
        instr = "".join(t.text for t in link.iter(qn("w:instrText")))
        assert instr == f" PAGEREF {anchor} \\h "
        linked[entry.text.rstrip("\t")] = marks[anchor]
    assert len(set(linked.values())) == 14
    assert linked["◎ 服务汇总 ◎"] == "◎ 服务汇总 ◎"
    # A shorter title for the contents links to the article's heading.
    assert linked["中山市总为职工开展全方位、不打烊心理服务"] == (
        "工会社工配合市总为职工开展全方位、不打烊心理服务"
    )
    assert linked["工会社工服务项目2020年3月份服务预告"] == "工会社工服务项目2020年3月份服务预告"


def test_word_is_asked_to_fill_in_the_contents_page_numbers(built_example: Path) -> None:
    doc = Document(str(built_example))
    settings = doc.settings.element
    names = [child.tag for child in settings]
    updates = settings.findall(qn("w:updateFields"))
    assert [u.get(qn("w:val")) for u in updates] == ["true"]
    # In the order Word requires: before the compatibility settings.
    assert names[names.index(qn("w:updateFields")) + 1] == qn("w:compat")
    # Each entry's page number is a PAGEREF field, which LibreOffice computes too once the
    # PDF step has taken away the TOC field around them (see test_contents_field_*).
    instr = "".join(t.text for t in doc.element.body.iter(qn("w:instrText")))
    assert instr.count(" PAGEREF _Toc") == 14


def test_update_fields_replaces_a_templates_own_setting() -> None:
    from bulletin.ooxml import element as _elem
    from bulletin.render import _update_fields_on_open

    doc = Document()
    settings = doc.settings.element
    settings.append(_elem("w:updateFields", w_val="false"))
    _update_fields_on_open(doc)
    assert [u.get(qn("w:val")) for u in settings.findall(qn("w:updateFields"))] == ["true"]


def test_rows_joined_by_a_merged_cell_keep_together(built_example: Path) -> None:
    rows = Document(str(built_example)).tables[3]._tbl.findall(qn("w:tr"))
    keeps = [
        all(p.find(qn("w:pPr") + "/" + qn("w:keepNext")) is not None for p in tr.iter(qn("w:p")))
        for tr in rows
    ]
    # Rows 4-8 are the five rows of the 三八 quiz: all but the last keep with the next.
    assert keeps[4:9] == [True, True, True, True, False]
    assert keeps[1:4] == [False, False, False]


def test_a_long_plan_content_keeps_the_plan_tables_rows_and_merges(
    example: Path, tmp_path: Path, built_example: Path
) -> None:
    """A plan item's content of about 300 characters (nearly a page tall in its narrow
    column): the plan table keeps its 17 rows and its merged cells, and the content its
    whole text, as the splitter of tall rows leaves tables with merged cells alone."""
    quiz = "通过三八妇女节线上有奖问答活动，体现工会组织关心、关注、关爱女职工，更好地维护女职工合法权益。"
    long = "".join(
        f"第{n}题：女职工在孕期、产期、哺乳期享有哪些特殊保护？答对者可获得精美礼品一份。"
        for n in range(1, 9)
    )
    plans = example / "2020-02" / "plans.yaml"
    plans.write_text(plans.read_text(encoding="utf-8").replace(quiz, long), encoding="utf-8")
    out = tmp_path / "long.docx"
    build(example, FEB, out)
    table = tables(out)[3]
    assert len(table) == len(tables(built_example)[3]) == 17
    assert _vmerge(out, 3) == _vmerge(built_example, 3)
    assert table[4][4].replace("\n", "") == long  # the quiz's first row holds it whole


def _fields(body) -> list[tuple[str, str]]:
    """Every field marker of BODY in order: ('begin'|'separate'|'end', '') or ('instr', text)."""
    out = []
    for el in body.iter(qn("w:fldChar"), qn("w:instrText")):
        if el.tag == qn("w:instrText"):
            out.append(("instr", el.text))
        else:
            out.append((el.get(qn("w:fldCharType")), ""))
    return out


def _well_formed(markers: list[tuple[str, str]]) -> bool:
    """Begin, instruction, optional separate, end; nested fields only in a result."""
    stack: list[str] = []
    for kind, _ in markers:
        if kind == "begin":
            if stack and stack[-1] != "separate":
                return False
            stack.append("begin")
        elif kind in ("instr", "separate"):
            if not stack or stack[-1] != "begin":
                return False
            if kind == "separate":
                stack[-1] = "separate"
        elif kind == "end":
            if not stack:
                return False
            stack.pop()
    return not stack


def test_contents_are_a_toc_field_over_tc_entries(built_example: Path) -> None:
    doc = Document(str(built_example))
    body = doc.element.body
    markers = _fields(body)
    assert _well_formed(markers)
    instrs = [text for kind, text in markers if kind == "instr"]
    assert [i for i in instrs if "TOC" in i] == [' TOC \\f \\l "1-2" \\h \\z ']
    entries = [p for p in doc.paragraphs if p.style.name in ("toc 1", "toc 2")]
    # The field begins in the first entry and ends with the last: its cached result is the
    # typed entries, each with its PAGEREF inside.
    assert _fields(entries[0]._p)[:3] == [("begin", ""), ("instr", instrs[0]), ("separate", "")]
    assert _fields(entries[-1]._p)[-2:] == [("end", ""), ("end", "")]
    toc = markers.index(("instr", instrs[0]))
    depth, close = 0, None
    for n, (kind, _) in enumerate(markers[toc + 2 :], toc + 2):
        depth += {"begin": 1, "end": -1}.get(kind, 0)
        if depth < 0:
            close = n
            break
    inside = [text for kind, text in markers[toc:close] if kind == "instr"]
    assert len(inside) == 15 and all(i.startswith(" PAGEREF _Toc") for i in inside[1:])
    # Word rebuilds the list from TC fields, one at each heading with the entry's own text
    # and level, so the rebuilt list is this one.
    expected = [(p.text.replace("\t", ""), 1 if p.style.name == "toc 1" else 2) for p in entries]
    marked = []
    for p in body.iter(qn("w:p")):
        for kind, text in _fields(p):
            if kind == "instr" and text.startswith(" TC "):
                entry, level = re.fullmatch(r' TC "(.*)" \\l (\d) ', text).groups()
                marked.append((p, entry, int(level)))
    assert [(entry, level) for _, entry, level in marked] == [
        (text.replace("\n", ""), level) for text, level in expected
    ]
    for heading, _, _ in marked:
        # At the start of the heading, as Word puts one; its code hidden (as Word formats
        # it), its begin and end not (LibreOffice leaves out marks in hidden text).
        runs = heading.findall(qn("w:r"))
        hidden = [r.find(qn("w:rPr") + "/" + qn("w:vanish")) is not None for r in runs[:3]]
        assert hidden == [False, True, False]
        assert runs[1].find(qn("w:instrText")).text.startswith(" TC ")
    heading_text = {m[0]: "".join(t.text for t in m[0].iter(qn("w:t"))) for m in marked}
    assert heading_text[marked[2][0]] == "您的需求，就是我们的责任"
    assert heading_text[marked[12][0]] == "工会社工服务项目2020年2月份服务汇总"
    assert "".join(heading_text.values()).count("TC") == 0  # the field prints nothing


def test_contents_field_reads_as_its_entries(built_example: Path) -> None:
    doc = Document(str(built_example))
    entries = [p.text for p in doc.paragraphs if p.style.name in ("toc 1", "toc 2")]
    assert entries[:3] == [
        "◎ 本月速览 ◎\t",
        "◎ 项目快讯 ◎\t",
        "您的需求，就是我们的责任\n——市总工会开展抗疫一线医务人员及家属“一对一”直接联系服务\t",
    ]
    with docx2python(built_example) as result:
        text = result.text
    start = text.index("目  录")
    assert text[start:].startswith("目  录\n\n◎ 本月速览 ◎\t\n\n◎ 项目快讯 ◎\t\n\n您的需求")
    assert "TC " not in text and "TOC" not in text and "PAGEREF" not in text


def test_tc_field_text_escapes_quotes_and_backslashes() -> None:
    from bulletin.render import _field_text

    assert _field_text('说"好"\\n') == '"说\\"好\\"\\\\n"'


def test_contents_field_is_taken_away_for_libreoffice(built_example: Path, tmp_path: Path) -> None:
    from bulletin.render import typed_contents

    typed = tmp_path / "typed.docx"
    typed.write_bytes(typed_contents(built_example.read_bytes()))
    doc = Document(str(typed))
    markers = _fields(doc.element.body)
    assert _well_formed(markers)
    instrs = [text for kind, text in markers if kind == "instr"]
    assert not any("TOC" in i for i in instrs)
    assert sum(i.startswith(" PAGEREF _Toc") for i in instrs) == 14
    assert sum(i.startswith(" TC ") for i in instrs) == 14
    assert lines(typed) == lines(built_example)
    with zipfile.ZipFile(built_example) as a, zipfile.ZipFile(typed) as b:
        assert a.namelist() == b.namelist()
        same = [n for n in a.namelist() if n != "word/document.xml"]
        assert all(a.read(n) == b.read(n) for n in same)


def test_a_document_without_contents_field_goes_to_libreoffice_as_it_is(tmp_path: Path) -> None:
    from bulletin.render import typed_contents

    plain = tmp_path / "plain.docx"
    Document().save(str(plain))
    data = plain.read_bytes()
    assert typed_contents(data) == data
    assert typed_contents(b"not a zip") == b"not a zip"


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        (
            "中山市火炬开发区精密电子科技股份有限公司",
            ["中山市", "火炬开发区", "精密电子科技", "股份有限公司"],
        ),
        ("日东光器（中山）有限公司", ["日东光器", "（中山）", "有限公司"]),
        ("中山市东区街道办事处", ["中山市", "东区街道", "办事处"]),
        ("中山市总工会", ["中山市", "总工会"]),
        ("中山市人民医院", ["中山市", "人民医院"]),
        ("郑锦锐 廖诗敏", ["郑锦锐", "廖诗敏"]),
        ("“暖冬行动”困难职工走访慰问", ["“暖冬行动”", "困难职工走访慰问"]),
        ("援鄂医护人员家属提供“一对一”精准服务", ["援鄂医护人员家属提供“一对一”精准服务"]),
        # A quotation with its own quotes inside; punctuation that stays with the quotation.
        ("“‘四点半’课堂”职工子女托管服务", ["“‘四点半’课堂”", "职工子女托管服务"]),
        ("“暖冬行动”·困难职工走访慰问", ["“暖冬行动”·困难职工走访慰问"]),
        ("“暖冬行动”）困难职工走访慰问", ["“暖冬行动”）困难职工走访慰问"]),
        ("“暖冬行动”’困难职工走访慰问", ["“暖冬行动”’困难职工走访慰问"]),
        # Too short to break, a place word after a place, a suffix inside the text, prose.
        ("市总工会", ["市总工会"]),
        ("东区街道", ["东区街道"]),
        ("古镇镇", ["古镇镇"]),
        ("XX电子厂", ["XX电子厂"]),
        ("中心城区服务站", ["中心城区", "服务站"]),
        ("中山市东区", ["中山市", "东区"]),  # a last part of two characters
        ("日东光器（中山有限公司）", ["日东光器", "（中山", "有限公司）"]),  # a kind, closed
        ("中山市精密电子有限公司”", ["中山市", "精密电子", "有限公司”"]),
        ("一对一”困难职工走访慰问", ["一对一”困难职工走访慰问"]),  # a quote not opened here
        ("到中山市总工会参加活动，了解情况", ["到中山市总工会参加活动，了解情况"]),
    ],
)
def test_names_go_onto_lines_only_between_words(text: str, pieces: list[str]) -> None:
    from bulletin.wording import builtin_wording
    from bulletin.wordtables import BreakRules, _pieces

    wording = builtin_wording()
    rules = BreakRules(*(tuple(wording.say(key).split()) for key in ("name_ends", "place_ends")))
    assert [piece for piece, _ in _pieces(text, rules)] == pieces


def test_a_tall_cell_is_cut_after_line_breaks_and_sentences_keeping_closing_quotes() -> None:
    """Where the splitter of tall rows may cut a cell: after a line break, after a sentence's
    end (。！？；…) and its closing quotation mark, never inside a sentence that fits."""
    from bulletin.wordtables import _sentences

    assert _sentences("第一句。第二句！\n第三句", 100, 5) == [
        "第一句。",
        "第二句！",
        "\n",
        "第三句",
    ]
    assert _sentences("他说：“好。”然后走了。", 100, 5) == ["他说：“好。”", "然后走了。"]


def test_a_sentence_longer_than_a_part_is_cut_where_its_lines_end() -> None:
    """A sentence taller than a part (here 2 lines of a 10-em column, about 9.5 characters a
    line) is cut into pieces of whole lines, none taller than the part, nothing lost; one
    that just fits stays whole."""
    from bulletin.wordtables import _sentences, _text_lines

    text = "字" * 50
    pieces = _sentences(text, 10, 2)
    assert [len(p) for p in pieces] == [18, 18, 14]
    assert "".join(pieces) == text
    assert all(_text_lines(p, 10) <= 2 for p in pieces)
    assert _sentences("字" * 19, 10, 2) == ["字" * 19]


def test_a_row_taller_than_a_page_goes_onto_continued_rows_that_keep_the_cells_look() -> None:
    """A row whose longest cell would not fit on a page is cut between its sentences into
    rows of at most a third of a page: the cells before it repeat (the name with （续） under
    it), the cells after it are printed on the first row only, nothing of the text is lost,
    and every new paragraph keeps the cell's paragraph and character formatting (its font
    size, its alignment) and its spaces."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from bulletin.wordtables import (
        ROW_MARGINS,
        _cell_text,
        _em_twips,
        _row_twips,
        split_tall_rows,
    )

    document = Document()
    table = document.add_table(rows=1, cols=4)
    sentence = "工会社工走访困难职工家庭，了解生活情况和服务需求。"
    long_text = " " + sentence * 120
    for cell, text in zip(
        table.rows[0].cells, ["1", "困难职工走访", long_text, "李社工"], strict=True
    ):
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.font.size = Pt(9)
        run.bold = True
    split_tall_rows(document, "（续）")
    rows = table._tbl.findall(qn("w:tr"))
    assert len(rows) >= 3
    section = document.sections[0]
    page = (section.page_height - section.top_margin - section.bottom_margin) / 635
    em = _em_twips(document, rows[-1])
    assert all(_row_twips(tr, em) <= (page - ROW_MARGINS) / 3 for tr in rows)
    # and no more rows than that takes: each but the last is filled beyond a quarter of a page
    assert all(_row_twips(tr, em) > (page - ROW_MARGINS) / 4 for tr in rows[:-1])
    texts = [[_cell_text(tc) for tc in tr.findall(qn("w:tc"))] for tr in rows]
    assert "".join(row[2] for row in texts) == long_text
    assert texts[0][:2] == ["1", "困难职工走访"] and texts[0][3] == "李社工"
    for row in texts[1:]:
        assert row[0] == "1" and row[1] == "困难职工走访\n（续）" and row[3] == ""
    for tr in rows:
        tc = tr.findall(qn("w:tc"))[2]
        for p in tc.findall(qn("w:p")):
            assert p.find(qn("w:pPr") + "/" + qn("w:jc")).get(qn("w:val")) == "center"
            for r in p.findall(qn("w:r")):
                assert r.find(qn("w:rPr") + "/" + qn("w:sz")).get(qn("w:val")) == "18"
                assert r.find(qn("w:rPr") + "/" + qn("w:b")) is not None
    first_t = rows[0].findall(qn("w:tc"))[2].find(".//" + qn("w:t"))
    assert first_t.text.startswith(" 工会社工")
    assert first_t.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"


def _one_row(*texts: str):
    """A table of one row with these cells' texts (an empty one has no run), and the row."""
    from docx import Document

    document = Document()
    table = document.add_table(rows=1, cols=len(texts))
    for cell, text in zip(table.rows[0].cells, texts, strict=True):
        if text:
            cell.paragraphs[0].add_run(text)
    return document, table._tbl.find(qn("w:tr"))


def test_a_row_twice_as_tall_as_a_part_becomes_two_rows_and_an_empty_cell_stays_empty() -> None:
    """Cut into parts of at most MOST twips, a cell two parts tall makes two rows, its text
    whole to its first and last character (an X-ray, a DIY workshop's X); the cell after it,
    empty in the template (no run at all), is empty on the continued row too."""
    from bulletin.wordtables import ROW_MARGINS, _cell_text, _em_twips, _row_twips, _split_row

    text = "X光体检安排在周一上午。" * 6 + "下午是DIY手工坊，主题X"
    document, tr = _one_row("1", text, "")
    em = _em_twips(document, tr)
    tall = _row_twips(tr, em)
    _split_row(tr, em, ROW_MARGINS + (tall - ROW_MARGINS) * 0.6, "（续）")
    rows = tr.getparent().findall(qn("w:tr"))
    texts = [[_cell_text(tc) for tc in row.findall(qn("w:tc"))] for row in rows]
    assert len(texts) == 2
    assert texts[0][1] + texts[1][1] == text
    assert [row[0] for row in texts] == ["1", "1\n（续）"]
    assert [row[2] for row in texts] == ["", ""]


def test_a_part_shorter_than_a_line_holds_one_line() -> None:
    """Parts too short for any line (a page all but filled by the table's header) still hold
    one line each, never more, and the text is whole."""
    from bulletin.wordtables import (
        ROW_MARGINS,
        _cell_text,
        _cell_width,
        _em_twips,
        _split_row,
        _text_lines,
    )

    text = "工会社工走访困难职工家庭，了解生活情况和服务需求。" * 3
    document, tr = _one_row("1", text)
    em = _em_twips(document, tr)
    width = _cell_width(tr.findall(qn("w:tc"))[1], em)
    _split_row(tr, em, ROW_MARGINS, "（续）")
    cells = [row.findall(qn("w:tc"))[1] for row in tr.getparent().findall(qn("w:tr"))]
    assert len(cells) >= _text_lines(text, width) > 2
    assert all(_text_lines(_cell_text(tc), width) == 1 for tc in cells)
    assert "".join(_cell_text(tc) for tc in cells) == text


def test_kept_rows_mark_every_paragraph_once_where_word_reads_it() -> None:
    """A short table is kept whole: every paragraph of every row but the last keeps with the
    next, whatever its properties were (none, some, a style, the mark already there), once,
    in the schema's place: the paragraph's properties first in it, the mark first in those
    or right after the style."""
    from docx import Document

    from bulletin.wordtables import keep_table_ends

    document = Document()
    table = document.add_table(rows=3, cols=3)
    cells = [cell for row in table.rows for cell in row.cells]
    for n, cell in enumerate(cells):
        paragraph = cell.paragraphs[0]
        paragraph.add_run(f"第{n}格")
        if n % 3 == 1:
            paragraph.style = document.styles["List Bullet"]
        elif n % 3 == 2:
            paragraph.paragraph_format.alignment = 1
        if n == 4:
            paragraph.paragraph_format.keep_with_next = True
    assert cells[0].paragraphs[0]._p.find(qn("w:pPr")) is None  # none, to begin with
    keep_table_ends(document)
    for n, cell in enumerate(cells):
        p = cell.paragraphs[0]._p
        if n >= 6:  # the last row
            assert p.find(qn("w:pPr") + "/" + qn("w:keepNext")) is None
            continue
        ppr = p[0]
        assert ppr.tag == qn("w:pPr")
        marks = ppr.findall(qn("w:keepNext"))
        assert len(marks) == 1, n
        ahead = ppr.find(qn("w:pStyle"))
        assert ppr.index(marks[0]) == (0 if ahead is None else ppr.index(ahead) + 1), n
