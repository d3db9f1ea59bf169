"""`bulletin stats` on generated multi-month projects, every figure checked independently."""

from __future__ import annotations

import csv
import io
import json
import random
import warnings
from pathlib import Path

import pytest
from conftest import PROJECT_YAML
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from PIL import Image
from typer.testing import CliRunner

from bulletin import figures
from bulletin.cli import app
from bulletin.errors import DataError
from bulletin.i18n import t
from bulletin.models import YearMonth
from bulletin.stats import collect, plan_report, to_csv, to_json, to_xlsx

TOWNS = ["神湾镇", "黄圃镇", "三乡镇", "东凤镇", "东升镇", "民众镇"]
SERVICES = ["职工心理咨询服务", "法律咨询", "职工书屋"]


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
    # Some log lines give sessions, some do not (the rule: sum over the lines that give them).
    lines = [
        (rng.randint(1, 5), rng.choice([1, 1.5, 2]), rng.choice([None, rng.randint(1, 4)]))
        for _ in range(rng.randint(0, 3))
    ]
    services = rng.sample(SERVICES, rng.randint(0, len(SERVICES)))
    files = {
        "visits.yaml": "visits:\n"
        + "".join(f"  - {{date: {d}, name: 梁女士, town: {t}, mode: {m}}}\n" for d, t, m in visits)
        if visits
        else "visits: []\n",
        "events.yaml": (
            "activities:\n"
            + "".join(
                f"  - name: 活动{i}\n    kind: 类别{i % 2}\n    participants: {p}\n    sessions:\n"
                + "".join(f"      - {{date: {ym}-{k + 1:02d}, venue: 企业}}\n" for k in range(s))
                for i, (s, p) in enumerate(zip(sessions, participants, strict=True))
            )
            if sessions
            else "activities: []\n"
        )
        + "".join(
            ["services:\n"] + [f"  - {{name: {n}, place: 全市}}\n" for n in services]
            if services
            else []
        ),
        "consultations.yaml": "consultations:\n"
        + "".join(
            f"  - {{counsellor: 廖诗敏, channel: 线上, people: {p}, hours: {h}, topics: [情绪困扰]"
            + (f", sessions: {n}" if n is not None else "")
            + "}\n"
            for p, h, n in lines
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
        "counselling_people": sum(p for p, _, _ in lines),
        "counselling_hours": sum(h for _, h, _ in lines),
        "counselling_sessions": sum(n for _, _, n in lines if n is not None)
        if any(n is not None for _, _, n in lines)
        else None,
        "services_set": set(services),
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
        # January's wish is fulfilled in March, February's in June, March's in April (a month
        # without a folder: it still counts, in April); the rest stay open.
        fulfil = {1: YearMonth(2020, 3), 2: YearMonth(2020, 6), 3: YearMonth(2020, 4)}.get(ym.month)
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
    exp.update(activity_sessions=2, activity_participants=15, services_set=set())
    # The same two services in May and June: two services over the range, not four.
    for m in (5, 6):
        files = generated[YearMonth(2020, m)]["files"]
        files["events.yaml"] = files["events.yaml"].split("services:")[0] + (
            "services:\n  - {name: 法律咨询, place: 全市}\n  - {name: 职工书屋, place: 全市}\n"
        )
        generated[YearMonth(2020, m)]["expected"]["services_set"] = {"法律咨询", "职工书屋"}
    # May's log: one line gives sessions, one does not.
    generated[YearMonth(2020, 5)]["files"]["consultations.yaml"] = (
        "consultations:\n"
        "  - {counsellor: 廖诗敏, channel: 线上, people: 2, hours: 1.5, topics: [情绪困扰], sessions: 3}\n"
        "  - {counsellor: 廖诗敏, channel: 到访, people: 4, hours: 2, topics: [情绪困扰]}\n"
    )
    may = generated[YearMonth(2020, 5)]["expected"]
    may.update(counselling_people=6, counselling_hours=3.5, counselling_sessions=3)
    may["people_served"] = may["activity_participants"] + may["visits"] + 6
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
    april = by_month[YearMonth(2020, 4)]
    assert april.present is False and april.values == {"wishes_fulfilled": 1}
    for ym, exp in expected.items():
        values = by_month[ym].values
        for key, value in exp.items():
            if key == "towns_set":
                assert values["towns"] == len(value)
            elif key == "services_set":
                assert values["services"] == len(value)
            elif value is None:
                assert values[key] is None, (ym, key)
            else:
                assert values[key] == pytest.approx(value), (ym, key)
    fulfilled = {str(r.month): r.values.get("wishes_fulfilled") for r in stats.months}
    assert fulfilled == {
        "2020-01": 0,
        "2020-02": 0,
        "2020-03": 1,
        "2020-04": 1,
        "2020-05": 0,
        "2020-06": 1,
    }
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
    assert total["wishes_fulfilled"] == 3  # April's too, though April has no folder
    # Services continue from month to month: the total counts each one once.
    assert total["services"] == len(set().union(*(e["services_set"] for e in expected.values())))
    assert total["services"] < sum(len(e["services_set"]) for e in expected.values())
    # Counselling sessions: the lines that give them, in every month that has any.
    given = [e["counselling_sessions"] for e in expected.values()]
    assert total["counselling_sessions"] == sum(n for n in given if n is not None)
    assert by_month[YearMonth(2020, 5)].values["counselling_sessions"] == 3
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
    assert sum(1 for r in year.months if not r.present) == 7


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
    # a month without data names only what other months' data put in it (a wish fulfilled
    # then); one with data names every figure, in one order
    assert list(doc["months"][3]) == ["month", "present", "wishes_fulfilled"]
    assert list(doc["months"][0])[2:] == figures.all_keys()
    # the notes, for programs, are English, as the keys are
    assert doc["notes"]["towns"] == t("stats_note_towns", "en")
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


def test_plan_item_is_done_whatever_the_case_of_its_latin_letters(small) -> None:
    """Planned as "DIY手工坊", held as "diy 手工坊": `stats --plan` says it was carried out,
    not that the plan was missed and something unplanned held instead."""
    data = small(
        {
            "2020-02": {
                "plans.yaml": "plans:\n  - {name: DIY手工坊, content: 手工, "
                "rows: [{target: 职工, due: 2020-03, staff: 李}]}\n"
            },
            "2020-03": {
                "events.yaml": "activities:\n  - {name: diy 手工坊, participants: 8, "
                "sessions: [{date: 2020-03-02, venue: 企业}]}\n"
            },
        }
    )
    result = CliRunner().invoke(
        app, ["stats", "--plan", "2020-03", "--format", "json", "--data", str(data)]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["done"] == [{"item": "DIY手工坊", "matched": ["diy 手工坊"]}]
    assert doc["not_done"] == [] and doc["unplanned"] == []


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
    assert result.exit_code == 0 and "- No folder for that month" in result.output
    result = runner.invoke(app, ["stats", "--plan", "2020-03", "--data", str(data)], env=env)
    assert (
        result.exit_code == 0
        and "✗ 未开展的活动" in result.output
        and "+ 计划外活动" in result.output
    )


def test_chart_is_drawn(project, tmp_path: Path) -> None:
    """`stats --chart` draws a bar for each month with data in both panels, in their colours,
    every Chinese label in a face that has its characters (no empty boxes). It needs a CJK
    font (README, Set-up): without one this test fails rather than passing quietly."""
    data, _ = project
    out = tmp_path / "c.png"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = CliRunner().invoke(
            app, ["--lang", "en", "stats", "--chart", str(out)], env={"BULLETIN_DATA": str(data)}
        )
    assert result.exit_code == 0, result.output
    assert [str(w.message) for w in caught if "missing from" in str(w.message)] == []
    assert out.read_bytes().startswith(b"\x89PNG")
    image = Image.open(out).convert("RGB")
    stats = collect(data)
    for colour, figure in (
        ((0xC0, 0, 0), "people_served"),
        ((0x1F, 0x4E, 0x79), "counselling_hours"),
    ):
        columns = [
            x
            for x in range(image.width)
            if any(image.getpixel((x, y)) == colour for y in range(image.height))
        ]
        bars = (
            1 + sum(b - a > 1 for a, b in zip(columns, columns[1:], strict=False)) if columns else 0
        )
        assert bars == sum(1 for r in stats.months if r.present and r.values.get(figure)), figure


def test_without_a_chinese_font_the_chart_is_refused_and_nothing_written(
    project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matplotlib import font_manager

    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    data, _ = project
    out = tmp_path / "c.png"
    result = CliRunner().invoke(
        app, ["--lang", "en", "stats", "--chart", str(out)], env={"BULLETIN_DATA": str(data)}
    )
    assert result.exit_code == 1
    assert result.stderr == (
        "no font with Chinese characters is installed, so the chart cannot be drawn\n"
        "  install one, e.g. Debian/Ubuntu: sudo apt install fonts-noto-cjk\n"
    )
    assert not out.exists()


def test_chart_months_without_data_do_not_crowd(project) -> None:
    """Twelve months, seven without data (April, July to December): each slot says 缺少数据,
    written upright, in both panels, and no two labels overlap."""
    from matplotlib import pyplot as plt

    from bulletin import stats as statsmod

    data, _ = project
    stats = collect(data, YearMonth(2020, 1), YearMonth(2020, 12))
    fig = statsmod.chart_figure(stats)
    renderer = fig.canvas.get_renderer()
    top, bottom = fig.axes
    for axes in (top, bottom):
        labels = [a for a in axes.texts if a.get_text() == "缺\n少\n数\n据"]
        assert len(labels) == 7
        boxes = sorted((a.get_window_extent(renderer) for a in labels), key=lambda b: b.x0)
        assert all(left.x1 < right.x0 for left, right in zip(boxes, boxes[1:], strict=False))
        ticks = [t.get_text() for t in bottom.get_xticklabels()]
        slot = axes.get_window_extent(renderer).width / len(ticks)
        assert all(b.width < slot * 0.8 for b in boxes)
    plt.close(fig)


def test_chart_reads_as_designed(project, tmp_path: Path) -> None:
    """What a reader sees on the chart, whatever the CLI language: the Chinese title with
    the range, both panels' titles and units, the months written once under the lower
    panel, slanted so they do not run together; the page 6 in high and 0.6 in a month wide
    (at least 6); 缺少数据 small and grey just above the axis; and an SVG that is the same
    bytes every time it is drawn, so a chart kept in git changes only when its data do."""
    from matplotlib import pyplot as plt

    from bulletin import stats as statsmod

    data, _ = project
    for first, last, width in ((2, 2, 6.0), (1, 12, 7.2)):
        stats = collect(data, YearMonth(2020, first), YearMonth(2020, last))
        fig = statsmod.chart_figure(stats)
        assert tuple(fig.get_size_inches()) == pytest.approx((width, 6.0))
        top, bottom = fig.axes
        assert fig.get_suptitle() == f"工作量统计 2020-{first:02d} 至 2020-{last:02d}"
        assert (top.get_title(), top.get_ylabel()) == ("每月服务人次", "人次")
        assert (bottom.get_title(), bottom.get_ylabel()) == ("每月心理咨询时长", "小时")
        fig.canvas.draw()
        assert not any(t.get_visible() and t.get_text() for t in top.get_xticklabels())
        ticks = bottom.get_xticklabels()
        assert [t.get_text() for t in ticks][:1] == [f"2020年{first}月"]
        assert {(t.get_rotation(), t.get_ha()) for t in ticks} == {(45.0, "right")}
        missing = [a for axes in fig.axes for a in axes.texts]
        assert len(missing) == (0 if first == last else 14)
        for a in missing:
            assert (a.get_fontsize(), a.get_color(), a.get_linespacing()) == (8, "gray", 1.2)
            assert (a.xy[1], a.xyann, a.get_ha(), a.get_va()) == (0, (0, 2), "center", "bottom")
        plt.close(fig)
    drawn = []
    for name in ("a.svg", "b.svg"):
        result = CliRunner().invoke(
            app, ["stats", "--chart", str(tmp_path / name)], env={"BULLETIN_DATA": str(data)}
        )
        assert result.exit_code == 0, result.output
        drawn.append((tmp_path / name).read_bytes())
    assert drawn[0] == drawn[1]


def _display_width(line: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def _cells(text: str) -> list[list[str]]:
    return [line.split() for line in text.splitlines()]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_year_reads_at_80_columns(project, lang: str) -> None:
    from bulletin.stats import to_text

    data, expected = project
    stats = collect(data, YearMonth(2020, 1), YearMonth(2020, 12))
    text = to_text(stats, lang, 80)
    assert "…" not in text
    assert max(_display_width(line) for line in text.splitlines()) <= 80
    # Every month heads a column once, and the total's figures are all there, uncut.
    heads = [c for line in text.splitlines() if line.startswith(" ") for c in line.split()]
    heads = [c for c in heads if c not in ("合计", "total")]
    assert heads == [f"{m:02d}" for m in range(1, 13)]
    total = "合计" if lang == "zh" else "total"
    assert any(row and row[-1] == total for row in _cells(text))
    people = "服务人次" if lang == "zh" else "people served (人次)"
    rows = [ln for ln in text.splitlines() if ln.startswith(people) and "=" not in ln]
    served = sum(e["people_served"] for e in expected.values())
    assert str(served) == rows[-1].split()[-1]  # the last block ends with the total
    legend = "合计不是各月之和" if lang == "zh" else "The total is not a sum"
    assert legend in text


def test_ten_years_read_at_120_columns() -> None:
    from bulletin.figures import FIGURES, all_keys
    from bulletin.stats import MonthFigures, Stats, to_text

    COLUMNS = all_keys()
    months, m = [], YearMonth(2015, 1)
    while m <= YearMonth(2024, 12):
        values = {k: 12345 for k in COLUMNS}
        values["counselling_hours"] = 1234.5
        values["satisfaction"] = 95.8  # a rate: printed 95.8%
        months.append(MonthFigures(m, True, values))
        m = m.next()
    total = {
        f.key: 1 if f.total == "distinct" else sum(r.values[f.key] for r in months) for f in FIGURES
    }
    total["satisfaction"] = 95.8
    stats = Stats(months[0].month, months[-1].month, months, total)
    text = to_text(stats, "zh", 120)
    assert "…" not in text
    assert max(_display_width(line) for line in text.splitlines()) <= 120
    cells = [c for row in _cells(text) for c in row]
    assert cells.count("12345") == 120 * (len(COLUMNS) - 2)
    assert cells.count("1234.5") == 120
    assert cells.count("95.8%") == 121  # each month's rate and the range's
    assert str(12345 * 120) in cells  # the total of a summed figure
    assert all(str(month.month) in cells for month in months)


def test_table_through_the_cli_fits_the_terminal(project) -> None:
    data, _ = project
    result = CliRunner().invoke(
        app, ["--lang", "zh", "stats", "--year", "2020", "--data", str(data)], env={"COLUMNS": "80"}
    )
    assert result.exit_code == 0
    assert "…" not in result.stdout
    assert max(_display_width(line) for line in result.stdout.splitlines()) <= 80
    assert "各列为 2020 年的月份。" in result.stdout


def test_breakdown_headers_follow_the_language(project, tmp_path: Path) -> None:
    data, _ = project
    stats = collect(data, by="town")
    rows = list(csv.reader(io.StringIO(to_csv(stats, "zh").decode("utf-8-sig"))))
    assert rows[0] == ["镇区", "探访户数"]
    assert list(csv.reader(io.StringIO(to_csv(stats, "en").decode("utf-8-sig"))))[0] == [
        "town",
        "households visited",
    ]
    wb = load_workbook(io.BytesIO(to_xlsx(collect(data, by="activity"), "zh")))
    assert wb.sheetnames == ["统计", "按活动类别"]
    assert [c.value for c in wb["按活动类别"][1]] == [
        "活动类别",
        "活动数",
        "场次",
        "人次",
        "问卷份数",
        "满意度",
    ]
    doc = json.loads(to_json(collect(data, by="topic")))
    assert list(doc["breakdown"]["rows"][0]) == ["topic", "people"]  # JSON keys stay English
    result = CliRunner().invoke(
        app, ["--lang", "zh", "stats", "--by", "topic", "--data", str(data)]
    )
    assert result.stdout.splitlines()[1].split() == ["问题类型", "咨询人数"]


def test_stats_files_are_in_the_readers_language(project, tmp_path: Path) -> None:
    """`stats -o` writes its csv and workbook with the headers in the language asked for."""
    from conftest import run_cli

    data, _ = project
    for lang, month in (("zh", "月份"), ("en", "month")):
        for kind in ("csv", "xlsx"):
            out = tmp_path / f"{lang}.{kind}"
            result = run_cli("stats", "-o", str(out), "--data", str(data), lang=lang)
            assert result.exit_code == 0, result.output
            if kind == "csv":
                first = out.read_text(encoding="utf-8-sig").splitlines()[0]
            else:
                first = load_workbook(out).active["A1"].value
            assert first.split(",")[0] == month, (lang, kind)


def test_xlsx_is_readable_when_opened(project) -> None:
    data, _ = project
    ws = load_workbook(io.BytesIO(to_xlsx(collect(data), "zh"))).active
    assert ws.freeze_panes == "B2"
    headers = [c.value for c in ws[1]]
    column = get_column_letter(1 + headers.index("上月计划完成项"))
    assert ws.column_dimensions[column].width >= 14  # seven CJK characters, two columns each
    hours = get_column_letter(1 + headers.index("咨询小时"))
    assert ws[f"{hours}2"].number_format == "0.0#"
    assert all(c.font.bold for c in ws[1])


def test_no_data_in_the_range_is_an_error(project, tmp_path: Path) -> None:
    data, _ = project
    for lang, message in (
        (
            "en",
            "no month from 2025-01 to 2025-12 has data\n  months with data: 2020-01 – 2020-06\n",
        ),
        ("zh", "2025-01 至 2025-12 之间没有任何月份的数据\n  已有数据的月份：2020-01 – 2020-06\n"),
    ):
        out = tmp_path / "s.csv"
        result = CliRunner().invoke(
            app,
            ["--lang", lang, "stats", "--year", "2025", "--format", "csv", "-o", str(out)],
            env={"BULLETIN_DATA": str(data)},
        )
        assert (result.exit_code, result.output) == (1, message)
        assert not out.exists()


def test_every_output_option_does_what_it_says(project, tmp_path: Path) -> None:
    data, _ = project
    runner = CliRunner()
    env = {"BULLETIN_DATA": str(data), "COLUMNS": "80"}
    # A table with -o is written to the file, not the terminal.
    table = tmp_path / "t.txt"
    result = runner.invoke(app, ["--lang", "zh", "stats", "-o", str(table)], env=env)
    assert result.exit_code == 0 and result.stdout == ""
    assert "服务人次" in table.read_text(encoding="utf-8")
    # The plan report exports in every format.
    result = runner.invoke(app, ["stats", "--plan", "2020-03", "--format", "json"], env=env)
    doc = json.loads(result.stdout)
    assert doc == {
        "format": "bulletin-plan/1",
        "month": "2020-03",
        "plan_of": "2020-02",
        "done": [{"item": "活动0", "matched": ["活动0"]}],
        "not_done": ["未开展的活动"],
        "unplanned": ["计划外活动"],
    }
    result = runner.invoke(
        app, ["--lang", "zh", "stats", "--plan", "2020-03", "--format", "csv"], env=env
    )
    assert list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff")))) == [
        ["情况", "计划项", "实际开展"],
        ["已开展", "活动0", "活动0"],
        ["未开展", "未开展的活动", ""],
        ["计划外开展", "", "计划外活动"],
    ]
    book = tmp_path / "p.xlsx"
    result = runner.invoke(
        app, ["stats", "--plan", "2020-03", "--format", "xlsx", "-o", str(book)], env=env
    )
    assert load_workbook(book).active.max_row == 4
    # --plan with a range is a conflict, named; nothing is written.
    result = runner.invoke(
        app, ["stats", "--plan", "2020-03", "--year", "2020", "-o", str(tmp_path / "x")], env=env
    )
    assert (result.exit_code, result.output) == (
        2,
        "--plan compares one month with its plan; it cannot be combined with --year\n",
    )
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize(
    "name, magic", [("c.png", b"\x89PNG"), ("c.svg", b"<?xml"), ("c.pdf", b"%PDF")]
)
def test_chart_format_follows_the_extension(project, tmp_path: Path, name, magic) -> None:
    data, _ = project
    out = tmp_path / name
    result = CliRunner().invoke(
        app, ["stats", "--chart", str(out), "--format", "json"], env={"BULLETIN_DATA": str(data)}
    )
    assert result.exit_code == 0, result.output
    drawn = out.read_bytes()
    assert drawn.startswith(magic)
    # no program name and no date: the same data draw the same file, on any day
    if name.endswith(".svg"):
        assert b"<dc:date>" not in drawn
    else:
        assert b"Matplotlib" not in drawn and b"CreationDate" not in drawn
    if name.endswith(".png"):  # 120 dpi: sharp on a printed A4 page
        from matplotlib import pyplot as plt

        from bulletin import stats as statsmod

        fig = statsmod.chart_figure(collect(data))
        assert Image.open(out).size == tuple(round(v * 120) for v in fig.get_size_inches())
        plt.close(fig)


def test_chart_with_another_extension_is_a_usage_error(project, tmp_path: Path) -> None:
    data, _ = project
    out = tmp_path / "c.jpg"
    result = CliRunner().invoke(
        app, ["--lang", "zh", "stats", "--chart", str(out)], env={"BULLETIN_DATA": str(data)}
    )
    assert (result.exit_code, result.output) == (
        2,
        f"--chart {out}：图表只能保存为 .png、.svg 或 .pdf，不能是“.jpg”\n",
    )
    assert not out.exists()


def test_plan_of_the_first_issue_says_there_is_none(project) -> None:
    data, _ = project
    result = CliRunner().invoke(
        app, ["--lang", "en", "stats", "--plan", "2020-01"], env={"BULLETIN_DATA": str(data)}
    )
    assert (result.exit_code, result.output) == (
        1,
        "2020-01 is the first issue (2020-01) or earlier: there is no earlier plan to compare\n",
    )


def test_a_breakdown_in_text_puts_names_left_and_figures_right_under_their_headers() -> None:
    """Each figure column is right-aligned under a header that is right-aligned too, also
    when a figure is wider than its header; the first column (the town) is left-aligned;
    a breakdown without rows says so."""
    from bulletin.models import YearMonth
    from bulletin.stats import Stats, to_text

    stats = Stats(
        YearMonth(2020, 1),
        YearMonth(2020, 12),
        [],
        {},
        by="town",
        breakdown=[
            {"town": "北滘镇", "visits": 123456789, "people": 3},
            {"town": "东区街道办事处", "visits": 5, "people": 123456789},
        ],
    )
    assert to_text(stats, "zh", 80).splitlines() == [
        "2020-01 – 2020-12",
        "镇区             探访户数   咨询人数",
        "北滘镇          123456789          3",
        "东区街道办事处          5  123456789",
    ]
    empty = Stats(YearMonth(2020, 3), YearMonth(2020, 3), [], {}, by="topic", breakdown=[])
    assert to_text(empty, "en", 80).splitlines() == ["2020-03", "topic", "(none)"]
    assert to_text(empty, "zh", 80).splitlines() == ["2020-03", "问题类型", "（无）"]


@pytest.mark.parametrize(
    ("month", "message"),
    [
        (
            "2020-03",
            "data/2020-03: no folder for month 2020-03 (create it with: bulletin new 2020-03)",
        ),
        (
            "2020-04",
            "data/2020-03: no folder for month 2020-03 (create it with: bulletin new 2020-03)",
        ),
    ],
)
def test_a_plan_compared_with_a_month_not_there_names_the_missing_month(
    example: Path, monkeypatch: pytest.MonkeyPatch, month: str, message: str
) -> None:
    """`stats --plan M` needs the month before M (its plan) and M (what was done): the first
    of them that is missing is named with how to make it."""
    from conftest import run_cli

    monkeypatch.chdir(example.parent)
    result = run_cli("stats", "--plan", month)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [message, "1 error in 1 file"]


def test_a_plan_is_compared_without_reading_the_months_after_it(
    project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slip in June's data is June's business: `stats --plan 2020-03` reads February and
    March (and what comes before), not the months after March."""
    from conftest import run_cli

    data, _ = project
    (data / "2020-06" / "events.yaml").write_text("activities: [\n", encoding="utf-8")
    monkeypatch.chdir(data.parent)
    result = run_cli("stats", "--plan", "2020-03", "--format", "json", "--data", str(data))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["not_done"] == ["未开展的活动"]
    assert run_cli("stats", "--data", str(data)).exit_code == 1  # the slip is there


def test_the_terminal_table_fills_the_width_exactly_before_starting_a_new_block(
    example: Path,
) -> None:
    """Months are columns in blocks as wide as the terminal: a block takes every column that
    fits, to the last character, and one character less puts the last column in a new
    block under the first."""
    from bulletin import tables
    from bulletin.stats import collect, to_text

    stats = collect(example)
    whole = to_text(stats, "en", width=1000).splitlines()
    widest = max(tables.width(line) for line in whole if line.endswith("total"))
    assert to_text(stats, "en", width=widest) == "\n".join(whole) + "\n"
    narrower = to_text(stats, "en", width=widest - 1).splitlines()
    heads = [line.strip() for line in narrower if line.strip() in ("02", "total", "02  total")]
    assert heads == ["02", "total"], narrower
    assert [line.strip() for line in whole if line.strip() in ("02", "total", "02  total")] == [
        "02  total"
    ]


def test_collect_up_to_a_month_reads_no_month_after_it(project) -> None:
    """The library's `collect` up to March answers for January to March, and a slip in
    June's data does not stop it."""
    from bulletin.models import YearMonth
    from bulletin.stats import collect

    data, _ = project
    (data / "2020-06" / "events.yaml").write_text("activities: [\n", encoding="utf-8")
    stats = collect(data, last=YearMonth.parse("2020-03"))
    assert str(stats.last) == "2020-03" and str(stats.months[-1].month) == "2020-03"


def test_stats_up_to_a_month_does_not_read_the_months_after_it(project) -> None:
    """`stats --to 2020-03` answers for January to March; a slip in June's data is June's
    business, named when June is asked for."""
    from conftest import run_cli

    data, _ = project
    (data / "2020-06" / "events.yaml").write_text("activities: [\n", encoding="utf-8")
    result = run_cli("stats", "--to", "2020-03", "--format", "json", "--data", str(data))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["to"] == "2020-03"
    assert run_cli("stats", "--to", "2020-06", "--data", str(data)).exit_code == 1


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--year", "2020", "--from", "2020-03"], "use either MONTH, --year, or --from/--to"),
        (["--year", "2020", "--to", "2020-03"], "use either MONTH, --year, or --from/--to"),
        (["2020-02", "--from", "2020-03"], "use either MONTH, --year, or --from/--to"),
        (["2020-02", "--year", "2020"], "use either MONTH, --year, or --from/--to"),
        (["--from", "2020-05", "--to", "2020-03"], "--from 2020-05 is after --to 2020-03"),
    ],
)
def test_a_range_said_two_ways_or_backwards_is_a_usage_error(project, args, said) -> None:
    data, _ = project
    result = CliRunner().invoke(
        app, ["--lang", "en", "stats", *args], env={"BULLETIN_DATA": str(data)}
    )
    assert (result.exit_code, result.output.strip()) == (2, said)


def test_a_chart_of_months_without_service_has_no_ticks_below_nought(small) -> None:
    """A month recorded with nothing in it draws no bars: the axes still start at 0 (no
    −0.04 人次) and count 人次 in whole numbers."""
    from matplotlib import pyplot as plt

    from bulletin import stats as statsmod

    data = small({"2020-02": {}})
    fig = statsmod.chart_figure(collect(data))
    fig.canvas.draw()
    top, bottom = fig.axes
    for axes in (top, bottom):
        ticks = [t for t in axes.get_yticks() if axes.get_ylim()[0] <= t <= axes.get_ylim()[1]]
        assert min(ticks) == 0 and max(ticks) >= 1, ticks
        assert axes.get_ylim() == (0, 1)  # nothing to draw: an axis of one unit
    assert all(float(t).is_integer() for t in top.get_yticks())
    plt.close(fig)


@pytest.mark.parametrize("people", [9, 25, 250])
def test_a_chart_counts_people_in_round_steps(small, people) -> None:
    """The 人次 axis is marked every 1, 2 or 5 (times ten, a hundred, …) from nought, never
    every 3, 4 or 6: a reader reads a bar's height off round numbers."""
    import math

    from matplotlib import pyplot as plt

    from bulletin import stats as statsmod

    events = (
        "activities:\n"
        f"  - {{name: 活动, participants: {people}, sessions: [{{date: 2020-02-03, venue: 企业}}]}}\n"
    )
    stats = collect(small({"2020-02": {"events.yaml": events}}))
    assert stats.months[0].values["people_served"] == people
    fig = statsmod.chart_figure(stats)
    fig.canvas.draw()
    top = fig.axes[0]
    ticks = [t for t in top.get_yticks() if t <= top.get_ylim()[1]]
    plt.close(fig)
    steps = {b - a for a, b in zip(ticks, ticks[1:], strict=False)}
    assert ticks[0] == 0 and len(steps) == 1, ticks
    (step,) = steps
    assert step / 10 ** math.floor(math.log10(step)) in (1, 2, 5), ticks
