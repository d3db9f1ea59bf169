"""`bulletin stats` on generated multi-month projects, every figure checked independently."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import pytest
from conftest import PROJECT_YAML
from openpyxl import load_workbook
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.errors import DataError
from bulletin.models import YearMonth
from bulletin.stats import collect, plan_report, to_csv, to_json, to_xlsx

TOWNS = ["神湾镇", "黄圃镇", "三乡镇", "东凤镇", "东升镇", "民众镇"]


def month_files(ym: YearMonth, rng: random.Random, fulfil_in: YearMonth | None = None) -> dict:
    """One month of random records, plus the figures a person would count by hand."""
    n_visits = rng.randint(0, 6)
    visits = [
        (
            f"{ym}-{rng.randint(1, 28):02d}",
            TOWNS[rng.randrange(len(TOWNS))],
            rng.choice(["电访", "走访"]),
        )
        for _ in range(n_visits)
    ]
    sessions = [rng.randint(1, 3) for _ in range(rng.randint(0, 2))]
    participants = [rng.randint(5, 50) for _ in sessions]
    lines = [(rng.randint(1, 5), rng.choice([1, 1.5, 2])) for _ in range(rng.randint(0, 3))]
    files = {
        "visits.yaml": "visits:\n"
        + "".join(f"  - {{date: {d}, name: 梁女士, town: {t}, mode: {m}}}\n" for d, t, m in visits)
        if visits
        else "visits: []\n",
        "events.yaml": "activities:\n"
        + "".join(
            f"  - name: 活动{i}\n    kind: 类别{i % 2}\n    participants: {p}\n    sessions:\n"
            + "".join(f"      - {{date: {ym}-{k + 1:02d}, venue: 企业}}\n" for k in range(s))
            for i, (s, p) in enumerate(zip(sessions, participants, strict=True))
        )
        if sessions
        else "activities: []\n",
        "consultations.yaml": "consultations:\n"
        + "".join(
            f"  - {{counsellor: 廖诗敏, channel: 线上, people: {p}, hours: {h}, topics: [情绪困扰]}}\n"
            for p, h in lines
        )
        if lines
        else "consultations: []\n",
        "wishes.yaml": "wishes:\n  - {name: 梁女士, situation: 情况, wish: 书包"
        + (f", fulfilled: {fulfil_in}-15" if fulfil_in else "")
        + "}\n",
    }
    expected = {
        "visits": n_visits,
        "phone_visits": sum(1 for v in visits if v[2] == "电访"),
        "home_visits": sum(1 for v in visits if v[2] == "走访"),
        "towns_set": {v[1] for v in visits},
        "activity_sessions": sum(sessions),
        "activity_participants": sum(participants),
        "counselling_people": sum(p for p, _ in lines),
        "counselling_hours": sum(h for _, h in lines),
        "wishes_collected": 1,
    }
    expected["people_served"] = (
        expected["activity_participants"] + n_visits + expected["counselling_people"]
    )
    return {"files": files, "expected": expected}


@pytest.fixture
def project(small):
    rng = random.Random(20200201)
    months = [YearMonth(2020, m) for m in (1, 2, 3, 5, 6)]  # April is missing
    generated = {}
    for ym in months:
        # January's wish is fulfilled in March, February's in June; the rest stay open.
        fulfil = {1: YearMonth(2020, 3), 2: YearMonth(2020, 6)}.get(ym.month)
        generated[ym] = month_files(ym, rng, fulfil)
    # A plan published with February for March: one item done (by name), one not.
    generated[YearMonth(2020, 2)]["files"]["plans.yaml"] = (
        "plans:\n"
        "  - {name: 活动0, content: 内容, rows: [{target: 职工, due: 2020-03, staff: 李}]}\n"
        "  - {name: 未开展的活动, content: 内容, rows: [{target: 职工, due: 2020-03-05, staff: 李}]}\n"
    )
    generated[YearMonth(2020, 3)]["files"]["events.yaml"] = (
        "activities:\n"
        "  - {name: 活动0, participants: 10, sessions: [{date: 2020-03-02, venue: 企业}]}\n"
        "  - {name: 计划外活动, participants: 5, sessions: [{date: 2020-03-09, venue: 企业}]}\n"
    )
    exp = generated[YearMonth(2020, 3)]["expected"]
    exp.update(activity_sessions=2, activity_participants=15)
    exp["people_served"] = 15 + exp["visits"] + exp["counselling_people"]
    project_yaml = PROJECT_YAML.replace("first_issue: 2020-02", "first_issue: 2020-01")
    data = small({str(ym): g["files"] for ym, g in generated.items()}, project_yaml)
    return data, {ym: g["expected"] for ym, g in generated.items()}


def test_every_month_and_the_total(project) -> None:
    data, expected = project
    stats = collect(data)
    assert [str(r.month) for r in stats.months] == [
        "2020-01",
        "2020-02",
        "2020-03",
        "2020-04",
        "2020-05",
        "2020-06",
    ]
    by_month = {r.month: r for r in stats.months}
    assert by_month[YearMonth(2020, 4)].present is False and not by_month[YearMonth(2020, 4)].values
    for ym, exp in expected.items():
        values = by_month[ym].values
        for key, value in exp.items():
            if key == "towns_set":
                assert values["towns"] == len(value)
            else:
                assert values[key] == pytest.approx(value), (ym, key)
    fulfilled = {str(r.month): r.values.get("wishes_fulfilled") for r in stats.months if r.values}
    assert fulfilled == {"2020-01": 0, "2020-02": 0, "2020-03": 1, "2020-05": 0, "2020-06": 1}
    total = stats.total
    for key in (
        "visits",
        "activity_sessions",
        "activity_participants",
        "counselling_people",
        "people_served",
    ):
        assert total[key] == sum(e[key] for e in expected.values()), key
    assert total["counselling_hours"] == pytest.approx(
        sum(e["counselling_hours"] for e in expected.values())
    )
    assert total["towns"] == len(set().union(*(e["towns_set"] for e in expected.values())))
    assert total["wishes_fulfilled"] == 2
    assert by_month[YearMonth(2020, 3)].values["plan_done"] == 1
    assert by_month[YearMonth(2020, 3)].values["plan_items"] == 2


def test_ranges(project) -> None:
    data, expected = project
    one = collect(data, YearMonth(2020, 3), YearMonth(2020, 3))
    assert [str(r.month) for r in one.months] == ["2020-03"]
    assert one.total["visits"] == expected[YearMonth(2020, 3)]["visits"]
    # Wishes collected before the range but fulfilled inside it still count.
    assert one.total["wishes_fulfilled"] == 1
    year = collect(data, YearMonth(2020, 1), YearMonth(2020, 12))
    assert len(year.months) == 12
    assert sum(1 for r in year.months if not r.values) == 7


def test_breakdowns(project) -> None:
    data, expected = project
    towns = collect(data, by="town").breakdown
    counted: dict[str, int] = {}
    for ym in expected:
        text = (data / str(ym) / "visits.yaml").read_text(encoding="utf-8")
        for town in TOWNS:
            counted[town] = counted.get(town, 0) + text.count(f"town: {town}")
    assert {r["town"]: r["visits"] for r in towns} == {k: v for k, v in counted.items() if v}
    topics = collect(data, by="topic").breakdown
    assert topics == [
        {"topic": "情绪困扰", "people": sum(e["counselling_people"] for e in expected.values())}
    ]
    kinds = collect(data, by="activity").breakdown
    assert sum(r["participants"] for r in kinds) == sum(
        e["activity_participants"] for e in expected.values()
    )


def test_formats_agree(project) -> None:
    data, expected = project
    stats = collect(data)
    doc = json.loads(to_json(stats))
    assert doc["format"] == "bulletin-stats/1"
    assert doc["total"]["visits"] == sum(e["visits"] for e in expected.values())
    assert [m["present"] for m in doc["months"]] == [True, True, True, False, True, True]
    raw = to_csv(stats, "zh")
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["月份", "探访户数", "电访"]
    assert rows[-1][0] == "合计" and int(rows[-1][1]) == doc["total"]["visits"]
    assert rows[4][1] == "缺少数据"
    wb = load_workbook(io.BytesIO(to_xlsx(stats, "en")))
    ws = wb.active
    assert ws["A1"].value == "month" and ws["A1"].font.bold
    total_row = [c.value for c in ws[ws.max_row]]
    assert total_row[0] == "total" and total_row[1] == doc["total"]["visits"]
    assert isinstance(ws["B2"].value, int)


def test_plan_follow_through(project) -> None:
    data, _ = project
    report = plan_report(data, YearMonth(2020, 3))
    assert [item.name for item, _ in report.done] == ["活动0"]
    assert [item.name for item in report.not_done] == ["未开展的活动"]
    assert report.unplanned == ["计划外活动"]


def test_invalid_month_stops_stats_with_every_problem(project) -> None:
    data, _ = project
    (data / "2020-05" / "visits.yaml").write_text(
        "visits:\n  - {date: 2020-05-40}\n", encoding="utf-8"
    )
    with pytest.raises(DataError) as info:
        collect(data)
    assert any(p.line == 2 for p in info.value.problems)


def test_example_figures_match_the_reference(example: Path) -> None:
    stats = collect(example)
    feb = stats.months[0].values
    assert (feb["visits"], feb["towns"], feb["wishes_collected"]) == (14, 6, 7)
    assert (feb["activity_sessions"], feb["activity_participants"]) == (2, 134)
    assert (feb["counselling_people"], feb["counselling_hours"]) == (11, 16)
    assert feb["people_served"] == 159


def test_cli_exports(project, tmp_path: Path) -> None:
    data, expected = project
    runner = CliRunner()
    env = {"LANG": "C"}
    out = tmp_path / "s.xlsx"
    result = runner.invoke(
        app, ["stats", "--data", str(data), "--format", "xlsx", "-o", str(out)], env=env
    )
    assert result.exit_code == 0, result.output
    assert load_workbook(out).active.max_row == 1 + 6 + 1
    result = runner.invoke(
        app, ["stats", "--data", str(data), "--year", "2020", "--format", "json"], env=env
    )
    assert json.loads(result.stdout)["to"] == "2020-12"
    result = runner.invoke(app, ["stats", "--data", str(data), "--format", "xlsx"], env=env)
    assert result.exit_code == 2 and "--format xlsx needs -o" in result.output
    result = runner.invoke(
        app, ["stats", "2020-03", "--year", "2020", "--data", str(data)], env=env
    )
    assert result.exit_code == 2
    result = runner.invoke(app, ["stats", "--data", str(data)], env=env)
    assert result.exit_code == 0 and "missing" in result.output
    result = runner.invoke(app, ["stats", "--plan", "2020-03", "--data", str(data)], env=env)
    assert (
        result.exit_code == 0
        and "✗ 未开展的活动" in result.output
        and "+ 计划外活动" in result.output
    )


def test_chart_is_drawn(project, tmp_path: Path) -> None:
    from bulletin import stats as statsmod
    from bulletin.errors import BuildError

    data, _ = project
    try:
        png = statsmod.to_chart(collect(data))
    except BuildError as exc:  # no CJK font on this machine: the message must say so
        assert exc.message.key == "chart_no_font"
        return
    assert png.startswith(b"\x89PNG")
    (tmp_path / "c.png").write_bytes(png)
