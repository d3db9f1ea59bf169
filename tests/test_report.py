"""`bulletin report`: the period report's tables, re-opened, against stats, progress and the
ledger for the same range, and the generated project's hand counts."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import run_cli
from contract_project import MONTHS, make
from docx import Document
from openpyxl import load_workbook

run = run_cli  # bulletin --lang LANG ARGS, in this process


def _table(doc, i: int) -> list[list[str]]:
    """The table of section i (一 … 六, from 0): a section with nothing to list has none."""
    heads = {0: "指标", 2: "活动名称", 3: "计划项", 4: "标题", 5: "台账"}
    for table in doc.tables:
        cells = [c.text for c in table.rows[0].cells]
        if (i in heads and heads[i] in cells) or (i == 1 and cells[1:2] and "探访" in cells[1]):
            return [[c.text for c in row.cells] for row in table.rows]
    raise AssertionError(f"no table for section {i}")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("report")
    data, exp = make(root)
    out = root / "报告.docx"
    result = run("report", "上半年", "-o", str(out), "--data", str(data))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"wrote {out}"
    return Document(str(out)), exp, data, root


def test_cover_and_headings(report) -> None:
    doc, *_ = report
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[:5] == [
        "工会社工服务项目",
        "上半年服务报告",
        "2020年2月 至 2020年7月",
        "截至2020年7月",
        "中山市工会社工综合服务中心",
    ]
    headings = [p.text for p in doc.paragraphs if p.style.name == "报告标题"]
    assert headings == [
        "一、合同指标完成情况",
        "二、每月服务数据",
        "三、活动开展情况",
        "四、服务计划执行情况",
        "五、简报文章",
        "六、服务台账合计",
    ]
    # as of its last month, nothing of the period is still to come
    assert not [t for t in texts if "尚未到来" in t or "不计入" in t]


def test_indicators_equal_progress(report) -> None:
    doc, _exp, data, _root = report
    progress = json.loads(
        run("progress", "2020-07", "--format", "json", "--data", str(data)).stdout
    )
    rows = _table(doc, 0)
    assert rows[0] == ["指标", "目标", "实际", "完成率", "应达", "状态"]
    got = [(r[0], r[2], r[3]) for r in rows[1:]]
    want = [(i["name"], str(i["actual"]), f"{i['percent']:g}%") for i in progress["indicators"]]
    assert got == want
    assert rows[1][5] == "正常" and rows[4][5] == "已完成"


def test_quarter_report_counts_indicators_from_the_contract_start(tmp_path: Path) -> None:
    """A quarter that starts after the contract period's first month: the funder reads the
    indicators as `progress` gives them for the quarter's last month (counted from the period's
    start), not over the quarter alone (15/30, 50 % where progress says 20/30, 66.7 %)."""
    data, exp = make(tmp_path)
    out = tmp_path / "q2.docx"
    result = run("report", "2020-Q2", "-o", str(out), "--data", str(data))
    assert result.exit_code == 0, result.output
    progress = run("progress", "2020-06", "--format", "csv", "--data", str(data), lang="zh")
    assert progress.exit_code == 0, progress.output
    table = list(csv.reader(io.StringIO(progress.stdout.lstrip("\ufeff"))))
    assert table[0] == [
        "指标", "统计项", "范围", "目标", "实际", "完成率%", "应达", "进度%", "状态", "截止", "统计月份",
    ]  # fmt: skip
    want = [[r[0], r[3], r[4], f"{r[5]}%", r[6], r[8]] for r in table[1:]]
    doc = Document(str(out))
    got = _table(doc, 0)[1:]
    assert got == want
    # the first indicator, counted by hand from the generator: 2020-02 to 2020-06
    assert got[0][:3] == ["困难职工探访 不少于 30 户次", "30", str(exp.upto("visits", "2020-06"))]
    assert got[0][2] == "20" and got[0][5] == "滞后"
    assert got[2][2] == str(exp.upto("sessions", "2020-06"))


def test_months_table_equals_stats_and_hand_counts(report) -> None:
    doc, exp, data, _root = report
    stats = json.loads(
        run(
            "stats", "--from", "2020-02", "--to", "2020-07", "--format", "json", "--data", str(data)
        ).stdout
    )
    rows = _table(doc, 1)
    assert rows[0][:3] == ["月份", "探访户数", "活动场次"]
    assert [r[0] for r in rows[1:-1]] == [f"2020年{int(m[5:])}月" for m in MONTHS]
    for row, month, figures in zip(rows[1:-1], MONTHS, stats["months"], strict=True):
        assert row[1] == str(exp.visits[month]) == str(figures["visits"])
        assert row[2] == str(exp.sessions[month]) == str(figures["activity_sessions"])
        assert row[3] == str(exp.participants[month])
    total = rows[-1]
    assert total[0] == "合计"
    assert total[1] == str(stats["total"]["visits"]) == str(sum(exp.visits.values()))
    assert total[8] == str(stats["total"]["people_served"])
    assert len(doc.inline_shapes) == 1  # the chart


def test_activities_plans_and_ledger(report) -> None:
    doc, exp, data, root = report
    activities = _table(doc, 2)[1:]
    assert len(activities) == 6 + 3  # one 职工活动 a month, a care activity in three
    assert activities[0] == ["2020年2月", "职工活动0", "职工活动", "2月10日", "1", "10", ""]
    plans = _table(doc, 3)[1:]
    # every month from 2020-03 carried out last month's one plan item
    assert plans == [[f"2020年{int(m[5:])}月", "1", "1", "0", "无"] for m in MONTHS[1:]]
    ledger = {r[0]: r for r in _table(doc, 5)[1:]}
    out = root / "台账.xlsx"
    run("ledger", "--period", "上半年", "-o", str(out), "--data", str(data))
    wb = load_workbook(out)
    for sheet in ("探访", "活动", "服务", "心理咨询", "微心愿"):
        assert ledger[sheet][1] == str(wb[sheet].max_row - 2), sheet  # rows without header, total
    assert ledger["探访"][2] == f"户次 {sum(exp.visits.values())}"
    assert ledger["活动"][2] == (
        f"场次 {sum(exp.sessions.values())}；人次 {sum(exp.participants.values())}"
    )
    # a figure under its column's name, a decimal as the number rule writes it; the wishes'
    # worded totals as they are
    people, hours = sum(exp.people.values()), sum(exp.hours.values())
    assert ledger["心理咨询"][2].startswith(f"人数 {people}；时长（小时） {hours:g}；次数 ")
    assert ledger["微心愿"][2] == (
        f"收集 {sum(exp.wishes.values())}；完成 {sum(exp.fulfilled.values())}"
    )


def test_report_bad_period_writes_nothing(tmp_path: Path) -> None:
    data, _exp = make(tmp_path)
    out = tmp_path / "r.docx"
    result = run("report", "2020-Q5", "-o", str(out), "--data", str(data), lang="zh")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "“2020-Q5”不是季度（2020-Q1）、年份（2020）或合同期名称（上半年、下半年）"
    )
    for ends in ([], ["--from", "2020-03"], ["--to", "2020-03"]):
        result = run("report", *ends, "-o", str(out), "--data", str(data))
        assert result.exit_code == 2
        assert result.stderr.strip() == (
            "give a period (2020-Q1, 2020 or a contract period's name) or both --from and --to"
        )
    broken = tmp_path / "tpl"
    broken.mkdir()
    (broken / "report.docx").write_bytes(b"not a docx")
    result = run(
        "report", "2020-Q2", "-o", str(out), "--data", str(data), "--templates", str(broken)
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(f"the Word template {broken / 'report.docx'} cannot be used")
    assert not out.exists()


def test_the_report_holds_the_collector_and_draws_its_chart_with_the_months_freed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The months read make no garbage: the collector is held while the report is made (it
    would walk them again and again) and restored after; the chart, whose import of
    matplotlib leaves reference cycles through the frames on the stack, is drawn once no
    frame holds the months."""
    import gc

    from bulletin import period, stats

    data, _exp = make(tmp_path)
    seen: list[tuple[bool, bool]] = []
    draw = stats.to_chart
    # months an earlier test in this process still holds (as under mutmut) are not this report's
    earlier = {id(o) for o in gc.get_objects() if type(o) is period.Span}

    def spy(figures: stats.Stats, fmt: str = "png") -> bytes:
        months_alive = any(
            type(o) is period.Span and id(o) not in earlier for o in gc.get_objects()
        )
        seen.append((gc.isenabled(), months_alive))
        return draw(figures, fmt)

    monkeypatch.setattr(stats, "to_chart", spy)
    result = run("report", "2020-Q2", "-o", str(tmp_path / "r.docx"), "--data", str(data))
    assert result.exit_code == 0, result.output
    assert seen == [(False, False)] and gc.isenabled()


