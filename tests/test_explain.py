"""`bulletin stats --explain`: the records behind every figure, with the lines they are on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli
from contract_project import make

from bulletin import figures
from bulletin.explain import explain
from bulletin.models import YearMonth
from bulletin.stats import collect

run = run_cli  # bulletin --lang LANG ARGS, in this process


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory):
    """The generated project, written once: these tests only read it."""
    return make(tmp_path_factory.mktemp("explain"))


@pytest.mark.parametrize("key", figures.all_keys())
def test_records_add_up_to_the_stats_figure(project, key: str) -> None:
    data, exp = project
    first, last = YearMonth(2020, 3), YearMonth(2020, 6)
    stats = collect(data, first, last).total
    ex = explain(data, key, first, last)
    assert ex.total == stats[key]
    if key == "towns":
        assert len(ex.records) == len(ex.distinct) == stats[key] == 3
    elif key == "services":  # the same services month after month count once
        assert len(ex.records) == len(ex.distinct) == stats[key]
    elif key == "people_served":
        assert [k for k, _v in ex.parts] == [
            "activity_participants",
            "visits",
            "counselling_people",
        ]
        assert sum(v for _k, v in ex.parts) == stats[key]
        for part, value in ex.parts:
            assert sum(r.value for r in ex.records if r.figure == part) == value == stats[part]
    elif stats[key] is None:
        assert ex.records == []
    else:
        assert sum(r.value for r in ex.records) == pytest.approx(stats[key])
    # counted by hand from the generator
    hand = {
        "visits": exp.upto("visits", "2020-06") - exp.upto("visits", "2020-02"),
        "activity_sessions": exp.upto("sessions", "2020-06") - exp.upto("sessions", "2020-02"),
        "counselling_hours": exp.upto("hours", "2020-06") - exp.upto("hours", "2020-02"),
        "wishes_fulfilled": exp.upto("fulfilled", "2020-06") - exp.upto("fulfilled", "2020-02"),
    }
    if key in hand:
        assert ex.total == hand[key]


def test_every_record_points_at_its_line(project) -> None:
    data, _exp = project
    for key in ("visits", "activity_sessions", "activity_participants", "counselling_hours"):
        for r in explain(data, key).records:
            text = r.file.read_text(encoding="utf-8").splitlines()[r.line - 1]
            first_word = r.text.split()[0]
            if key == "visits":
                assert f"date: {first_word}" in text, (r, text)
            elif key == "activity_sessions":
                assert f"date: {r.text.split()[1]}" in text, (r, text)
            elif key == "activity_participants":
                assert f"participants: {r.value}" in text, (r, text)
            else:
                assert f"hours: {r.value}" in text, (r, text)


def test_explain_people_served_of_the_example(example: Path) -> None:
    result = run("stats", "2020-02", "--explain", "people_served", lang="zh", cwd=example)
    assert result.exit_code == 0, result.output
    out = result.stdout.splitlines()
    assert out[0] == "people_served（服务人次），2020-02 至 2020-02：159"
    assert out[1] == "activity_participants（活动人次）：134"
    assert out[2] == "  2020-02/events.yaml:8  工会社工带 Tony 老师 为你剪掉“烦恼丝”  134"
    assert out[3] == "visits（探访户数）：14"
    assert out[4] == "  2020-02/visits.yaml:4  2020-02-25 黄小姐 民众镇 电访  1"
    assert out[-2] == "  2020-02/consultations.yaml:6  廖诗敏 线上  11"
    assert out[-1] == "159 = 134 + 14 + 11"
    assert len(out) == 21


def test_explain_towns_and_json(example: Path) -> None:
    result = run("stats", "--explain", "towns", cwd=example)
    assert result.stdout.splitlines()[-1] == (
        "6 = 6 towns, each counted once: 民众镇、东凤镇、黄圃镇、神湾镇、东升镇、三乡镇"
    )
    result = run("stats", "--explain", "counselling_hours", "--format", "json", cwd=example)
    doc = json.loads(result.stdout)
    assert doc["total"] == 16 and doc["arithmetic"] == "16 = 16"
    assert doc["records"] == [
        {
            "file": "2020-02/consultations.yaml",
            "line": 7,
            "month": "2020-02",
            "text": "廖诗敏 线上",
            "value": 16.0,
        }
    ]


def test_explain_as_csv_lists_the_records_and_the_sum_in_the_users_language(
    example: Path,
) -> None:
    """`--format csv` is a spreadsheet's text (a BOM for Excel, one row a record, the sum
    last), its headings in the user's language; a rate without any
    questionnaire says "-", not 0."""
    import csv
    import io

    result = run(
        "stats", "--explain", "counselling_hours", "--format", "csv", lang="zh", cwd=example
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert rows == [
        ["文件", "行", "月份", "记录", "数值"],
        ["2020-02/consultations.yaml", "7", "2020-02", "廖诗敏 线上", "16"],
        ["合计", "", "", "16 = 16", "16"],
    ]
    (example / "2020-02" / "events.yaml").write_text(
        "activities:\n  - {name: 义剪, participants: 4, sessions: [{date: 2020-02-10, venue: 社区}]}\n",
        encoding="utf-8",
    )
    result = run("stats", "--explain", "satisfaction", cwd=example)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].endswith(": -")


def test_explain_over_a_range_sums_month_by_month(project) -> None:
    data, exp = project
    result = run(
        "stats", "--from", "2020-03", "--to", "2020-05", "--explain", "visits", "--data", str(data)
    )
    assert result.exit_code == 0, result.output
    months = [exp.visits[m] for m in ("2020-03", "2020-04", "2020-05")]
    assert result.stdout.splitlines()[-1] == f"{sum(months)} = " + " + ".join(map(str, months))


def test_explain_an_unknown_figure(example: Path) -> None:
    result = run("stats", "--explain", "vists", cwd=example)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "'vists' is not a figure of bulletin stats",
        "  did you mean visits?",
    ]
    result = run("stats", "--explain", "人次", cwd=example, lang="zh")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["“人次”不是统计项", "  是不是想写 活动人次？"]
    result = run("stats", "--explain", "xyz", cwd=example, lang="zh")
    assert result.stderr.splitlines()[1] == (
        "  请写 bulletin stats --format json 中的统计项编号或中文名称，"
        "如 visits、activity_sessions、people_served 或 服务人次"
    )


def test_a_figure_is_named_by_its_key_or_its_chinese_name(example: Path) -> None:
    by_key = run("stats", "2020-02", "--explain", "people_served", lang="zh", cwd=example)
    by_name = run("stats", "2020-02", "--explain", "服务人次", lang="zh", cwd=example)
    assert by_name.exit_code == 0 and by_name.stdout == by_key.stdout


def _records(figure: str, values_by_month: dict[int, list[float]]):
    from bulletin.records import Record

    return [
        Record(figure, YearMonth(2020, m), Path("visits.yaml"), i + 2, "x", v)
        for m, values in values_by_month.items()
        for i, v in enumerate(values)
    ]


@pytest.mark.parametrize(
    ("values", "said"),
    [
        ({2: [1, 1, 1]}, "3 = 3 × 1"),  # ones: counted
        ({2: [2, 1, 3]}, "6 = 2 + 1 + 3"),  # a month's records one by one
        ({2: [2, 1], 3: [3]}, "6 = 3 + 3"),  # several months: month by month
        ({2: [2] * 30}, "60 = " + " + ".join(["2"] * 30)),  # thirty records still one by one
        ({2: [2] * 31}, "62 = 62"),  # more: as the month's sum
        ({2: []}, "0 = 0"),
    ],
)
def test_the_arithmetic_of_a_count(values: dict[int, list[float]], said: str) -> None:
    from bulletin.explain import Explanation, arithmetic

    records = _records("visits", values)
    total = sum(r.value for r in records)
    ex = Explanation("visits", YearMonth(2020, 2), YearMonth(2020, 3), total, records)
    assert arithmetic(ex) == said


@pytest.mark.parametrize(
    ("figure", "lang", "said"),
    [
        ("towns", "en", "2 = 2 towns, each counted once: 神湾镇、黄圃镇"),
        ("towns", "zh", None),
        ("services", "en", "2 = 2 ongoing services, each counted once: 神湾镇、黄圃镇"),
    ],
)
def test_the_arithmetic_of_things_counted_once(figure: str, lang: str, said) -> None:
    from bulletin.explain import Explanation, arithmetic

    ex = Explanation(
        figure, YearMonth(2020, 2), YearMonth(2020, 2), 2, distinct=["神湾镇", "黄圃镇"]
    )
    got = arithmetic(ex, lang)
    if said is None:  # the Chinese words, not the English ones
        assert got.startswith("2 = ") and "towns" not in got and "神湾镇" in got
    else:
        assert got == said


def test_without_a_range_every_month_is_explained(project) -> None:
    """No first or last month: from the first month with data to the last, the same total
    as stats over them, the earliest record in the first month."""
    data, exp = project
    ex = explain(data, "visits")
    assert (str(ex.first), str(ex.last)) == ("2020-02", "2020-07")
    assert ex.total == collect(data, YearMonth(2020, 2), YearMonth(2020, 7)).total["visits"]
    assert ex.total == exp.upto("visits", "2020-07")
    assert str(min(r.month for r in ex.records)) == "2020-02"


def test_a_month_after_the_range_is_not_read(project, tmp_path: Path) -> None:
    """Explaining March to June reads no later month: a mistake in July's files, still being
    filled in, does not stop it."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(project[0], data)
    (data / "2020-07" / "visits.yaml").write_text("visits: [", encoding="utf-8")
    ex = explain(data, "visits", YearMonth(2020, 3), YearMonth(2020, 6))
    assert ex.total == collect(project[0], YearMonth(2020, 3), YearMonth(2020, 6)).total["visits"]
