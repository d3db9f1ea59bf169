"""Contract indicators in project.yaml and `bulletin progress`, on a generated project whose
figures are counted from the generator's parameters."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import PROJECT_YAML
from contract_project import make
from openpyxl import load_workbook
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.progress import status

runner = CliRunner()


def run(*args: str, lang: str = "en"):
    return runner.invoke(
        app, ["--lang", lang, *args], env={"LANG": "C", "LANGUAGE": "", "COLUMNS": "200"}
    )


@pytest.fixture
def project(tmp_path: Path):
    return make(tmp_path)


def test_status_rule() -> None:
    assert status(10, 10, 5) == "reached"
    assert status(11, 20, 10) == "ahead"
    assert status(9, 20, 10) == "on_track"
    assert status(10.9, 20, 10) == "on_track"
    assert status(8.9, 20, 10) == "behind"


def test_progress_json_as_of_a_month(project) -> None:
    data, exp = project
    result = run("progress", "2020-05", "--data", str(data), "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["period"] == {"name": "上半年", "start": "2020-02", "end": "2020-07", "months": 6}
    assert doc["as_of"] == "2020-05" and doc["months_elapsed"] == 4
    got = {
        i["name"]: (i["actual"], i["percent"], i["expected"], i["status"])
        for i in doc["indicators"]
    }
    visits = exp.upto("visits", "2020-05")
    assert visits == 14
    assert got["困难职工探访 不少于 30 户次"] == (14, 46.7, 20, "behind")
    assert exp.upto("shenwan", "2020-05") == 6
    assert got["神湾镇探访 9 户次"] == (6, 66.7, 6, "on_track")
    assert exp.upto("sessions", "2020-05") == 10
    assert got["职工活动 12 场"] == (10, 83.3, 8, "ahead")
    assert exp.upto("care_participants", "2020-05") == 22
    assert got["关爱活动 20 人次"] == (22, 110, 13.33, "reached")
    # due 2020-04 and not reached by the end of 2020-05: overdue, whatever the pace
    assert exp.upto("hours", "2020-05") == 15
    assert got["心理咨询 30 小时"] == (15, 50, 30, "overdue")
    assert exp.upto("fulfilled", "2020-05") == 3
    assert got["微心愿 4 个"] == (3, 75, 2.67, "ahead")
    assert doc["indicators"][4]["due"] == "2020-04"
    assert doc["notes"] == []
    assert not any("rate" in i for i in doc["indicators"])  # counts, none a rate


def test_progress_equals_stats_for_the_same_range(project) -> None:
    data, _exp = project
    stats = json.loads(
        run(
            "stats", "--from", "2020-02", "--to", "2020-06", "--data", str(data), "--format", "json"
        ).stdout
    )["total"]
    doc = json.loads(run("progress", "2020-06", "--data", str(data), "--format", "json").stdout)
    for item in doc["indicators"]:
        if not item["towns"] and not item["kind"]:
            assert item["actual"] == stats[item["figure"]], item["name"]


def test_progress_table_in_chinese_defaults_to_the_latest_month(project) -> None:
    data, exp = project
    result = run("progress", "--data", str(data), lang="zh")
    assert result.exit_code == 0, result.output
    assert "上半年（2020-02 至 2020-07），截至 2020-07：第 6 个月，共 6 个月" in result.stdout
    line = next(x for x in result.stdout.splitlines() if "困难职工探访" in x)
    cells = [c.strip() for c in line.strip("│ ").split("│")]
    assert exp.upto("visits", "2020-07") == 27
    # exactly 90 % of where it should be: on track
    assert cells == [
        "困难职工探访 不少于 30 户次",
        "探访户数",
        "",
        "30",
        "27",
        "90",
        "30",
        "90",
        "正常",
        "2020-07",
    ]
    assert "已完成：实际 ≥ 目标" in result.stdout


@pytest.mark.parametrize("columns", [80, 100])
def test_progress_at_a_narrow_terminal_cuts_nothing(project, columns: int) -> None:
    """At 80 columns each indicator is a block of lines: every name, figure and due month
    whole, no line wider than the terminal."""
    data, _exp = project
    result = runner.invoke(
        app,
        ["--lang", "zh", "progress", "--data", str(data)],
        env={"LANG": "C", "LANGUAGE": "", "COLUMNS": str(columns)},
    )
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "…" not in text
    whole = ["2020-04", "31.5", "122.2", "已完成"]
    if columns == 80:  # stacked: names whole too; in a table they may wrap inside their cell
        whole += ["困难职工探访 不少于 30 户次", "关爱活动 20 人次", "职工关爱活动"]
    for name in whole:
        assert name in text, name
    widths = [sum(2 if ord(c) > 0x2E7F else 1 for c in line) for line in text.splitlines()]
    assert max(widths) <= columns


def test_progress_csv_and_xlsx(project, tmp_path: Path) -> None:
    """A file says on each row as of which month its expected values and status hold: it is
    sent on, away from the terminal's title."""
    data, _exp = project
    result = run("progress", "2020-03", "--data", str(data), "--format", "csv", lang="zh")
    rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))))
    assert rows[0] == [
        "指标", "统计项", "范围", "目标", "实际", "完成率%", "应达", "进度%", "状态", "截止", "统计月份",
    ]  # fmt: skip
    assert rows[2] == [
        "神湾镇探访 9 户次",
        "探访户数",
        "神湾镇",
        "9",
        "2",
        "22.2",
        "3",
        "66.7",
        "滞后",
        "2020-07",
        "2020-03",
    ]
    out = tmp_path / "进度.xlsx"
    result = run("progress", "2020-03", "--data", str(data), "--format", "xlsx", "-o", str(out))
    assert result.exit_code == 0 and result.stderr.strip() == f"wrote {out}"
    ws = load_workbook(out).active
    assert ws.title == "progress"
    assert [c.value for c in ws[5]] == [
        "关爱活动 20 人次",
        "activity participants (人次)",
        "职工关爱活动",
        20,
        11,
        55,
        6.67,
        165,
        "ahead",
        "2020-07",
        "2020-03",
    ]
    assert ws[1][10].value == "as of"
    assert ws.freeze_panes == "A2"


