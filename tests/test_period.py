"""The period engine and the figure registry: every command over months reads each file once
and shows the same figure, and the tables it hands out are safe to open."""

from __future__ import annotations

import csv
import io
import json
import os
from collections import Counter
from pathlib import Path

import pytest
from conftest import run_cli
from contract_project import make
from openpyxl import load_workbook

from bulletin import figures, loader

run = run_cli  # bulletin --lang LANG ARGS, in this process


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory):
    return make(tmp_path_factory.mktemp("period"))


@pytest.mark.parametrize(
    "args",
    [
        ("report", "上半年"),
        ("stats", "--explain", "people_served"),
        ("stats", "--by", "town"),
        ("progress", "2020-07"),
        ("ledger",),
        ("build", "2020-05"),  # with the contract's progress table in it
    ],
)
def test_no_file_is_read_twice(project, tmp_path: Path, monkeypatch, args) -> None:
    data, _exp = project
    if args[0] == "build":
        with (data / "project.yaml").open("a", encoding="utf-8") as f:
            f.write("progress_table: true\n")
    reads: Counter[str] = Counter()
    real = loader._read

    def counted(path, *a, **k):
        reads[str(path)] += 1
        return real(path, *a, **k)

    monkeypatch.setattr(loader, "_read", counted)
    out = ["-o", str(tmp_path / ("r.docx" if args[0] in ("report", "build") else "l.xlsx"))]
    extra = out if args[0] in ("report", "ledger", "build") else []
    result = run(*args, *extra, "--data", str(data))
    assert result.exit_code == 0, result.output
    assert reads and max(reads.values()) == 1, [p for p, n in reads.items() if n > 1]
    assert str(data / "project.yaml") in reads


def test_chinese_names_are_accepted_in_indicators(small) -> None:
    from conftest import PROJECT_YAML

    months = {
        "2020-02": {
            "visits.yaml": """\
            visits:
              - {date: 2020-02-03, name: 梁女士, town: 神湾镇, mode: 走访}
              - {date: 2020-02-04, name: 郭女士, town: 神湾镇, mode: 电访}
              - {date: 2020-02-05, name: 周先生, town: 黄圃镇, mode: 走访}
            """
        }
    }
    contract = """\
contract:
  - name: 年度
    start: 2020-02
    end: 2021-01
    indicators:
      - {name: 神湾镇走访 10 户次, figure: 走访, target: 10, towns: [神湾镇]}
      - {name: 服务人次, figure: 服务人次, target: 100}
"""
    data = small(months, PROJECT_YAML + contract)
    doc = json.loads(run("progress", "--format", "json", "--data", str(data)).stdout)
    rows = {i["name"]: i for i in doc["indicators"]}
    # Only the home visit in 神湾镇 counts: not the phone call there, not 黄圃镇's home visit.
    assert rows["神湾镇走访 10 户次"]["figure"] == "home_visits"
    assert rows["神湾镇走访 10 户次"]["actual"] == 1
    assert rows["服务人次"]["figure"] == "people_served" and rows["服务人次"]["actual"] == 3


def test_explain_over_a_range_adds_counselling_month_by_month(project) -> None:
    data, exp = project
    result = run(
        "stats", "--from", "2020-03", "--to", "2020-05", "--explain", "counselling_hours",
        "--data", str(data),
    )  # fmt: skip
    months = [exp.hours[m] for m in ("2020-03", "2020-04", "2020-05")]
    total = sum(months)
    terms = " + ".join(f"{v:g}" for v in months)
    assert result.stdout.splitlines()[-1] == f"{total:g} = {terms}"


def test_explain_wishes_fulfilled_by_the_month_they_came_true(project) -> None:
    """Each wish counts in the month of its fulfilled date, whatever month collected it."""
    data, exp = project
    result = run(
        "stats", "--from", "2020-03", "--to", "2020-05", "--explain", "wishes_fulfilled",
        "--format", "json", "--data", str(data),
    )  # fmt: skip
    doc = json.loads(result.stdout)
    by_month = Counter(r["month"] for r in doc["records"])
    assert dict(by_month) == {m: exp.fulfilled[m] for m in ("2020-03", "2020-04", "2020-05")}
    # ...each listed from the file of the month before, where it was collected
    assert all(r["file"].split("/")[-2] < r["month"] for r in doc["records"])