def test_a_quarter_and_a_range(tmp_path: Path) -> None:
    data, exp = make(tmp_path)
    out = tmp_path / "q.docx"
    assert run("report", "2020-Q2", "-o", str(out), "--data", str(data)).exit_code == 0
    doc = Document(str(out))
    assert doc.paragraphs[1].text == "2020年第二季度服务报告"
    rows = _table(doc, 1)
    assert rows[-1][1] == str(sum(exp.visits[m] for m in ("2020-04", "2020-05", "2020-06")))
    out = tmp_path / "r.docx"
    result = run(
        "report", "--from", "2020-03", "--to", "2020-04", "-o", str(out), "--data", str(data)
    )
    assert result.exit_code == 0, result.output
    assert Document(str(out)).paragraphs[1].text == "2020年3月至2020年4月服务报告"


def test_report_pdf_uses_the_soffice_option(tmp_path: Path) -> None:
    data, _exp = make(tmp_path)
    out = tmp_path / "r.docx"
    wrong = tmp_path / "soffice.exe"
    result = run(
        "report", "2020-Q2", "--pdf", "--soffice", str(wrong), "-o", str(out), "--data", str(data)
    )
    assert result.exit_code == 1
    assert result.stdout.strip() == f"wrote {out}"
    assert result.stderr.splitlines()[1] == (
        f"--soffice names {wrong}, which is not the LibreOffice program, so no PDF was made"
    )
    assert out.is_file() and not out.with_suffix(".pdf").exists()
    assert "--soffice" in run("report", "--help").output