def test_progress_notes_months_without_data(project) -> None:
    data, _exp = project
    result = run("progress", "2020-08", "--period", "下半年", "--data", str(data))
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == "no data for 2020-08: counted as 0"
    # the json, a document for programs, is in English whatever the reader's language, and
    # keeps Chinese names as they are written
    result = run(
        "progress",
        "2020-08",
        "--period",
        "下半年",
        "--data",
        str(data),
        "--format",
        "json",
        lang="zh",
    )
    doc = json.loads(result.stdout)
    assert doc["notes"] == ["no data for 2020-08: counted as 0"]
    assert doc["status_rule"].startswith("expected = target × months elapsed ÷ months to the due")
    assert '"name": "下半年"' in result.stdout
    # without a month, a period is as of its latest month with data: this one has none yet
    result = run("progress", "--period", "下半年", "--data", str(data))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "no month from 2020-08 to 2021-01 has data",
        "  a period is reported as of its latest month with data; give a month to report it "
        "as of another",
    ]


def test_progress_of_the_example_project(example: Path) -> None:
    result = run("progress", "--data", str(example), "--format", "json")
    doc = json.loads(result.stdout)
    got = [(i["figure"], i["target"], i["actual"]) for i in doc["indicators"]]
    assert got == [
        ("visits", 200, 14),
        ("towns", 15, 6),
        ("activity_sessions", 24, 2),
        ("people_served", 3000, 159),
        ("counselling_hours", 120, 16),
        ("wishes_fulfilled", 50, 0),
    ]