def test_explain_towns_lists_the_earliest_visit(small) -> None:
    data = small(
        {
            "2020-02": {
                "visits.yaml": """\
                visits:
                  - {date: 2020-02-20, name: 梁女士, town: 神湾镇, mode: 电访}
                  - {date: 2020-02-03, name: 郭女士, town: 神湾镇, mode: 电访}
                """
            }
        }
    )
    doc = json.loads(
        run("stats", "--explain", "towns", "--format", "json", "--data", str(data)).stdout
    )
    assert [r["text"] for r in doc["records"]] == ["2020-02-03 郭女士 神湾镇 电访"]


def test_a_month_without_a_folder_shows_what_counts_in_it(small, tmp_path: Path) -> None:
    """A wish fulfilled in a month without a folder: stats, the report's month row and its
    total all count it there."""
    from docx import Document

    data = small(
        {
            "2020-02": {
                "wishes.yaml": """\
                wishes:
                  - {name: 梁女士, situation: 情况, wish: 书包, fulfilled: 2020-03-05, donor: 某公司}
                """
            },
            "2020-04": {},
        }
    )
    doc = json.loads(run("stats", "--format", "json", "--data", str(data)).stdout)
    march = next(m for m in doc["months"] if m["month"] == "2020-03")
    assert march == {"month": "2020-03", "present": False, "wishes_fulfilled": 1}
    out = tmp_path / "r.docx"
    result = run(
        "report", "--from", "2020-02", "--to", "2020-04", "-o", str(out), "--data", str(data)
    )
    assert result.exit_code == 0, result.output
    table = Document(str(out)).tables
    rows = [[c.text for c in r.cells] for t in table for r in t.rows]
    head = next(r for r in rows if r[0] == "月份")
    column = head.index(figures.label("wishes_fulfilled", "zh"))
    row = next(r for r in rows if r[0] == "2020年3月")
    assert row[column] == "1" and row[1] == "—"
    assert next(r for r in rows if r[0] == "合计")[column] == "1"


def test_one_percent_rule_in_bulletin_report_and_progress(project, tmp_path: Path) -> None:
    data, _exp = project
    doc = json.loads(run("progress", "2020-07", "--format", "json", "--data", str(data)).stdout)
    out = tmp_path / "r.docx"
    run("report", "上半年", "-o", str(out), "--data", str(data))
    from docx import Document

    rows = [[c.text for c in r.cells] for r in Document(str(out)).tables[0].rows][1:]
    for row, indicator in zip(rows, doc["indicators"], strict=True):
        assert row[3] == f"{indicator['percent']:g}%"
        assert not row[3].endswith(".0%")


def test_month_after_the_named_period_says_so(project) -> None:
    data, _exp = project
    result = run("progress", "2020-09", "--period", "上半年", "--data", str(data))
    assert result.exit_code == 2
    assert "2020-09 is not in the contract period 上半年 (2020-02…2020-07)" in result.stderr
    result = run("progress", "2020-09", "--period", "上半年", "--data", str(data), lang="zh")
    assert "2020-09 不在合同期“上半年”（2020-02…2020-07）内" in result.stderr