REPORT_WORDS = """\
# A centre's own words for the report; the phrases it leaves out stay built in.
report_quarter: "{{ project.name }}{{ year }}年Q{{ quarter }}"
report_span: "{{ first }}—{{ last }}"
report_period: "{{ period.name }}，统计到{{ as_of }}"
report_month_column: 月
report_total: 总计
report_ledger_totals: "{{ items | join(' / ') }}"
report_nothing: ——
report_file: "季报{{ title }}"
month_label: "{{ date.year }}.{{ date.month }}"
day: "{{ date.month }}/{{ date.day }}"
"""


def test_a_centre_restyles_the_reports_words(tmp_path: Path, monkeypatch) -> None:
    """The report's phrases live in wording.yaml: a --templates folder (or the project's)
    restyles them phrase by phrase, and the months, days and lists follow the bulletin's."""
    data, exp = make(tmp_path)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "wording.yaml").write_text(REPORT_WORDS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("report", "2020-Q2", "--data", str(data), "--templates", str(mine))
    assert result.exit_code == 0, result.output
    out = Path("build") / "季报工会社工服务项目2020年Q2.docx"
    assert result.stdout.strip() == f"wrote {out}"
    doc = Document(str(out))
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[1:3] == ["工会社工服务项目2020年Q2服务报告", "2020.4—2020.6"]
    assert "上半年，统计到2020.6。" in texts
    months = _table(doc, 1)
    assert [r[0] for r in months] == ["月", "2020.4", "2020.5", "2020.6", "总计"]
    assert months[-1][1] == str(sum(exp.visits[m] for m in ("2020-04", "2020-05", "2020-06")))
    activities = _table(doc, 2)[1:]
    assert activities[0][:3] == ["2020.4", "职工活动2", "职工活动"]
    assert all(a[3].startswith(("4/", "5/", "6/")) for a in activities)
    assert _table(doc, 3)[1:] == [[f"2020.{m}", "1", "1", "0", "——"] for m in (4, 5, 6)]
    ledger = {r[0]: r for r in _table(doc, 5)[1:]}
    assert ledger["活动"][2].startswith("场次 ") and " / 人次 " in ledger["活动"][2]
    # Without the centre's words: the built-in ones.
    result = run("report", "2020-Q2", "--data", str(data))
    assert result.stdout.strip() == f"wrote {Path('build') / '报告-2020年第二季度.docx'}"


def test_the_projects_own_templates_folder_restyles_the_report(tmp_path: Path) -> None:
    """wording.yaml in the folder project.yaml's `templates:` names restyles the report as
    it does the bulletin, without --templates."""
    data, _exp = make(tmp_path)
    project = data / "project.yaml"
    project.write_text(project.read_text("utf-8") + "templates: templates\n", "utf-8")
    (data / "templates").mkdir()
    words = 'report_quarter: "{{ project.name }}{{ year }}年第{{ quarter_cn }}季度"\n'
    (data / "templates" / "wording.yaml").write_text(words, encoding="utf-8")
    out = tmp_path / "r.docx"
    result = run("report", "2020-Q2", "-o", str(out), "--data", str(data))
    assert result.exit_code == 0, result.output
    texts = [p.text for p in Document(str(out)).paragraphs if p.text]
    assert texts[1] == "工会社工服务项目2020年第二季度服务报告"


def test_a_broken_report_phrase_is_reported_and_nothing_is_written(tmp_path: Path) -> None:
    data, _exp = make(tmp_path)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "wording.yaml").write_text('report_year: "{{ years }}年度"\n', encoding="utf-8")
    out = tmp_path / "r.docx"
    result = run("report", "2020", "-o", str(out), "--data", str(data), "--templates", str(mine))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{mine / 'wording.yaml'}:1: report_year: placeholder failed: 'years' is undefined"
    )
    assert not out.exists()