@pytest.mark.parametrize(
    ("indicator", "message"),
    [
        (
            "{name: 探访, figure: vists, target: 10}",
            "project.yaml:12: contract[0].indicators[0].figure: 'vists' is not a figure of "
            "bulletin stats (did you mean visits?)",
        ),
        (
            "{name: 探访, figure: visits, target: 0}",
            "project.yaml:12: contract[0].indicators[0].target: must be more than 0 (got 0)",
        ),
        (
            "{name: 探访, figure: people_served, target: 10, towns: [神湾镇]}",
            "project.yaml:12: contract[0].indicators[0].towns: towns only applies to the figures "
            "visits, phone_visits, home_visits, wishes_collected, wishes_fulfilled, "
            "not to people_served",
        ),
        (
            "{name: 探访, figure: visits, target: 10, towns: [东风镇]}",
            "project.yaml:12: contract[0].indicators[0].towns[0]: '东风镇' is not a known town "
            "(did you mean 东凤镇?)",
        ),
        (
            "{name: 探访, figure: visits, target: 10, due: 2021-03}",
            "project.yaml:12: contract[0].indicators[0].due: 2021-03 is outside the contract "
            "period 2020-02 … 2021-01",
        ),
        (
            "{name: 探访, figure: visits, target: 10, goal: 3}",
            "project.yaml:12: contract[0].indicators[0].goal: 'goal' is not a known field "
            "(known fields: name, figure, target, towns, kind, due)",
        ),
    ],
)
def test_bad_indicators_are_located(tmp_path: Path, indicator: str, message: str) -> None:
    data = tmp_path / "data"
    (data / "2020-02").mkdir(parents=True)
    (data / "project.yaml").write_text(
        PROJECT_YAML
        + "contract:\n  - name: 第一期\n    start: 2020-02\n    end: 2021-01\n    indicators:\n"
        + f"      - {indicator}\n",
        encoding="utf-8",
    )
    out = tmp_path / "p.csv"
    result = run("progress", "--data", str(data), "--format", "csv", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"{data}/{message}", "1 error in 1 file"]
    assert not out.exists()


def test_bad_periods_are_located(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "project.yaml").write_text(
        PROJECT_YAML
        + "contract:\n  - {name: 一期, start: 2020-02, end: 2021-01}\n"
        + "  - {name: 二期, start: 2021-01, end: 2020-12}\n",
        encoding="utf-8",
    )
    result = run("progress", "--data", str(data))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{data}/project.yaml:9: contract[1].end: the period ends (2020-12) before it starts (2021-01)"
    )
    (data / "project.yaml").write_text(
        PROJECT_YAML
        + "contract:\n  - {name: 一期, start: 2020-02, end: 2021-01}\n"
        + "  - {name: 二期, start: 2021-01, end: 2021-12}\n",
        encoding="utf-8",
    )
    result = run("progress", "--data", str(data), lang="zh")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{data}/project.yaml:9: contract[1].start（第 2 条）: 合同期“二期”与“一期”的月份重叠"
    )


def test_progress_usage_errors(project, tmp_path: Path) -> None:
    data, _exp = project
    result = run("progress", "2019-12", "--data", str(data))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "2019-12 is in no contract period (上半年 2020-02…2020-07、下半年 2020-08…2021-01)"
    )
    result = run("progress", "--period", "全年", "--data", str(data), lang="zh")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "没有名为“全年”的合同期（现有：上半年 2020-02…2020-07、下半年 2020-08…2021-01）"
    )
    result = run("progress", "--data", str(data), "--format", "xlsx")
    assert result.exit_code == 2
    assert result.stderr.strip() == "--format xlsx needs -o FILE.xlsx"


def test_progress_without_a_contract(small) -> None:
    data = small({"2020-02": {}})
    result = run("progress", "--data", str(data), lang="zh")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "project.yaml 中没有合同期（contract）",
        "  请添加 contract: 列表，写明 name、start、end 和 indicators；参见《使用指南》的“合同指标”一节",
    ]


def test_progress_before_the_first_month(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "project.yaml").write_text(
        PROJECT_YAML + "contract:\n  - {name: 一期, start: 2020-02, end: 2021-01}\n",
        encoding="utf-8",
    )
    result = run("progress", "--data", str(data), lang="zh")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{data} 中没有月份文件夹，还没有可报告的进度",
        "  月份文件夹的名字形如 2020-02；可以用 bulletin new 2020-02 创建",
    ]