def test_every_workbook_repeats_byte_for_byte(project, tmp_path: Path) -> None:
    data, _exp = project
    for name in ("a.xlsx", "b.xlsx"):
        result = run(
            "stats", "--plan", "2020-03", "--format", "xlsx", "-o", str(tmp_path / name),
            "--data", str(data),
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


FORMULAS = ['=HYPERLINK("http://example.com","点击查看")', "+1+1", "-2+3", "@SUM(A1)"]


@pytest.fixture
def injected(small):
    wishes = "wishes:\n" + "".join(
        f"  - {{name: 梁女士, situation: '{f}', wish: 书包}}\n" for f in FORMULAS
    )
    events = (
        "activities:\n  - name: '=1+1'\n    kind: '@kind'\n    participants: 3\n"
        "    sessions:\n      - {date: 2020-02-03, venue: '+venue'}\n"
    )
    return small({"2020-02": {"wishes.yaml": wishes, "events.yaml": events}})


def test_no_cell_the_data_wrote_is_a_formula(injected, tmp_path: Path) -> None:
    book = tmp_path / "l.xlsx"
    assert run("ledger", "-o", str(book), "--data", str(injected)).exit_code == 0
    stats = tmp_path / "s.xlsx"
    result = run(
        "stats", "--by", "activity", "--format", "xlsx", "-o", str(stats), "--data", str(injected)
    )
    assert result.exit_code == 0, result.output
    seen = []
    for path in (book, stats):
        for ws in load_workbook(path).worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (path.name, ws.title, cell.value)
                    seen.append(cell.value)
    assert all(f in seen for f in FORMULAS) and "=1+1" in seen and "@kind" in seen


def test_csv_cells_that_would_be_formulas_are_prefixed(injected, tmp_path: Path) -> None:
    folder = tmp_path / "ledger"
    assert (
        run("ledger", "--format", "csv", "-o", str(folder), "--data", str(injected)).exit_code == 0
    )
    text = (folder / "微心愿.csv").read_bytes().decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert all("'" + f in cells for f in FORMULAS)
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)


def test_a_text_longer_than_a_cell_is_refused_with_its_line(small, tmp_path: Path) -> None:
    """1,000 partners of one activity make a cell longer than Excel keeps: refused, not cut."""
    partners = ", ".join(
        f"中山市第{i:04d}号精密电子科技股份有限公司工会委员会职工服务中心联络站"
        for i in range(1000)
    )
    events = (
        f"activities:\n  - name: 联谊会\n    participants: 3\n    partners: [{partners}]\n"
        "    sessions:\n      - {date: 2020-02-03, venue: 会堂}\n"
    )
    data = small({"2020-02": {"events.yaml": events}})
    for args in (("-o", str(tmp_path / "l.xlsx")), ("--format", "csv", "-o", str(tmp_path / "c"))):
        result = run("ledger", *args, "--data", str(data))
        assert result.exit_code == 1, result.output
        assert "row 2, column 合作单位" in result.stderr
        assert "2020-02/events.yaml:3" in result.stderr  # the activity's participants line
    assert not (tmp_path / "l.xlsx").exists() and not (tmp_path / "c").exists()


def test_a_csv_ledger_is_written_all_or_nothing(project, tmp_path: Path, monkeypatch) -> None:
    """When the sixth file cannot be replaced (open in Excel), the five before it keep their
    earlier content: never a half-new ledger."""
    data, _exp = project
    folder = tmp_path / "ledger"
    assert run("ledger", "--format", "csv", "-o", str(folder), "--data", str(data)).exit_code == 0
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert len(before) == 6
    for p in folder.iterdir():
        p.write_bytes(b"old " + p.name.encode())
    old = {p.name: p.read_bytes() for p in folder.iterdir()}
    real = os.replace
    calls = []

    def replace(src, dst):
        calls.append(dst)
        if Path(src).name == "微心愿.csv":  # Excel holds the file: it cannot be moved
            raise PermissionError(13, "Permission denied")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    result = run("ledger", "--format", "csv", "-o", str(folder), "--data", str(data))
    assert result.exit_code == 1
    assert "微心愿.csv" in result.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == old
    monkeypatch.setattr(os, "replace", real)
    assert run("ledger", "--format", "csv", "-o", str(folder), "--data", str(data)).exit_code == 0
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


NEW_CENTRE = """\
name: 新中心社工服务项目
organisation: 某社工服务中心
union: 区总工会
first_issue: 2026-12
towns: [北滘镇, 容桂街道]
sections: [项目快讯]
contract:
  - name: 2026-2027年度
    start: 2026-12
    end: 2027-11
    indicators:
      - {name: 探访 120 户次, figure: visits, target: 120}
      - {name: 北滘镇走访 24 户次, figure: 走访, target: 24, towns: [北滘镇]}
      - {name: 活动 24 场, figure: activity_sessions, target: 24}
      - {name: 服务 1200 人次, figure: 服务人次, target: 1200}
      - {name: 咨询 60 小时, figure: counselling_hours, target: 60}
      - {name: 心愿 24 个, figure: wishes_fulfilled, target: 24}
      - {name: 镇街 2 个, figure: towns, target: 2}
"""