def test_a_bad_period_without_any_contract_says_there_is_none(tmp_path: Path) -> None:
    """A project with no contract periods lists none: a dash, not an empty pair of brackets."""
    from conftest import write_project

    data = write_project(tmp_path, {"2020-02": {}})
    result = run("report", "上半年", "-o", str(tmp_path / "r.docx"), "--data", str(data), lang="zh")
    assert result.exit_code == 2
    assert result.stderr.strip() == ("“上半年”不是季度（2020-Q1）、年份（2020）或合同期名称（-）")
    assert not (tmp_path / "r.docx").exists()


def test_a_report_reads_no_month_after_its_range_or_as_of(tmp_path: Path) -> None:
    """A slip in a month after the report's range, or after its --as-of month, does not stop
    the report: those months are not read (the report is true on the day it is sent). The
    report is dated the first day after the month it is as of."""
    from datetime import UTC, datetime

    data, _exp = make(tmp_path)
    (data / "2020-07" / "visits.yaml").write_text("visits: [\n", encoding="utf-8")
    out = tmp_path / "r.docx"
    slipped = run("report", "2020-Q3", "-o", str(out), "--data", str(data))
    assert slipped.exit_code == 1 and "2020-07" in slipped.stderr  # the slip is one
    assert not out.exists()
    result = run("report", "2020-Q2", "-o", str(out), "--data", str(data))
    assert result.exit_code == 0, result.output
    assert Document(str(out)).core_properties.created == datetime(2020, 7, 1, tzinfo=UTC)
    (data / "2020-06" / "visits.yaml").write_text("visits: [\n", encoding="utf-8")
    result = run("report", "2020-Q2", "--as-of", "2020-05", "-o", str(out), "--data", str(data))
    assert result.exit_code == 0, result.output
    assert Document(str(out)).core_properties.created == datetime(2020, 6, 1, tzinfo=UTC)


