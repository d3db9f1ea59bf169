"""`bulletin signin`: the sign-in sheets re-opened: one page per session, each session's
heading, its rows, the columns of a restyled template, what is said about the plan items
that print no sheet, the error of a month with no session, and the PDF's pages."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import run_cli
from docx import Document
from docx.oxml.ns import qn

run = run_cli  # bulletin --lang LANG ARGS, in this process

FIELDS = ("活动名称：", "活动日期：", "地点/对象：", "跟进人员：")
HEADERS = ["序号", "姓名", "单位", "签名"]


def _text(el) -> str:
    return "".join(t.text or "" for t in el.iter(qn("w:t")))


def sheets(path: Path) -> list[dict]:
    """Each sheet as a reader sees it: whether it starts a page, its title lines, its
    heading fields, its column headers and its rows (cells as text)."""
    doc = Document(str(path))
    breaks = {
        s.style_id
        for s in doc.styles
        if s.element.find(qn("w:pPr") + "/" + qn("w:pageBreakBefore")) is not None
    }
    out: list[dict] = []
    titles: list[str] = []
    new_page = False
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            style = child.find(qn("w:pPr") + "/" + qn("w:pStyle"))
            if style is not None and style.get(qn("w:val")) in breaks:
                new_page = True
            if _text(child).strip():
                titles.append(_text(child))
        elif child.tag == qn("w:tbl"):
            rows = [[_text(tc) for tc in tr.findall(qn("w:tc"))] for tr in child.iter(qn("w:tr"))]
            repeated = [
                tr.find(qn("w:trPr") + "/" + qn("w:tblHeader")) is not None
                for tr in child.iter(qn("w:tr"))
            ]
            heading = {row[0].split("：")[0] + "：": row[0].split("：", 1)[1] for row in rows[:4]}
            out.append(
                {
                    "new_page": new_page,
                    "titles": titles,
                    "heading": heading,
                    "columns": rows[4],
                    "rows": rows[5:],
                    "repeated": repeated,
                }
            )
            titles, new_page = [], False
    return out


def _plan_sessions(plans: Path) -> list[tuple[str, str, str, str]]:
    """The example plan's sessions counted here from the YAML itself: every row of an item
    that no ongoing service carries out, due and staff taken from the row above."""
    found = []
    for item in yaml.safe_load(plans.read_text(encoding="utf-8"))["plans"]:
        if item.get("service"):
            continue
        due = staff = None
        for row in item["rows"]:
            due = row.get("due", due)
            staff = row.get("staff", staff)
            found.append((item["name"], str(due), row["target"], staff))
    return found


def _date(due: str) -> str:
    parts = [int(x) for x in due.split("-")]
    if len(parts) == 3:
        return f"{parts[0]}年{parts[1]}月{parts[2]}日"
    return f"{parts[0]}年{parts[1]}月　　日"


@pytest.fixture(scope="module")
def example_sheets(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object, Path]:
    """`bulletin signin 2020-03` on the example, run in an empty folder (default name)."""
    root = tmp_path_factory.mktemp("signin")
    data = root / "data"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data", data)
    result = run("signin", "2020-03", "--data", str(data), cwd=root)
    return root, result, data


def test_the_example_prints_one_page_per_planned_session(example_sheets) -> None:
    root, result, data = example_sheets
    assert result.exit_code == 0, result.output
    out = root / "build" / "签到表-2020-03.docx"
    assert result.stdout.splitlines() == [
        "15 sign-in sheets: 15 from the plan, 0 recorded",
        "wrote build/签到表-2020-03.docx",
    ]
    assert result.stderr.splitlines() == [
        "1 plan item is carried out by an ongoing service and has no session to sign in: "
        "职工心理咨询服务"
    ]
    found = sheets(out)
    expected = _plan_sessions(data / "2020-02" / "plans.yaml")
    assert len(found) == len(expected) == 15
    assert all(s["new_page"] for s in found)
    assert all(s["titles"] == ["工会社工服务项目", "签 到 表"] for s in found)
    # Day by day, the sessions due some time in the month (the day left blank) last.
    by_day = sorted(expected, key=lambda s: int(s[1][8:] or 32) if len(s[1]) > 7 else 32)
    headings = [s["heading"] for s in found]
    assert headings == [
        {
            "活动名称：": name,
            "活动日期：": _date(due),
            "地点/对象：": target,
            "跟进人员：": "、".join(staff.split()),
        }
        for name, due, target, staff in by_day
    ]
    assert headings[0] == {
        "活动名称：": "“点滴祝福 云聚爱”妇女节祝福语征集活动",
        "活动日期：": "2020年3月2日",
        "地点/对象：": "中山顺丰速运有限公司",
        "跟进人员：": "林海楠",
    }
    assert headings[-1]["活动日期："] == "2020年3月　　日"
    for s in found:
        assert s["columns"] == HEADERS
        assert s["rows"] == [[str(n), "", "", ""] for n in range(1, 16)]
        # The heading fields and the columns repeat on a page the rows run onto.
        assert s["repeated"] == [True] * 5 + [False] * 15


def test_a_recorded_session_prints_once_with_its_participants(small, tmp_path: Path) -> None:
    data = small(
        {
            "2020-02": {
                "plans.yaml": """\
                plans:
                  - name: 读书会
                    content: 共读一本书。
                    rows:
                      - {target: 图书馆, due: 2020-03-05, staff: 李四}
                      - {target: 职工之家, due: 2020-03-12, staff: 王五 赵六}
                  - name: 法律讲座
                    content: 劳动法讲座。
                    rows:
                      - {target: 全市职工, due: 2020-03, staff: 张三}
                  - name: 心理咨询服务
                    service: 心理咨询
                    content: 持续服务。
                    rows:
                      - {target: 企业职工, due: 2020-03, staff: 张三}
                """
            },
            "2020-03": {
                "events.yaml": """\
                activities:
                  - name: 读书分享会
                    plan: 读书会
                    sessions:
                      - {date: 2020-03-05, venue: 市图书馆, participants: 22}
                      - {date: 2020-03-13, venue: 职工之家, participants: 8}
                  - name: 义剪
                    participants: 41
                    sessions:
                      - {date: 2020-03-20, venue: 电信公司}
                      - {date: 2020-03-21, venue: 领先公司}
                services:
                  - {name: 心理咨询, place: 心灵港湾}
                """
            },
        }
    )
    out = tmp_path / "表" / "三月.docx"
    result = run("signin", "2020-03", "-o", str(out), "--data", str(data))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "5 sign-in sheets: 1 from the plan, 4 recorded",
        f"wrote {out}",
    ]
    assert result.stderr.splitlines() == [
        "1 plan item is carried out by an ongoing service and has no session to sign in: 心理咨询服务",
        "1 plan item is recorded in events.yaml: its sheets are those of its recorded sessions: "
        "读书会",
    ]
    found = sheets(out)
    got = [(s["heading"]["活动名称："], s["heading"]["活动日期："]) for s in found]
    assert got == [
        ("读书分享会", "2020年3月5日"),
        ("读书分享会", "2020年3月13日"),
        ("义剪", "2020年3月20日"),
        ("义剪", "2020年3月21日"),
        ("法律讲座", "2020年3月　　日"),
    ]
    # A recorded session's venue; its staff from its plan item's row due that day, else
    # everyone on the item's rows; nobody for an activity no plan item names.
    assert [s["heading"]["地点/对象："] for s in found] == [
        "市图书馆",
        "职工之家",
        "电信公司",
        "领先公司",
        "全市职工",
    ]
    assert [s["heading"]["跟进人员："] for s in found] == [
        "李四",
        "李四、王五、赵六",
        "",
        "",
        "张三",
    ]
    # Rows: the participants recorded (22), an even share of an activity's total (41 over
    # two days: 21), never fewer than a page of the default template (15).
    assert [len(s["rows"]) for s in found] == [22, 15, 21, 21, 15]
    assert found[0]["rows"][-1] == ["22", "", "", ""]


def test_rows_gives_every_sheet_that_many_rows(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.docx"
    result = run("signin", "2020-03", "--rows", "3", "-o", str(out), "--data", str(example))
    assert result.exit_code == 0, result.output
    found = sheets(out)
    assert len(found) == 15
    assert all(
        s["rows"] == [["1", "", "", ""], ["2", "", "", ""], ["3", "", "", ""]] for s in found
    )


@pytest.mark.parametrize("rows", ["0", "1001", "x"])
def test_rows_out_of_range_is_a_usage_error(example: Path, tmp_path: Path, rows: str) -> None:
    out = tmp_path / "s.docx"
    result = run("signin", "2020-03", "--rows", rows, "-o", str(out), "--data", str(example))
    assert result.exit_code == 2
    assert "--rows" in result.stderr
    assert not out.exists()


def _add_column(template: Path, out: Path, header: str, before: int) -> None:
    """The template with one more column, as Word inserts one: a grid column, a cell in each
    row of columns, and the cells spanning the table's width one column wider."""
    doc = Document(str(template))
    tbl = doc.tables[0]._tbl
    grid = tbl.tblGrid.findall(qn("w:gridCol"))
    grid[before].addprevious(copy.deepcopy(grid[before]))
    for tr in tbl.iter(qn("w:tr")):
        cells = tr.findall(qn("w:tc"))
        span = cells[0].find(qn("w:tcPr") + "/" + qn("w:gridSpan"))
        if len(cells) == 1 and span is not None:
            span.set(qn("w:val"), str(int(span.get(qn("w:val"))) + 1))
            continue
        new = copy.deepcopy(cells[before])
        for t in new.iter(qn("w:t")):
            t.text = ""
        texts = list(new.iter(qn("w:t")))
        if _text(cells[before]) == "签名":
            texts[0].text = header
        cells[before].addprevious(new)
    doc.save(str(out))