@pytest.fixture
def new_centre(small):
    """A centre that started in 2026-12 and has recorded its first month only."""
    visits = "visits:\n" + "".join(
        f"  - {{date: 2026-12-{d:02d}, name: 梁女士, town: {t}, mode: {m}}}\n"
        for d, t, m in [(3, "北滘镇", "走访"), (4, "北滘镇", "电访"), (5, "容桂街道", "走访")] * 4
    )
    events = (
        "activities:\n  - name: 迎新活动\n    participants: 40\n    sessions:\n"
        "      - {date: 2026-12-10, venue: 服务站}\n      - {date: 2026-12-17, venue: 服务站}\n"
    )
    counselling = "consultations:\n  - {counsellor: 廖诗敏, channel: 线上, people: 6, hours: 5}\n"
    wishes = "wishes:\n  - {name: 梁女士, situation: 情况, wish: 书包, fulfilled: 2026-12-20, donor: 某公司}\n"
    month = {
        "visits.yaml": visits,
        "events.yaml": events,
        "consultations.yaml": counselling,
        "wishes.yaml": wishes,
    }
    return small({"2026-12": month}, NEW_CENTRE)


def test_a_new_centres_report_is_as_of_its_first_month(new_centre, tmp_path: Path) -> None:
    """The report and progress agree, both as of 2026-12: nothing is expected of the eleven
    months still to come, none of them is charted or called missing, and 2026's earlier
    months, before the project, are nowhere."""
    from docx import Document

    data = new_centre
    doc = json.loads(run("progress", "--format", "json", "--data", str(data)).stdout)
    assert doc["as_of"] == "2026-12" and doc["months_elapsed"] == 1
    statuses = {i["name"]: (i["actual"], i["expected"], i["status"]) for i in doc["indicators"]}
    assert statuses["探访 120 户次"] == (12, 10, "ahead")
    assert statuses["北滘镇走访 24 户次"] == (4, 2, "ahead")
    assert statuses["活动 24 场"] == (2, 2, "on_track")
    out = tmp_path / "r.docx"
    result = run("report", "2026-2027年度", "-o", str(out), "--data", str(data), lang="zh")
    assert result.exit_code == 0, result.output
    report = Document(str(out))
    texts = [p.text for p in report.paragraphs if p.text]
    assert "截至2026年12月" in texts
    assert "2027年1月至2027年11月尚未到来，不列入表和图。" in texts
    assert not any("没有数据" in t for t in texts)
    rows = [[c.text for c in r.cells] for r in report.tables[0].rows][1:]
    by_name = {r[0]: r for r in rows}
    words = {"ahead": "超前", "on_track": "正常", "behind": "滞后", "reached": "已完成"}
    for name, (actual, expected, status) in statuses.items():
        assert by_name[name][2] == str(actual), name
        assert by_name[name][4] == str(expected), name
        assert by_name[name][5] == words[status], name
    months = [[c.text for c in r.cells] for r in report.tables[1].rows]
    assert [r[0] for r in months] == ["月份", "2026年12月", "合计"]
    # the chart has one month: no bar or label for a month still to come
    doc_q4 = tmp_path / "q4.docx"
    assert run("report", "2026-Q4", "-o", str(doc_q4), "--data", str(data)).exit_code == 0
    q4 = Document(str(doc_q4))
    assert not any("没有数据" in p.text for p in q4.paragraphs)
    assert [r.cells[0].text for r in q4.tables[1].rows] == ["月份", "2026年12月", "合计"]
    stats = json.loads(
        run("stats", "--year", "2026", "--format", "json", "--data", str(data)).stdout
    )
    assert [m["month"] for m in stats["months"]] == ["2026-12"]