def test_a_report_of_months_without_data_names_the_months_that_have(tmp_path: Path) -> None:
    import shutil

    data, _exp = make(tmp_path)
    for month in ("2020-04", "2020-05", "2020-06"):
        shutil.rmtree(data / month)
    out = tmp_path / "r.docx"
    result = run("report", "2020-Q2", "-o", str(out), "--data", str(data))
    assert (result.exit_code, result.stderr) == (
        1,
        "no month from 2020-04 to 2020-06 has data\n  months with data: 2020-02 – 2020-07\n",
    )
    assert not out.exists()
    # As of a month of the range: the months up to it are those said to have no data.
    result = run("report", "2020-Q2", "--as-of", "2020-05", "-o", str(out), "--data", str(data))
    assert result.stderr.splitlines()[0] == "no month from 2020-04 to 2020-05 has data"
    assert not out.exists()


def test_a_report_outside_any_contract_says_so_under_its_indicators(tmp_path: Path) -> None:
    from conftest import PROJECT_YAML, write_project

    data = write_project(tmp_path, {"2020-02": {}}, PROJECT_YAML)
    out = tmp_path / "r.docx"
    result = run(
        "report", "--from", "2020-02", "--to", "2020-02", "-o", str(out), "--data", str(data)
    )
    assert result.exit_code == 0, result.output
    texts = [p.text for p in Document(str(out)).paragraphs if p.text]
    heading = texts.index("一、合同指标完成情况")
    assert texts[heading + 1 : heading + 3] == [
        "本期不在合同期内，或合同期没有指标。",
        "二、每月服务数据",
    ]
    assert not any(t.rows[0].cells[0].text == "指标" for t in Document(str(out)).tables)


def _with_a_rate_indicator(data: Path) -> None:
    """Add to the contract period a rate indicator: 满意度九成, satisfaction at least 90 %."""
    project = data / "project.yaml"
    wishes = "      - {name: 微心愿 4 个, figure: wishes_fulfilled, target: 4}\n"
    rate = "      - {name: 满意度九成, figure: satisfaction, target: 90}\n"
    project.write_text(project.read_text("utf-8").replace(wishes, wishes + rate), "utf-8")


def test_the_activities_satisfaction_and_the_articles_are_each_months(tmp_path: Path) -> None:
    """Section 三 gives each activity's month, days, sessions, people and the satisfaction of
    its own questionnaires (8 of 10 satisfied: 80%; none returned: blank), and section 五
    each article's title under the month it was published in, in the order typed."""
    data, _exp = make(tmp_path)
    events = data / "2020-03" / "events.yaml"
    events.write_text(
        events.read_text("utf-8").replace(
            "    participants: 20\n",
            "    participants: 20\n    satisfaction: {answers: {满意: 8, 不满意: 2}}\n",
        ),
        encoding="utf-8",
    )
    (data / "2020-04" / "articles.yaml").write_text(
        "articles:\n"
        "  - {section: 项目快讯, title: 四月的义剪, body: 社工为职工义剪。}\n"
        "  - {section: 职工关爱服务, title: 探访困难职工, body: 社工上门探访。}\n",
        encoding="utf-8",
    )
    _with_a_rate_indicator(data)
    out = tmp_path / "报告.docx"
    result = run("report", "2020", "-o", str(out), "--data", str(data))
    assert result.exit_code == 0, result.output
    doc = Document(str(out))
    assert doc.paragraphs[1].text == "2020年度服务报告"
    # a rate is shown as one: its target, what was reached and what was due by July
    assert _table(doc, 0)[-1] == ["满意度九成", "90%", "80%", "88.9%", "90%", "滞后"]
    months = _table(doc, 1)
    assert months[0][-1] == "满意度" and months[2][0] == "2020年3月"
    assert [row[-1] for row in months[1:]] == ["", "80%", "", "", "", "", "80%"]  # 合计 last
    assert months[2][5] == "3" and months[-1][5] == "31.5"  # counselling hours: 1.5 + 1.5
    activities = _table(doc, 2)[1:]
    assert activities[1] == [
        "2020年2月",
        "关爱活动0",
        "职工关爱活动",
        "2月20日、2月21日",
        "2",
        "11",
        "",
    ]
    assert activities[2] == [
        "2020年3月",
        "职工活动1",
        "职工活动",
        "3月10日、3月11日",
        "2",
        "20",
        "80%",
    ]
    assert [row[-1] for row in activities] == ["", "", "80%"] + [""] * 6
    articles = _table(doc, 4)[1:]
    assert articles == [["2020年4月", "四月的义剪"], ["2020年4月", "探访困难职工"]]
    # the ledger's summary sheet gives the rate indicator as the report does
    book = tmp_path / "台账.xlsx"
    assert run("ledger", "--period", "上半年", "-o", str(book), "--data", str(data)).exit_code == 0
    summary = [
        [c for c in row if c is not None] for row in load_workbook(book).worksheets[0].values
    ]
    assert ["满意度九成", "满意度", "90%", "80%"] in summary