def test_the_bulletin_prints_the_indicators_only_when_asked(example: Path, tmp_path: Path) -> None:
    from docx import Document

    def texts(out: Path) -> tuple[list[str], list[list[str]]]:
        doc = Document(str(out))
        paras = [p.text for p in doc.paragraphs]
        tables = [[c.text for c in t.rows[0].cells] for t in doc.tables]
        return paras, tables

    out = tmp_path / "default.docx"
    assert run("build", "2020-02", "--data", str(example), "-o", str(out)).exit_code == 0
    paras, heads = texts(out)
    assert "三、指标进度" not in paras  # the reference's layout by default
    assert ["序号", "指标", "目标", "累计完成", "完成率", "状态"] not in heads
    project = example / "project.yaml"
    project.write_text(project.read_text("utf-8") + "progress_table: true\n", "utf-8")
    out = tmp_path / "with.docx"
    result = run("build", "2020-02", "--data", str(example), "-o", str(out))
    assert result.exit_code == 0, result.output
    doc = Document(str(out))
    paras = [p.text for p in doc.paragraphs]
    at = paras.index("三、指标进度")
    assert paras[at + 1] == "合同期“2020年度”截至本月的指标完成情况："
    table = next(t for t in doc.tables if t.rows[0].cells[1].text == "指标")
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["序号", "指标", "目标", "累计完成", "完成率", "状态"]
    assert rows[1] == ["1", "困难职工探访 不少于 200 户次", "200", "14", "7%", "滞后"]
    assert rows[4] == ["4", "服务职工 不少于 3,000 人次", "3000", "159", "5.3%", "滞后"]
    assert len(rows) == 7


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("columns", [60, 80, 100, 120])
def test_no_terminal_width_cuts_the_right_edge(example: Path, lang: str, columns: int) -> None:
    """English headers do not fold as Chinese ones do: at 80 columns the table was laid out
    and its right edge (the due month) cut. Whatever the width, every due month is whole and
    no line is wider than the terminal."""
    result = runner.invoke(
        app,
        ["--lang", lang, "progress", "--data", str(example)],
        env={"LANG": "C", "LANGUAGE": "", "COLUMNS": str(columns)},
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert result.stdout.count("2021-01") == 1 + 6  # in the title, and each due month
    assert max(sum(2 if ord(c) > 0x2E7F else 1 for c in line) for line in lines) <= columns


def test_an_indicator_nothing_counts_yet_is_nought_and_a_kind_never_recorded_is_said(
    small,
) -> None:
    """Counselling sessions no month has given yet count 0 (not blank); an indicator of an
    activity kind no record has is named, with the kinds there are; a month without data is
    said first."""
    contract = """\
contract:
  - name: 一期
    start: 2020-02
    end: 2020-07
    indicators:
      - {name: 咨询 10 次, figure: counselling_sessions, target: 10}
      - {name: 亲子活动 2 场, figure: activity_sessions, target: 2, kind: 亲子活动}
"""
    data = small({"2020-02": {}, "2020-04": {}}, PROJECT_YAML + contract)
    result = run("progress", "2020-04", "--data", str(data), "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [(i["actual"], i["status"]) for i in doc["indicators"]] == [
        (0, "behind"),
        (0, "behind"),
    ]
    assert doc["notes"] == [
        "no data for 2020-03: counted as 0",
        "indicator '亲子活动 2 场': no activity of kind '亲子活动' so far (kinds recorded: -)",
    ]


def test_progress_reads_no_month_after_the_one_it_is_as_of(project) -> None:
    """A slip being typed into a later month does not stop the progress of an earlier one."""
    data, exp = project
    (data / "2020-07" / "visits.yaml").write_text("visits: [\n", encoding="utf-8")
    assert run("progress", "2020-07", "--data", str(data)).exit_code == 1  # the slip is one
    result = run("progress", "2020-05", "--data", str(data), "--format", "json")
    assert result.exit_code == 0, result.output
    actual = {i["name"]: i["actual"] for i in json.loads(result.stdout)["indicators"]}
    assert actual["困难职工探访 不少于 30 户次"] == exp.upto("visits", "2020-05")