def test_an_indicator_past_its_due_month_is_overdue_everywhere(project, tmp_path: Path) -> None:
    """心理咨询 30 小时 is due 2020-04 and stands at 22.5 hours in 2020-06: overdue in
    progress, in the quarter's report and in the bulletin's table, whatever its pace."""
    from docx import Document

    data, exp = project
    assert exp.upto("hours", "2020-06") == 22.5
    doc = json.loads(run("progress", "2020-06", "--format", "json", "--data", str(data)).stdout)
    row = next(i for i in doc["indicators"] if i["name"] == "心理咨询 30 小时")
    assert (row["actual"], row["expected"], row["status"]) == (22.5, 30, "overdue")
    out = tmp_path / "q2.docx"
    assert run("report", "2020-Q2", "-o", str(out), "--data", str(data)).exit_code == 0
    rows = [[c.text for c in r.cells] for r in Document(str(out)).tables[0].rows]
    assert next(r for r in rows if r[0] == "心理咨询 30 小时")[5] == "逾期未达"
    # by July it is reached: reached stays reached, after the due month too
    doc = json.loads(run("progress", "2020-07", "--format", "json", "--data", str(data)).stdout)
    assert next(i for i in doc["indicators"] if i["name"] == "心理咨询 30 小时")["status"] == (
        "reached"
    )


def test_a_half_rounds_up_as_a_reader_rounds() -> None:
    """四舍五入 everywhere a figure is rounded: 26.5 of 40 hours is 66.3 %, not Python's
    half-to-even 66.2."""
    from bulletin.progress import pace
    from bulletin.tables import number, number_text, percent, percent_text

    assert percent(26.5, 40) == 66.3 and percent_text(percent(26.5, 40)) == "66.3%"
    assert percent(1335, 1200) == 111.3
    assert number(2.675) == 2.68 and number_text(6.665) == "6.67" and number(0.125) == 0.13
    assert number(13.0) == 13 and isinstance(number(13.0), int) and number_text(1.5) == "1.5"
    assert pace(6, 20 / 3) == 90.0 and pace(26.5, 40) == 66.3


def test_a_report_as_of_a_month_asked_for(project, tmp_path: Path) -> None:
    from docx import Document

    data, _exp = project
    out = tmp_path / "r.docx"
    result = run("report", "上半年", "--as-of", "2020-05", "-o", str(out), "--data", str(data))
    assert result.exit_code == 0, result.output
    doc = Document(str(out))
    texts = [p.text for p in doc.paragraphs if p.text]
    assert "截至2020年5月" in texts and "2020年6月至2020年7月不计入本报告。" in texts
    months = [r.cells[0].text for r in doc.tables[1].rows]
    assert months[-2] == "2020年5月"
    progress = json.loads(
        run("progress", "2020-05", "--format", "json", "--data", str(data)).stdout
    )
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows][1:]
    assert [r[2] for r in rows] == [str(i["actual"]) for i in progress["indicators"]]
    result = run("report", "上半年", "--as-of", "2020-09", "-o", str(out), "--data", str(data))
    assert result.exit_code == 2
    assert "--as-of 2020-09 is not in the report's months (2020-02 … 2020-07)" in result.stderr


@pytest.mark.parametrize(
    ("args", "first", "last"),
    [
        (("2020-04",), "2020-04", "2020-04"),
        (("--year", "2020"), "2020-02", "2020-12"),  # from the project's first issue
        (("--from", "2020-03"), "2020-03", "2020-07"),
        (("--to", "2020-03"), "2020-02", "2020-03"),
        (("--from", "2020-03", "--to", "2020-05"), "2020-03", "2020-05"),
    ],
)
def test_each_way_of_naming_months_covers_those_months(project, args, first, last) -> None:
    data, exp = project
    doc = json.loads(run("stats", *args, "--format", "json", "--data", str(data)).stdout)
    assert (doc["from"], doc["to"]) == (first, last)
    months = [m["month"] for m in doc["months"]]
    assert months[0] == first and months[-1] == last
    visits = sum(v for m, v in exp.visits.items() if first <= m <= last)
    assert doc["total"]["visits"] == visits