def test_as_of_may_be_the_first_or_the_last_month_of_the_range_and_no_other(
    tmp_path: Path,
) -> None:
    """`--as-of` names a month of the report's range, its first and last included; as of
    its last month nothing is left to come, as of its first the rest of the range is."""
    data, _exp = make(tmp_path)
    out = tmp_path / "q.docx"
    for as_of, after in (("2020-04", "2020年5月至2020年6月"), ("2020-06", None)):
        result = run("report", "2020-Q2", "--as-of", as_of, "-o", str(out), "--data", str(data))
        assert result.exit_code == 0, result.output
        texts = [p.text for p in Document(str(out)).paragraphs]
        assert texts[3] == f"截至2020年{int(as_of[5:])}月"
        months = texts[texts.index("二、每月服务数据") + 1]
        assert months == (f"{after}不计入本报告。" if after else ""), months
    out.unlink()
    for as_of in ("2020-03", "2020-07"):
        result = run("report", "2020-Q2", "--as-of", as_of, "-o", str(out), "--data", str(data))
        assert result.exit_code == 2
        assert f"--as-of {as_of} is not in the report's months (2020-04 … 2020-06)" in result.output
        assert not out.exists()


def test_a_month_without_data_is_named_and_shown_as_a_dash(tmp_path: Path) -> None:
    """A month of the range whose folder is missing is named under the months table and
    its row shows "—" (not 0, which would read as a month without any service), but for
    what other months' records say happened in it."""
    import shutil

    data, exp = make(tmp_path)
    shutil.rmtree(data / "2020-04")
    out = tmp_path / "报告.docx"
    result = run("report", "上半年", "-o", str(out), "--data", str(data))
    assert result.exit_code == 0, result.output
    doc = Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    assert texts[texts.index("二、每月服务数据") + 1] == "2020年4月没有数据，表中以“—”表示。"
    april = _table(doc, 1)[3]
    # only March's wish, fulfilled on 10 April, is counted in it
    assert april == ["2020年4月", "—", "—", "—", "—", "—", "—", "1", "—", "—"]
    assert _table(doc, 1)[-1][1] == str(sum(v for m, v in exp.visits.items() if m != "2020-04"))


def test_a_rate_without_questionnaires_is_a_dash_in_the_indicators(tmp_path: Path) -> None:
    """A satisfaction indicator before any questionnaire came back has no value and no
    per cent yet: both read "—", not 0 or 0%."""
    data, _exp = make(tmp_path)
    _with_a_rate_indicator(data)
    out = tmp_path / "报告.docx"
    result = run("report", "上半年", "-o", str(out), "--data", str(data))
    assert result.exit_code == 0, result.output
    assert _table(Document(str(out)), 0)[-1] == ["满意度九成", "90%", "—", "—", "90%", "暂无数据"]
