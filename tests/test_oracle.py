"""A held-out oracle against the command line: a generated 15-month project with two contract
periods (tests/oracle_project.py), whose every figure, ledger row, report table and explained
record is worked out from the README's definitions and the generator's own parameters, compared
with what `stats`, `progress`, `ledger`, `report` and `stats --explain` print."""

from __future__ import annotations

import csv
import io
import json
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import run_cli
from docx import Document
from openpyxl import load_workbook
from oracle_project import KEYS, MISSING, MONTHS, Oracle, make, months_between

WHOLE = (MONTHS[0], MONTHS[-1])
RANGES = [WHOLE, ("2023-06", "2023-08"), ("2023-08", "2023-08"), ("2024-01", "2024-03")]
RANGES += [(MISSING, "2023-09"), ("2023-11", "2024-02")]
PROGRESS = [
    ("2023年度", "2023-01"),
    ("2023年度", "2023-06"),
    ("2023年度", MISSING),
    ("2023年度", "2023-09"),
    ("2023年度", "2023-12"),
    ("2024年一季度", "2024-01"),
    ("2024年一季度", "2024-02"),
    ("2024年一季度", "2024-03"),
]
STATUS_EN = {
    "reached": "reached",
    "ahead": "ahead",
    "on_track": "on track",
    "behind": "behind",
    "overdue": "overdue",
}
STATUS_ZH = {
    "reached": "已完成",
    "ahead": "超前",
    "on_track": "正常",
    "behind": "滞后",
    "overdue": "逾期未达",
}


run = run_cli  # bulletin --lang LANG ARGS, in this process


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Oracle]:
    return make(tmp_path_factory.mktemp("oracle"))


def number(x: float | Fraction, places: int, rounding: str = ROUND_HALF_UP) -> str:
    """README's one number rule: rounded, no trailing zeros (7, 7.5, 6.67). The value is
    taken exactly (a Fraction from the oracle), so 93.25 is a tie, not 93.2499…"""
    exact = Fraction(str(x)) if isinstance(x, float) else Fraction(x)
    with localcontext() as ctx:
        ctx.prec = 50
        value = Decimal(exact.numerator) / Decimal(exact.denominator)
        text = str(value.quantize(Decimal(1).scaleb(-places), rounding))
    return text.rstrip("0").rstrip(".") if "." in text else text


def numbers(x: float | Fraction, places: int) -> set[str]:
    """README names no rounding for a tie (66.25 % to one place): half up (四舍五入) and half
    to even are both accepted, and nothing else."""
    return {number(x, places, ROUND_HALF_UP), number(x, places, ROUND_HALF_EVEN)}


def close(a: object, b: object, places: int = 9) -> bool:
    """a (printed, rounded to `places`) is b (exact) rounded: within half a unit."""
    if not isinstance(a, int | float) or not isinstance(b, int | float | Fraction):
        return a == b
    exact = Fraction(str(b)) if isinstance(b, float) else Fraction(b)
    return abs(Fraction(str(a)) - exact) <= Fraction(1, 2 * 10**places)


def agree(key: str, got: object, want: object) -> bool:
    """`got` as printed is `want`: a rate (满意度, exact in the oracle) to one decimal, by
    the per-cent rule; any other figure within rounding."""
    if key != "satisfaction" or got is None or want is None:
        return close(got, want)
    assert isinstance(want, Fraction) and isinstance(got, int | float)
    return number(Fraction(str(got)), 1) in numbers(want, 1)


def stats_json(data: Path, first: str, last: str) -> dict:
    result = run("stats", "--from", first, "--to", last, "--format", "json", "--data", str(data))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# ---------------------------------------------------------------- stats


@pytest.mark.parametrize(("first", "last"), RANGES)
def test_stats_every_month_and_total(project, first: str, last: str) -> None:
    data, oracle = project
    got = stats_json(data, first, last)
    want = oracle.stats(first, last)
    assert (got["from"], got["to"], got["columns"]) == (first, last, KEYS)
    assert [m["month"] for m in got["months"]] == [m["month"] for m in want["months"]]
    wrong = []
    for g, w in zip(got["months"], want["months"], strict=True):
        # A month without a folder has only wishes_fulfilled, when a wish came true in it.
        if g.keys() != w.keys():
            wrong.append((w["month"], "keys", sorted(g), sorted(w)))
        for key in KEYS:
            if key in w and not agree(key, g.get(key), w[key]):
                wrong.append((w["month"], key, g.get(key), w[key]))
    for key in KEYS:
        if not agree(key, got["total"][key], want["total"][key]):
            wrong.append(("total", key, got["total"][key], want["total"][key]))
    assert wrong == []