def test_csv_prints_numbers_by_the_one_rule(example: Path, tmp_path: Path) -> None:
    """16 hours of counselling read 16 in every CSV file, as in the documents, not 16.0."""
    out = tmp_path / "ledger"
    assert run("ledger", "--format", "csv", "-o", str(out), "--data", str(example)).exit_code == 0
    rows = list(csv.reader(io.StringIO((out / "心理咨询.csv").read_text(encoding="utf-8-sig"))))
    assert rows[1][5] == "16" and rows[-1][5] == "16"
    text = run("stats", "--format", "csv", "--data", str(example)).stdout_bytes.decode("utf-8-sig")
    hours = list(csv.reader(io.StringIO(text)))[0].index("counselling hours")
    assert [r[hours] for r in csv.reader(io.StringIO(text))][1:] == ["16", "16"]


def test_a_span_read_for_totals_gives_every_figure_as_the_full_one(tmp_path: Path) -> None:
    """stats and progress read months for totals only (each month's records folded, its data
    let go, so memory does not grow with the months): every figure per month and over the
    range, every restriction, every --by row and every indicator is what the full span gives.
    The oracle's project: questionnaires, wishes fulfilled later, a month without a folder."""
    from oracle_project import make as make_oracle

    from bulletin import period
    from bulletin.models import YearMonth
    from bulletin.progress import measure
    from bulletin.stats import figures_of

    data, _oracle = make_oracle(tmp_path)
    full = period.read(data)
    lean = period.read(data, totals_only=True)
    assert all(v.data is None for v in lean.views.values())
    assert sum(len(r) for by in lean._records.values() for r in by.values()) < sum(
        len(r) for by in full._records.values() for r in by.values()
    )
    ranges = [(None, None), (YearMonth(2023, 3), YearMonth(2023, 9)), (full.found[2],) * 2]
    for first, last in ranges:
        for by in (None, "town", "topic", "activity"):
            assert figures_of(lean, first, last, by) == figures_of(full, first, last, by)
    for contract in full.project.contract:
        for month in full.months(contract.start, min(contract.end, full.last)):
            got = measure(lean, contract.indicators, contract.start, month)
            assert got == measure(full, contract.indicators, contract.start, month)
    for town in full.project.towns[:3]:
        assert lean.total("visits", full.found[0], full.last, [town]) == full.total(
            "visits", full.found[0], full.last, [town]
        )


def test_every_problem_of_every_month_read_is_reported_at_once(small) -> None:
    """Two months with a slip each: both are named, in one run, whichever way the span is
    read."""
    from bulletin import period
    from bulletin.errors import DataError

    bad = "visits:\n  - {date: 2020-02-03, name: 梁女士, town: 神湾镇}\n"
    data = small(
        {"2020-02": {"visits.yaml": bad}, "2020-03": {"visits.yaml": bad.replace("-02-", "-03-")}}
    )
    for totals_only in (False, True):
        with pytest.raises(DataError) as caught:
            period.read(data, totals_only=totals_only)
        assert [(p.file.parent.name, p.line, p.field) for p in caught.value.problems] == [
            ("2020-02", 2, "visits[0].mode"),
            ("2020-03", 2, "visits[0].mode"),
        ]


def test_data_without_a_month_folder_says_how_to_begin(small) -> None:
    """Stats, progress, ledger and report read months through the span: with none yet, the
    message says so and how to make the first one, not a crash."""
    from bulletin import period
    from bulletin.errors import BulletinError

    data = small({})
    with pytest.raises(BulletinError) as caught:
        period.read(data)
    assert (caught.value.message.key, caught.value.hint.key) == (
        "stats_no_months",
        "hint_new_first",
    )


def test_a_plan_is_followed_only_in_the_month_right_after_it(small) -> None:
    """March has no folder: April does not follow February's plan (its items are neither
    counted nor said to be done), while March, had it a folder, would."""
    from bulletin import period
    from bulletin.models import YearMonth

    plans = "plans:\n  - {name: 义剪, content: 理发, rows: [{target: 职工, due: 2020-03, staff: 李社工}]}\n"
    events = "activities:\n  - {name: 义剪, participants: 8, sessions: [{date: 2020-04-10, venue: 社区}]}\n"
    data = small({"2020-02": {"plans.yaml": plans}, "2020-04": {"events.yaml": events}})
    span = period.read(data)
    april = YearMonth(2020, 4)
    assert (span.views[april].plan, span.views[april].followed) == (None, False)
    assert span.records("plan_items", april, april) == []