def test_the_columns_come_from_the_template(example: Path, tmp_path: Path) -> None:
    """A centre that must collect phone numbers adds a 电话 column to its own copy of the
    template (the project's templates folder): every sheet has it, no code changed."""
    from bulletin.template_search import builtin_templates

    folder = example / "templates"
    folder.mkdir()
    _add_column(builtin_templates() / "signin.docx", folder / "signin.docx", "电话", 3)
    project = example / "project.yaml"
    project.write_text(
        project.read_text(encoding="utf-8") + "templates: templates\n", encoding="utf-8"
    )
    out = tmp_path / "s.docx"
    result = run("signin", "2020-03", "--rows", "2", "-o", str(out), "--data", str(example))
    assert result.exit_code == 0, result.output
    found = sheets(out)
    assert len(found) == 15
    for s in found:
        assert s["columns"] == ["序号", "姓名", "单位", "电话", "签名"]
        assert s["rows"] == [["1", "", "", "", ""], ["2", "", "", "", ""]]
    assert found[0]["heading"]["活动名称："] == "“点滴祝福 云聚爱”妇女节祝福语征集活动"


def test_a_month_with_no_session_is_an_error_and_nothing_is_written(
    example: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "s.docx"
    out.parent.mkdir()
    out.write_bytes(b"earlier")
    for lang, expected in (
        (
            "en",
            [
                "2020-05 has no session to print a sign-in sheet for: no plan in "
                "data/2020-04/plans.yaml and no activity in data/2020-05/events.yaml",
                "  write the month's plan (服务预告) in 2020-04/plans.yaml, or record its "
                "activities in 2020-05/events.yaml (bulletin new 2020-05 starts the folder)",
            ],
        ),
        (
            "zh",
            [
                "2020-05 没有可以打印签到表的活动：data/2020-04/plans.yaml 中没有服务预告，"
                "data/2020-05/events.yaml 中也没有活动",
                "  在 2020-04/plans.yaml 中写下这个月的服务预告，或在 2020-05/events.yaml 中"
                "记录这个月的活动（bulletin new 2020-05 可以建立这个月的文件夹）",
            ],
        ),
    ):
        result = run("signin", "2020-05", "-o", str(out), "--data", "data", lang=lang, cwd=tmp_path)
        assert result.exit_code == 1
        assert result.stderr.splitlines() == expected
        assert result.stdout == ""
        assert out.read_bytes() == b"earlier"
        assert sorted(p.name for p in out.parent.iterdir()) == ["s.docx"]
        assert not (tmp_path / "build").exists()


def test_a_month_with_sessions_but_no_plan_says_so(small, tmp_path: Path) -> None:
    data = small(
        {
            "2020-03": {
                "events.yaml": """\
                activities:
                  - name: 义剪
                    sessions:
                      - {date: 2020-03-20, venue: 电信公司, participants: 3}
                """
            }
        }
    )
    out = tmp_path / "s.docx"
    result = run("signin", "2020-03", "-o", str(out), "--data", str(data), lang="zh")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "2020-02 没有 2020-03 的服务预告（plans.yaml）：只为 events.yaml 中已记录的场次打印签到表"
    ]
    assert result.stdout.splitlines()[0] == "共 1 张签到表：0 张来自服务预告，1 张来自已记录的场次"
    assert [s["heading"]["地点/对象："] for s in sheets(out)] == ["电信公司"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2020-13",), "2020-13"),
        (("2020-03", "-o", "s.txt"), "s.txt"),
    ],
)
def test_usage_mistakes(example: Path, tmp_path: Path, args: tuple, message: str) -> None:
    result = run("signin", *args, "--data", str(example), cwd=tmp_path)
    assert result.exit_code == 2
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == [example]