def test_stats_whole_range_by_default(project) -> None:
    data, oracle = project
    result = run("stats", "--format", "json", "--data", str(data))
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    assert (got["from"], got["to"]) == WHOLE
    want = oracle.stats(*WHOLE)["total"]
    assert [k for k in KEYS if not agree(k, got["total"][k], want[k])] == []


def test_stats_year_is_its_twelve_months(project) -> None:
    data, oracle = project
    result = run("stats", "--year", "2023", "--format", "json", "--data", str(data))
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    want = oracle.stats("2023-01", "2023-12")
    assert [m["month"] for m in got["months"]] == [m["month"] for m in want["months"]]
    assert [k for k in KEYS if not agree(k, got["total"][k], want["total"][k])] == []


def kind_rate(questionnaires: list) -> float | None:
    """A kind's 满意度 as JSON holds it: pooled, to one decimal, a half up (none: null)."""
    if not questionnaires:
        return None
    pooled = Fraction(100 * sum(q.satisfied for q in questionnaires))
    pooled /= sum(q.responses for q in questionnaires)
    return float(number(pooled, 1))


@pytest.mark.parametrize(("first", "last"), [("2023-01", "2023-12"), ("2024-01", "2024-03")])
def test_stats_breakdowns(project, first: str, last: str) -> None:
    """--by town and --by activity: the rows a restricted indicator equals (README)."""
    data, oracle = project
    months = [oracle.data[m] for m in months_between(first, last) if m in oracle.data]
    visits = [v for mo in months for v in mo.visits]
    acts = [a for mo in months for a in mo.activities]
    want = {
        "town": {(t,): (sum(1 for v in visits if v.town == t),) for t in {v.town for v in visits}},
        "activity": {
            (k,): (
                sum(1 for a in acts if a.kind == k),
                sum(len(a.sessions) for a in acts if a.kind == k),
                sum(a.total for a in acts if a.kind == k),
                sum(q.responses for a in acts if a.kind == k for q in a.questionnaires),
                kind_rate([q for a in acts if a.kind == k for q in a.questionnaires]),
            )
            for k in {a.kind for a in acts}
        },
    }
    columns = {"town": (["town"], ["visits"])}
    columns["activity"] = (
        ["kind"],
        ["activities", "sessions", "participants", "satisfaction_responses", "satisfaction"],
    )
    for by, (keys, values) in columns.items():
        result = run(
            "stats", "--from", first, "--to", last, "--by", by, "--format", "json",
            "--data", str(data),
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        rows = json.loads(result.stdout)["breakdown"]["rows"]
        got = {tuple(r[k] for k in keys): tuple(r[v] for v in values) for r in rows}
        assert got == want[by], by


# ---------------------------------------------------------------- progress


def progress_rows(data: Path, period: str, as_of: str, fmt: str, tmp: Path):
    out = tmp / f"progress-{as_of}.{fmt}"
    args = ["progress", as_of, "--period", period, "--format", fmt, "--data", str(data)]
    result = run(*args, *(["-o", str(out)] if fmt == "xlsx" else []))
    assert result.exit_code == 0, result.output
    if fmt == "json":
        return json.loads(result.stdout)
    if fmt == "csv":
        return list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    return [list(r) for r in load_workbook(out).active.iter_rows(values_only=True)]


@pytest.mark.parametrize(("period", "as_of"), PROGRESS)
def test_progress_json(project, period: str, as_of: str) -> None:
    data, oracle = project
    got = progress_rows(data, period, as_of, "json", Path())
    p = oracle.period(period)
    assert got["period"] == {
        "name": period,
        "start": p["start"],
        "end": p["end"],
        "months": len(months_between(p["start"], p["end"])),
    }
    assert (got["as_of"], got["months_elapsed"]) == (
        as_of,
        len(months_between(p["start"], as_of)),
    )
    want = oracle.progress(p, as_of)
    assert [i["name"] for i in got["indicators"]] == [w["name"] for w in want]
    wrong = []
    for g, w in zip(got["indicators"], want, strict=True):
        for key in ("figure", "towns", "kind", "target", "due", "status"):
            if g[key] != w[key]:
                wrong.append((w["name"], key, g[key], w[key]))
        if not close(g["actual"], w["actual"]):
            wrong.append((w["name"], "actual", g["actual"], w["actual"]))
        if not close(g["percent"], w["percent"], 1):
            wrong.append((w["name"], "percent", g["percent"], w["percent"]))
        if not close(g["expected"], w["expected"], 2):
            wrong.append((w["name"], "expected", g["expected"], w["expected"]))
    assert wrong == []


@pytest.mark.parametrize(("period", "as_of"), [PROGRESS[3], PROGRESS[6]])
def test_progress_csv_and_xlsx_hold_the_same_rows(project, tmp_path, period, as_of) -> None:
    data, oracle = project
    want = oracle.progress(oracle.period(period), as_of)
    for fmt in ("csv", "xlsx"):
        rows = progress_rows(data, period, as_of, fmt, tmp_path)
        assert rows[0] == [
            "indicator",
            "figure",
            "counted in",
            "target",
            "actual",
            "% reached",
            "expected by now",
            "% of expected",
            "status",
            "due",
            "as of",
        ]
        assert len(rows) == len(want) + 1
        for row, w in zip(rows[1:], want, strict=True):
            name, _figure, scope, target, actual, percent, expected, pace, status, due, month = row
            assert month == as_of, (fmt, name)
            assert close(float(pace), w["pace"], 1), (fmt, name)
            assert name == w["name"]
            assert (scope or "") == "、".join(w["towns"] or ([w["kind"]] if w["kind"] else []))
            assert close(float(target), w["target"]), (fmt, name)
            assert close(float(actual), w["actual"]), (fmt, name)
            assert close(float(percent), w["percent"], 1), (fmt, name)
            assert close(float(expected), w["expected"], 2), (fmt, name)
            assert (status, due) == (STATUS_EN[w["status"]], w["due"]), (fmt, name)


def test_progress_defaults_to_the_latest_month(project) -> None:
    data, oracle = project
    result = run("progress", "--format", "json", "--data", str(data))
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    assert (got["period"]["name"], got["as_of"]) == ("2024年一季度", MONTHS[-1])
    want = oracle.progress(oracle.period("2024年一季度"), MONTHS[-1])
    assert [(i["name"], i["actual"], i["status"]) for i in got["indicators"]] == [
        (w["name"], w["actual"], w["status"]) for w in want
    ]


@pytest.mark.parametrize(("period", "as_of"), [PROGRESS[3], PROGRESS[6]])
def test_bulletin_progress_table(project, tmp_path, period: str, as_of: str) -> None:
    """The bulletin's 三、指标进度 (progress_table: true) is `progress` for its month."""
    data, oracle = project
    out = tmp_path / f"{as_of}.docx"
    result = run("build", as_of, "-o", str(out), "--data", str(data))
    assert result.exit_code == 0, result.output
    tables = _tables(Document(str(out)))
    table = next(t for t in tables if t[0][:2] == ["序号", "指标"])
    assert table[0] == ["序号", "指标", "目标", "累计完成", "完成率", "状态"]
    want = oracle.progress(oracle.period(period), as_of)
    assert len(table) == len(want) + 1
    wrong = []
    for i, (row, w) in enumerate(zip(table[1:], want, strict=True), 1):
        number_, name, target, actual, percent, status = row
        if [number_, name, target, actual] != [
            str(i),
            w["name"],
            number(w["target"], 2),
            number(w["actual"], 2),
        ]:
            wrong.append((row, w))
        if (
            percent.removesuffix("%") not in numbers(w["percent"], 1)
            or status != STATUS_ZH[w["status"]]
        ):
            wrong.append((row, w["percent"], w["status"]))
    assert wrong == []


def test_progress_month_of_another_period_names_the_periods_months(project) -> None:
    data, _oracle = project
    result = run("progress", "2024-02", "--period", "2023年度", "--data", str(data))
    assert result.exit_code == 2
    assert "2023-01" in result.output and "2023-12" in result.output
    assert "2024年一季度" not in result.output


# ---------------------------------------------------------------- ledger


LEDGERS = [("--period", "2023年度"), ("--period", "2024年一季度")]
LEDGERS += [("--from", "2023-10", "--to", "2024-03")]


@pytest.fixture(scope="module")
def ledgers(project, tmp_path_factory):
    data, _oracle = project
    books = {}
    for args in LEDGERS:
        out = tmp_path_factory.mktemp("ledger") / "台账.xlsx"
        result = run("ledger", *args, "-o", str(out), "--data", str(data))
        assert result.exit_code == 0, result.output
        books[args] = load_workbook(out)
    return books


def _range(args: tuple[str, ...], oracle: Oracle) -> tuple[str, str]:
    if args[0] == "--period":
        p = oracle.period(args[1])
        return p["start"], p["end"]
    return args[1], args[3]


def _cell(value) -> object:
    if isinstance(value, list):
        return "、".join(value) or None
    return value


def _relative(source: str) -> str:
    """A source cell as MONTH/FILE:LINE."""
    path, line = source.rsplit(":", 1)
    return "/".join(Path(path).parts[-2:]) + ":" + line


@pytest.mark.parametrize("args", LEDGERS)
def test_ledger_every_row_and_source(project, ledgers, args) -> None:
    data, oracle = project
    book = ledgers[args]
    want = oracle.ledger(*_range(args, oracle))
    assert book.sheetnames == ["汇总", *want]
    wrong = []
    for sheet, rows in want.items():
        table = [list(r) for r in book[sheet].iter_rows(values_only=True)]
        head, body = table[0], table[1:-1]
        assert len(body) == len(rows), sheet
        assert [r[0] for r in body] == list(range(1, len(rows) + 1)), sheet
        for got, w in zip(body, rows, strict=True):
            cells = dict(zip(head, got, strict=True))
            if _relative(cells["来源"]) != w["来源"]:
                wrong.append((sheet, cells["来源"], w["来源"]))
                continue
            for column, value in w.items():
                if column in ("来源", "佐证材料"):
                    continue
                expected = _cell(value)
                if column == "日期" and expected is None:
                    expected = w["来源"][:7]  # an undated line is dated by its month
                if not (cells[column] == expected or close(cells[column], expected)):
                    wrong.append((sheet, w["来源"], column, cells[column], expected))
            if "佐证材料" in w:  # one picture a line, as MONTH/images/NAME
                month = w["来源"][:7]
                names = sorted(f"{month}/images/{n}" for n in w["佐证材料"])
                cell = cells["佐证材料"]
                if sorted(cell.split("\n") if cell else []) != names:
                    wrong.append((sheet, w["来源"], "佐证材料", cell, names))
    assert wrong == []


def test_ledger_csv_folder_holds_the_workbooks_rows(project, ledgers, tmp_path) -> None:
    """--format csv writes one file per sheet with the workbook's rows, numbers by the one
    number rule (16, not 16.0); a situation typed as =… is text in both (a text cell; an
    apostrophe in CSV), never a formula."""
    data, _oracle = project
    args = LEDGERS[0]
    out = tmp_path / "台账"
    result = run("ledger", *args, "--format", "csv", "-o", str(out), "--data", str(data))
    assert result.exit_code == 0, result.output
    book = ledgers[args]
    formulas = 0
    for ws in book.worksheets:
        text = (out / f"{ws.title}.csv").read_text(encoding="utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        want = []
        for row in ws.iter_rows():
            cells = []
            for c in row:
                value = "" if c.value is None else str(c.value)
                if isinstance(c.value, float) and c.value.is_integer():
                    value = str(int(c.value))  # README: a whole number prints without its .0
                if isinstance(c.value, str) and c.value[:1] in ("=", "+", "-", "@"):
                    assert c.data_type == "s", (ws.title, c.coordinate, c.value)
                    value, formulas = "'" + value, formulas + 1
                cells.append(value)
            want.append(cells)
        assert rows == want, ws.title
    assert formulas > 0  # the generated situations include one that starts with =


@pytest.mark.parametrize("args", LEDGERS)
def test_ledger_totals_rows_and_summary(project, ledgers, args) -> None:
    data, oracle = project
    book = ledgers[args]
    first, last = _range(args, oracle)
    total = oracle.stats(first, last)["total"]

    def last_row(sheet: str) -> dict:
        table = list(book[sheet].iter_rows(values_only=True))
        assert table[-1][0] == "合计", sheet
        return dict(zip(table[0], table[-1], strict=True))

    assert last_row("探访")["户次"] == total["visits"]
    acts = last_row("活动")
    assert (acts["场次"], acts["人次"]) == (
        total["activity_sessions"],
        total["activity_participants"],
    )
    assert last_row("服务")["服务内容"] == total["services"]
    talk = last_row("心理咨询")
    assert (talk["人数"], talk["次数"]) == (
        total["counselling_people"],
        total["counselling_sessions"],
    )
    assert talk["时长（小时）"] == pytest.approx(total["counselling_hours"])
    wishes = last_row("微心愿")
    assert (wishes["收集月份"], wishes["完成日期"]) == (
        f"收集 {total['wishes_collected']}",
        f"完成 {total['wishes_fulfilled']}",
    )
    summary = [r for r in book["汇总"].iter_rows(values_only=True)]
    figures = {r[1]: r[2] for r in summary if r[1] in KEYS}
    assert figures.keys() == set(KEYS)
    for key in KEYS:
        if key == "satisfaction":  # a per cent in the ledger: 85.4%
            assert figures[key] == f"{number(total[key], 1)}%", key
        else:
            assert close(figures[key], total[key]), key
    if args[0] == "--period":
        p = oracle.period(args[1])
        want = {w["name"]: (w["target"], w["actual"]) for w in oracle.progress(p, p["end"])}
        got = {r[0]: (r[2], r[3]) for r in summary if r[0] in want}
        assert got.keys() == want.keys()
        for name, pair in want.items():  # approx compares flat values, not a dict of pairs
            assert got[name] == pytest.approx(pair), name


# ---------------------------------------------------------------- report

REPORTS = [("2023年度", "2023-01", "2023-12"), ("2024年一季度", "2024-01", "2024-03")]
REPORTS += [("2023-Q3", "2023-07", "2023-09")]
REPORT_COLUMNS = [
    ("探访户数", "visits"),
    ("活动场次", "activity_sessions"),
    ("活动人次", "activity_participants"),
    ("咨询人数", "counselling_people"),
    ("咨询小时", "counselling_hours"),
    ("收集心愿", "wishes_collected"),
    ("完成心愿", "wishes_fulfilled"),
    ("服务人次", "people_served"),
    ("满意度", "satisfaction"),
]


def report_cell(key: str, value: object, present: bool = True) -> str:
    """A figure in the report's tables: 满意度 a per cent to one decimal (empty in a month
    without a questionnaire); a month without a folder —."""
    if key == "satisfaction" and value is not None:
        return f"{number(value, 1)}%"
    if value is None:
        return "" if present and key == "satisfaction" else "—"
    return number(value, 2)


@pytest.fixture(scope="module")
def reports(project, tmp_path_factory):
    data, _oracle = project
    docs = {}
    for name, _first, _last in REPORTS:
        out = tmp_path_factory.mktemp("report") / "报告.docx"
        result = run("report", name, "-o", str(out), "--data", str(data))
        assert result.exit_code == 0, result.output
        docs[name] = Document(str(out))
    return docs


def _tables(doc) -> list[list[list[str]] | None]:
    """The report's six tables by section (一 … 六), None where a section has nothing to list
    and says so in a sentence instead."""
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    marks = ["指标", "探访户数", "活动名称", "计划项", "标题", "台账"]
    return [next((t for t in tables if mark in t[0]), None) for mark in marks]


def _month_label(month: str) -> str:
    return f"{int(month[:4])}年{int(month[5:])}月"


@pytest.mark.parametrize(("name", "first", "last"), REPORTS)
def test_report_indicators_table(project, reports, name, first, last) -> None:
    _data, oracle = project
    period = next(p for p in oracle.periods if p["start"] <= last <= p["end"])
    table = _tables(reports[name])[0]
    assert table[0] == ["指标", "目标", "实际", "完成率", "应达", "状态"]
    want = oracle.progress(period, last)
    assert [row[0] for row in table[1:]] == [w["name"] for w in want]
    wrong = []
    for row, w in zip(table[1:], want, strict=True):
        _name, target, actual, percent, expected, status = row
        if target != number(w["target"], 2) or actual != number(w["actual"], 2):
            wrong.append((w["name"], target, actual, w["target"], w["actual"]))
        if percent.removesuffix("%") not in numbers(w["percent"], 1) or "%" not in percent:
            wrong.append((w["name"], percent, numbers(w["percent"], 1)))
        if expected not in numbers(w["expected"], 2):
            wrong.append((w["name"], expected, numbers(w["expected"], 2)))
        if status != STATUS_ZH[w["status"]]:
            wrong.append((w["name"], status, w["status"]))
    assert wrong == []


@pytest.mark.parametrize(("name", "first", "last"), REPORTS)
def test_report_months_table(project, reports, name, first, last) -> None:
    _data, oracle = project
    table = _tables(reports[name])[1]
    assert table[0] == ["月份", *(h for h, _k in REPORT_COLUMNS)]
    stats = oracle.stats(first, last)
    want = []
    for row in stats["months"]:
        cells = [_month_label(row["month"])]
        for _h, key in REPORT_COLUMNS:
            cells.append(report_cell(key, row.get(key), row["present"]))
        want.append(cells)
    want.append(["合计", *(report_cell(k, stats["total"][k]) for _h, k in REPORT_COLUMNS)])
    assert table[1:] == want


@pytest.mark.parametrize(("name", "first", "last"), REPORTS)
def test_report_activities_and_plan_tables(project, reports, name, first, last) -> None:
    _data, oracle = project
    tables = _tables(reports[name])
    acts = []
    for m in months_between(first, last):
        for a in oracle.data[m].activities if m in oracle.data else []:
            days = "、".join(f"{int(s.date[5:7])}月{int(s.date[8:])}日" for s in a.sessions)
            qs = a.questionnaires
            pooled = Fraction(100 * sum(q.satisfied for q in qs), sum(q.responses for q in qs) or 1)
            rate = f"{number(pooled, 1)}%" if qs else ""
            acts.append(
                [_month_label(m), a.name, a.kind, days, str(len(a.sessions)), str(a.total), rate]
            )
    heads = ["月份", "活动名称", "类别", "日期", "场次", "人次", "满意度"]
    assert tables[2] == [heads, *acts]
    plans = []
    for m in months_between(first, last):
        plan = oracle.plan_of(m) if m in oracle.data else None
        if plan is None:
            continue
        left = [p.name for p in plan if not oracle.carried_out_by(p, m)]
        done = len(plan) - len(left)
        names = "、".join(left) or "无"
        plans.append([_month_label(m), str(len(plan)), str(done), str(len(left)), names])
    assert tables[3] == [["月份", "计划项", "完成", "未完成", "未完成的项目"], *plans]


@pytest.mark.parametrize(("name", "first", "last"), REPORTS)
def test_report_articles_table(project, reports, name, first, last) -> None:
    _data, oracle = project
    want = [
        [_month_label(m), title]
        for m in months_between(first, last)
        if m in oracle.data
        for title, _body, _pics in oracle.data[m].articles
    ]
    table = _tables(reports[name])[4]
    if want:
        assert table == [["月份", "标题"], *want]
    else:
        assert table is None
        texts = [p.text for p in reports[name].paragraphs]
        assert "本期的简报没有文章。" in texts


@pytest.mark.parametrize(("name", "first", "last"), REPORTS)
def test_report_ledger_totals_table(project, reports, name, first, last) -> None:
    _data, oracle = project
    total = oracle.stats(first, last)["total"]
    sheets = oracle.ledger(first, last)
    n = {sheet: str(len(rows)) for sheet, rows in sheets.items()}
    hours = number(total["counselling_hours"], 2)
    sessions = total["counselling_sessions"]  # given-only: no part when no line gives it
    assert _tables(reports[name])[5] == [
        ["台账", "记录数", "合计"],
        ["探访", n["探访"], f"户次 {total['visits']}"],
        [
            "活动",
            n["活动"],
            f"场次 {total['activity_sessions']}；人次 {total['activity_participants']}"
            + (
                ""
                if total["satisfaction"] is None
                else f"；满意度 {number(total['satisfaction'], 1)}%"
            ),
        ],
        ["服务", n["服务"], f"服务内容 {total['services']}"],
        [
            "心理咨询",
            n["心理咨询"],
            f"人数 {total['counselling_people']}；时长（小时） {hours}"
            + ("" if sessions is None else f"；次数 {sessions}"),
        ],
        [
            "微心愿",
            n["微心愿"],
            f"收集 {total['wishes_collected']}；完成 {total['wishes_fulfilled']}",
        ],
    ]


# ---------------------------------------------------------------- explain

EXPLAIN_RANGES = [WHOLE, ("2023-02", "2023-02"), ("2023-06", "2023-08"), ("2024-01", "2024-03")]


def explain(data: Path, key: str, first: str, last: str) -> dict:
    result = run(
        "stats", "--explain", key, "--from", first, "--to", last, "--format", "json",
        "--data", str(data),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _records(doc: dict) -> list[tuple]:
    return [
        ("/".join(Path(r["file"]).parts[-2:]), r["line"], r["month"], float(r["value"]),
         r.get("part"))
        for r in doc["records"]
    ]  # fmt: skip


@pytest.mark.parametrize(("first", "last"), EXPLAIN_RANGES)
@pytest.mark.parametrize("key", KEYS)
def test_explain_records_and_total(project, key: str, first: str, last: str) -> None:
    data, oracle = project
    want = oracle.range_records(key, first, last)
    got = explain(data, key, first, last)
    assert got["figure"] == key
    total = oracle.total(key, first, last)
    assert agree(key, got["total"], total)
    want_records = [(r.file, r.line, r.month, float(r.value), r.part) for r in want or []]
    assert sorted(_records(got)) == sorted(want_records)
    if key == "satisfaction":  # each questionnaire with its satisfied answers
        assert sorted((r["line"], r["month"], r["satisfied"]) for r in got["records"]) == sorted(
            (r.line, r.month, r.satisfied) for r in want or []
        )
    if total is not None and key == "satisfaction":  # pooled, never an average of rates
        satisfied = sum(r.satisfied for r in want or [])
        responses = sum(int(r.value) for r in want or [])
        start = f"{number(total, 1)}% = {satisfied} ÷ {responses} × 100%"
        assert got["arithmetic"].startswith(start)
    elif total is not None:
        assert got["arithmetic"].startswith(f"{number(total, 2)} = ")
    if key == "plan_done":  # README: "← 活动 names what carried one out"
        texts = {(r["line"], r["month"]): r["text"] for r in got["records"]}
        for m in months_between(first, last):
            for item in oracle.plan_of(m) or [] if m in oracle.data else []:
                by = oracle.carried_out_by(item, m)
                if by:
                    assert texts[(item.line, m)].endswith(f"← {by}"), (m, item.name)
    if key == "people_served":
        assert got["parts"] == pytest.approx(
            {part: oracle.total(part, first, last) for part in got["parts"]}
        )


@pytest.mark.parametrize(
    "key",
    [k for k in KEYS if k not in ("towns", "services", "people_served", "satisfaction")],
)
def test_explain_adds_up_month_by_month(project, key: str) -> None:
    """README: over several months every figure is added up month by month (26 = 14 + 12)."""
    data, oracle = project
    got = explain(data, key, *WHOLE)
    terms = [
        oracle.month_value(key, m) for m in months_between(*WHOLE) if oracle.month_records(key, m)
    ]
    if len(terms) > 1:
        total = oracle.total(key, *WHOLE)
        want = f"{number(total, 2)} = " + " + ".join(number(t, 2) for t in terms)
        assert got["arithmetic"] == want


def test_explain_takes_the_chinese_name(project) -> None:
    data, oracle = project
    got = explain(data, "服务人次", *WHOLE)
    assert got["figure"] == "people_served"
    assert got["total"] == oracle.total("people_served", *WHOLE)


@pytest.mark.parametrize("key", ["people_served", "counselling_hours", "wishes_fulfilled"])
def test_explain_csv_and_xlsx_hold_the_records(project, tmp_path, key: str) -> None:
    data, oracle = project
    want = sorted(
        (r.file, r.line, r.month, float(r.value)) for r in oracle.range_records(key, *WHOLE)
    )
    total = oracle.total(key, *WHOLE)
    out = tmp_path / "explain.xlsx"
    args = ["stats", "--explain", key, "--data", str(data)]
    csv_run = run(*args, "--format", "csv")
    xlsx_run = run(*args, "--format", "xlsx", "-o", str(out))
    assert csv_run.exit_code == 0 and xlsx_run.exit_code == 0, csv_run.output + xlsx_run.output
    tables = {
        "csv": list(csv.reader(io.StringIO(csv_run.stdout.lstrip("\ufeff")))),
        "xlsx": [list(r) for r in load_workbook(out).active.iter_rows(values_only=True)],
    }
    for fmt, table in tables.items():
        head, body, last = table[0], table[1:-1], table[-1]
        assert head[:3] == ["file", "line", "month"], fmt
        value = head.index("value")
        got = sorted(
            ("/".join(Path(r[0]).parts[-2:]), int(r[1]), r[2], float(r[value])) for r in body
        )
        assert got == want, fmt
        assert str(last[3]).startswith(f"{number(total, 2)} = "), fmt
        assert float(last[value]) == pytest.approx(total), fmt


# ---------------------------------------------------------------- satisfaction, everywhere


@pytest.fixture(scope="module")
def rated(project, tmp_path_factory):
    """The oracle's project with a rate indicator in 2023年度: 满意度 at least 90 %."""
    import shutil

    data, oracle = project
    copy = tmp_path_factory.mktemp("rated") / "data"
    shutil.copytree(data, copy)
    yaml = copy / "project.yaml"
    first = "      - {name: 困难职工探访"
    rate = "      - {name: 服务满意度 不低于 90%, figure: 满意度, target: 90 %}\n"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace(first, rate + first, 1), "utf-8")
    return copy, oracle


@pytest.mark.parametrize("as_of", ["2023-02", "2023-09", "2023-12"])
def test_satisfaction_agrees_between_stats_progress_report_and_explain(rated, tmp_path, as_of):
    """One pooled 满意度 from the period's start to its as-of month (the oracle's, worked out
    from the questionnaires it wrote): the same in stats, progress, the report's indicator,
    monthly and ledger tables, and --explain, with the rate indicator's status by its rule."""
    data, oracle = rated
    want = oracle.total("satisfaction", "2023-01", as_of)
    assert want is not None
    printed = number(want, 1)
    stats = stats_json(data, "2023-01", as_of)
    assert number(Fraction(str(stats["total"]["satisfaction"])), 1) == printed
    result = run("progress", as_of, "--format", "json", "--data", str(data))
    assert result.exit_code == 0, result.output
    row = next(i for i in json.loads(result.stdout)["indicators"] if i["figure"] == "satisfaction")
    assert (number(Fraction(str(row["actual"])), 1), row["target"], row["expected"]) == (
        printed,
        90,
        90,
    )
    # the rate's own rule: reached at ≥ 90 % from the first month on, else behind
    assert row["status"] == ("reached" if Decimal(printed) >= 90 else "behind")
    explained = explain(data, "satisfaction", "2023-01", as_of)
    assert explained["arithmetic"].startswith(f"{printed}% = ")
    out = tmp_path / "报告.docx"
    args = ("report", "2023年度", "--as-of", as_of, "-o", str(out))
    result = run(*args, "--data", str(data))
    assert result.exit_code == 0, result.output
    indicators, months, *_rest, ledger = _tables(Document(str(out)))
    mine = next(r for r in indicators if r[0] == "服务满意度 不低于 90%")
    assert mine[1:3] == ["90%", f"{printed}%"]
    assert mine[5] == ("已完成" if Decimal(printed) >= 90 else "滞后")
    assert months[0][-1] == "满意度" and months[-1][-1] == f"{printed}%"
    assert f"满意度 {printed}%" in next(r for r in ledger if r[0] == "活动")[2]