def test_the_same_data_gives_the_same_bytes(example: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "1.docx", tmp_path / "2.docx"
    assert run("signin", "2020-03", "-o", str(one), "--data", str(example)).exit_code == 0
    assert run("signin", "2020-03", "-o", str(two), "--data", str(example)).exit_code == 0
    assert one.read_bytes() == two.read_bytes()


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice or poppler is not installed",
)
def test_the_pdf_has_a_page_per_session_and_more_for_a_long_sheet(small, tmp_path: Path) -> None:
    """Laid out by LibreOffice: a sheet of 15 rows fills one A4 page; one of 20 runs onto a
    second page that repeats the session's heading and the columns."""
    data = small(
        {
            "2020-02": {
                "plans.yaml": """\
                plans:
                  - name: 法律讲座
                    content: 劳动法讲座。
                    rows:
                      - {target: 全市职工, due: 2020-03-06, staff: 张三}
                      - {target: 企业职工, due: 2020-03, staff: 李四}
                """
            },
            "2020-03": {
                "events.yaml": """\
                activities:
                  - name: 义剪
                    sessions:
                      - {date: 2020-03-20, venue: 电信公司, participants: 20}
                """
            },
        }
    )
    out = tmp_path / "签到 表.pdf"
    result = run("signin", "2020-03", "-o", str(out), "--data", str(data))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "签到 表.docx", "签到 表.pdf"]
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) == 4
    assert ["法律讲座" in p for p in pages] == [True, False, False, True]
    assert ["义剪" in p for p in pages] == [False, True, True, False]
    # The long sheet's second page: its heading and columns again, then rows 16 to 20.
    second = pages[2]
    assert "签 到 表" not in second and "地点/对象：电信公司" in second.replace(" ", "")
    numbers = [int(n) for n in re.findall(r"^\s*(\d+)\s*$", second, re.MULTILINE)]
    assert numbers == [16, 17, 18, 19, 20]
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+595\.\d* x 841\.\d* pts \(A4\)", info)


def _without_row_loop(template: Path, out: Path) -> None:
    """The template with the loop's rows deleted, as a user tidying the table in Word might."""
    doc = Document(str(template))
    tbl = doc.tables[0]._tbl
    for tr in list(tbl.iter(qn("w:tr"))):
        if re.search(r"\{%tr|\{\{ n \}\}", _text(tr)):
            tbl.remove(tr)
    doc.save(str(out))


def test_a_template_that_cannot_give_sheets_is_refused(example: Path, tmp_path: Path) -> None:
    from bulletin.template_search import builtin_templates

    out = tmp_path / "s.docx"
    broken = tmp_path / "tpl"
    broken.mkdir()
    (broken / "signin.docx").write_bytes(b"not a docx")
    args = ("signin", "2020-03", "-o", str(out), "--data", str(example))
    result = run(*args, "--templates", str(broken))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"the Word template {broken / 'signin.docx'} cannot be used")
    _without_row_loop(builtin_templates() / "signin.docx", broken / "signin.docx")
    result = run(*args, "--templates", str(broken))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"the Word template {broken / 'signin.docx'} repeats no row for the signatures: every "
        "sheet would have no rows",
        "  keep the table's row between the rows {%tr for n in s.rows %} and {%tr endfor %}, or "
        "start again from a copy of the built-in signin.docx",
    ]
    assert not out.exists()


def test_invalid_data_is_reported_and_nothing_is_written(example: Path, tmp_path: Path) -> None:
    plans = example / "2020-02" / "plans.yaml"
    text = plans.read_text(encoding="utf-8")
    plans.write_text(text.replace("due: 2020-03-22", "due: 2020-04-22"), encoding="utf-8")
    out = tmp_path / "s.docx"
    result = run("signin", "2020-03", "-o", str(out), "--data", str(example))
    assert result.exit_code == 1
    assert "2020-02/plans.yaml:" in result.stderr and "due" in result.stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


@pytest.mark.parametrize(
    "activity",
    [
        "{id: reading, name: 春季读书活动}",  # by id
        "{name: 读书会！}",  # by name, punctuation ignored
    ],
)
def test_plan_items_match_recorded_activities_as_stats_plan_does(
    small, tmp_path: Path, activity: str
) -> None:
    data = small(
        {
            "2020-02": {
                "plans.yaml": """\
                plans:
                  - {id: reading, name: 读书会, content: 共读。, rows: [{target: 图书馆, due: 2020-03-05, staff: 李四}]}
                """
            },
            "2020-03": {
                "events.yaml": f"""\
                activities:
                  - {activity[:-1]}, sessions: [{{date: 2020-03-06, venue: 职工之家, participants: 5}}]}}
                """
            },
        }
    )
    out = tmp_path / "s.docx"
    result = run("signin", "2020-03", "-o", str(out), "--data", str(data))
    assert result.exit_code == 0, result.output
    found = sheets(out)
    assert [(s["heading"]["地点/对象："], s["heading"]["跟进人员："]) for s in found] == [
        ("职工之家", "李四")
    ]
    assert "1 plan item is recorded in events.yaml" in result.stderr
