"""Satisfaction questionnaires: what events.yaml may record, every bad input refused with its
located message (and nothing written), the rate pooled over questionnaires (never an average
of rates), the placeholders that print it, and the status rule of a rate indicator."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import run_cli, write_project
from docx import Document
from typer.testing import CliRunner

from bulletin import figures
from bulletin.cli import app
from bulletin.progress import STATUSES, rate_status

runner = CliRunner()
EARLIER = b"earlier build"
EVENTS = "data/2020-02/events.yaml"
QUESTIONNAIRE = "          responses: 24\n          answers: {非常满意: 18, 满意: 5, 一般: 1}\n"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Work beside the data folder, so messages show paths as data/…."""
    monkeypatch.chdir(tmp_path)


def run(*args: str, lang: str = "en"):
    return runner.invoke(app, ["--lang", lang, *args], env={"LANG": "C", "LANGUAGE": ""})


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _events(old: str, new: str) -> Callable[[Path], None]:
    return lambda data: edit(data / "2020-02" / "events.yaml", old, new)


def _project(old: str, new: str) -> Callable[[Path], None]:
    return lambda data: edit(data / "project.yaml", old, new)


COUNTS_HINT = (
    "(answers: how many answered 非常满意, 满意, 一般, 不满意, 非常不满意; or scores: how many "
    "gave 1, 2, 3, 4, 5 points (5 is best), one line each under scores, e.g. 5: 18)"
)
AT = "activities[0].sessions[0].satisfaction"

# Each case breaks the example's illustrative questionnaire (events.yaml line 16) in one way.
CASES: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    "an answer that is not one of the five": (
        _events("满意: 5", "比较满意: 5"),
        [
            f"{EVENTS}:18: {AT}.answers.比较满意: '比较满意' is not a known field (did you mean 满意?)"
        ],
    ),
    "a count that is not whole": (
        _events("满意: 5", "满意: 5.5"),
        [f"{EVENTS}:18: {AT}.answers.满意: '5.5' is not a whole number"],
    ),
    "a negative count": (
        _events("一般: 1", "一般: -1"),
        [f"{EVENTS}:18: {AT}.answers.一般: must not be negative (got -1)"],
    ),
    "answers and scores both": (
        _events(QUESTIONNAIRE, QUESTIONNAIRE + "          scores: {5: 3}\n"),
        [
            f"{EVENTS}:19: {AT}.scores: give the questionnaire's counts either by answer "
            f"('answers') or by score ('scores'), not both {COUNTS_HINT}"
        ],
    ),
    "a score that is not 1 to 5": (
        _events(QUESTIONNAIRE, "          scores: {5: 20, 10: 4}\n"),
        [f"{EVENTS}:17: {AT}.scores.10: '10' is not a score: scores are 1 to 5 {COUNTS_HINT}"],
    ),
    "no counts": (
        _events(QUESTIONNAIRE, "          responses: 24\n"),
        [
            f"{EVENTS}:16: {AT}: the questionnaire has no counts: give 'answers' or 'scores' "
            f"{COUNTS_HINT}"
        ],
    ),  # fmt: skip
    "counts above the responses": (
        _events("responses: 24", "responses: 20"),
        [
            f"{EVENTS}:17: {AT}.responses: the counts add up to 24, more than the 20 "
            "questionnaires returned ('responses') (check the counts, or correct 'responses'; "
            "without 'responses', the questionnaires returned are the counts added up)"
        ],
    ),
    "responses above the participants": (
        _events("responses: 24", "responses: 200"),
        [
            f"{EVENTS}:8: activities[0].participants: 200 questionnaires returned, more than "
            "the 134 participants (each questionnaire comes from a participant: check "
            "'responses' and 'participants')"
        ],
    ),
    "a session's responses above its participants": (
        _events(
            "    participants: 134\n",
            "",
        ),
        [],  # filled in below: per-session participants, one of them too few
    ),
    "no questionnaire returned": (
        _events(QUESTIONNAIRE, "          answers: {}\n"),
        [
            f"{EVENTS}:16: {AT}.responses: no questionnaire returned: the responses are 0 "
            "(leave 'satisfaction' out when no questionnaire was returned)"
        ],
    ),
    "on the activity and on a session": (
        _events(
            "    participants: 134\n", "    participants: 134\n    satisfaction: {scores: {5: 3}}\n"
        ),
        [
            f"{EVENTS}:9: activities[0].satisfaction: give 'satisfaction' either for the "
            "activity or in its sessions, not both (one questionnaire summary for the whole "
            "activity goes on the activity; questionnaires collected at each session go in "
            "each session)"
        ],
    ),  # fmt: skip
    "a per-cent target on a count": (
        _project("        target: 200\n", "        target: 200 %\n"),
        [
            "data/project.yaml:49: contract[0].indicators[0].target: '200 %' is a per cent, "
            "but visits is a count, not a rate: only 满意度 (satisfaction) takes a target in per "
            "cent (write the target as a number, e.g. target: 200)"
        ],
    ),
    "a rate target above 100": (
        _project(
            "        target: 200\n",
            "        target: 200\n      - {name: 满意度 不低于 95%, figure: 满意度, target: 105}\n",
        ),
        [
            "data/project.yaml:50: contract[0].indicators[1].target: a rate cannot reach 105 %: "
            "a per-cent target is at most 100 (write the per cent the contract asks for, e.g. "
            "target: 90 %)"
        ],
    ),
}


def _per_session(data: Path) -> None:
    """Participants per session, and the first session's 24 questionnaires from 20 people."""
    path = data / "2020-02" / "events.yaml"
    edit(path, "    participants: 134\n", "")
    edit(path, "        title: 爱心义剪", "        participants: 20\n        title: 爱心义剪")
    edit(path, "        title: 工会带", "        participants: 114\n        title: 工会带")


CASES["a session's responses above its participants"] = (
    _per_session,
    [
        f"{EVENTS}:17: {AT}.responses: 24 questionnaires returned, more than the 20 participants "
        "(each questionnaire comes from a participant: check 'responses' and 'participants')"
    ],
)


@pytest.mark.parametrize("case", list(CASES))
def test_bad_questionnaires_are_refused_and_nothing_is_written(
    case: str, example: Path, tmp_path: Path
) -> None:
    breaking, expected = CASES[case]
    breaking(example)
    out = tmp_path / "out" / "2020-02.docx"
    out.parent.mkdir()
    out.write_bytes(EARLIER)
    checked = run("check", "--data", str(example))
    built = run("build", "2020-02", "-o", str(out), "--data", str(example))
    count = f"{len(expected)} error{'s' * (len(expected) > 1)} in 1 file"
    assert (checked.exit_code, checked.output.splitlines()) == (1, [*expected, count])
    assert (built.exit_code, built.output.splitlines()) == (1, [*expected, count])
    assert out.read_bytes() == EARLIER
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]


def test_a_message_in_chinese(example: Path) -> None:
    _events("满意: 5", "比较满意: 5")(example)
    result = run("check", "--data", str(example), lang="zh")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"{EVENTS}:18: {AT}.answers.比较满意（第 1 条第 1 项）: “比较满意”不是可用的字段"
        "（是不是想写 满意？）"
    )


def test_the_example_questionnaire_is_the_one_record_of_the_figures(example: Path) -> None:
    """data/2020-02's illustrative questionnaire: 23 of 24 satisfied, 95.8 %."""
    result = run("stats", "--format", "json", "--data", str(example))
    total = json.loads(result.stdout)["total"]
    assert (total["satisfaction_responses"], total["satisfaction"]) == (24, 95.8)


# ---------------------------------------------------------------- the pooled rate

EVENTS_TWO = """\
activities:
  - name: 义剪
    participants: 40
    sessions:
      - date: {month}-10
        venue: 社区
        satisfaction:
          answers: {{非常满意: 5, 满意: 4, 一般: 1}}
  - name: 讲座
    participants: 30
    sessions:
      - date: {month}-20
        venue: 职工服务站
        satisfaction:
          scores: {{5: 1, 3: 4, 2: 5}}
"""


def test_two_questionnaires_pool_their_answers_not_their_rates(tmp_path: Path) -> None:
    """9 of 10 and 1 of 10 satisfied: 10 of 20, 50 %, as one month and as two; the mean of
    the rates (90 % and 10 %) is 50 % too, so a third case tells them apart: 9/10 and 1/30."""
    data = write_project(
        tmp_path / "one", {"2020-02": {"events.yaml": EVENTS_TWO.format(month="2020-02")}}
    )
    doc = json.loads(run("stats", "--format", "json", "--data", str(data)).stdout)
    assert (doc["total"]["satisfaction_responses"], doc["total"]["satisfaction"]) == (20, 50)
    uneven = EVENTS_TWO.format(month="2020-03").replace(
        "scores: {5: 1, 3: 4, 2: 5}", "scores: {5: 1, 3: 4, 2: 5}\n          responses: 30"
    )
    months = {
        "2020-02": {"events.yaml": EVENTS_TWO.format(month="2020-02").split("  - name: 讲座")[0]},
        "2020-03": {"events.yaml": "activities:\n  - name: 讲座" + uneven.split("  - name: 讲座")[1]},
    }  # fmt: skip
    data = write_project(tmp_path / "two", months)
    doc = json.loads(run("stats", "--format", "json", "--data", str(data)).stdout)
    months_rates = [m["satisfaction"] for m in doc["months"]]
    assert months_rates == [90, 3.3]  # 9/10 and 1/30
    assert doc["total"]["satisfaction"] == 25  # 10 of 40, not (90 + 3.3) ÷ 2
    explained = run("stats", "--explain", "满意度", "--data", str(data))
    assert explained.output.splitlines()[-1].startswith("25% = 10 ÷ 40 × 100%")
    assert "month by month 9/10 + 1/30" in explained.output


def test_no_questionnaire_is_no_figure_not_zero(tmp_path: Path) -> None:
    events = "activities:\n  - {name: 义剪, participants: 4, sessions: [{date: 2020-02-10, venue: 社区}]}\n"
    data = write_project(tmp_path, {"2020-02": {"events.yaml": events}})
    doc = json.loads(run("stats", "--format", "json", "--data", str(data)).stdout)
    assert (doc["total"]["satisfaction_responses"], doc["total"]["satisfaction"]) == (0, None)
    assert figures.value("satisfaction", []) is None
    text = run("stats", "--explain", "satisfaction", "--data", str(data)).output
    assert "no questionnaire recorded" in text


# ---------------------------------------------------------------- placeholders


def test_the_placeholders_print_the_rate_in_an_article(example: Path, tmp_path: Path) -> None:
    edit(
        example / "2020-02" / "articles.yaml",
        "    body: |\n",
        "    body: |\n      参加义剪的职工满意度{{ activity.haircut.satisfaction }}，"
        "本月收回问卷{{ satisfaction.responses }}份，满意度{{ satisfaction.rate }}。\n\n",
    )
    out = tmp_path / "2020-02.docx"
    result = run("build", "2020-02", "-o", str(out), "--data", str(example))
    assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "参加义剪的职工满意度95.8%，本月收回问卷24份，满意度95.8%。" in text


def test_a_misspelt_satisfaction_placeholder_is_named_with_the_right_one(example: Path) -> None:
    edit(
        example / "2020-02" / "articles.yaml",
        "    body: |\n",
        "    body: |\n      满意度{{ activity.haircut.satisfacton }}。\n\n",
    )
    result = run("check", "--data", str(example))
    assert result.exit_code == 1
    assert "did you mean activity.haircut.satisfaction" in result.output.replace("{{ ", "")


# ---------------------------------------------------------------- a rate indicator

PROJECT = """\
name: 工会社工服务项目
organisation: 中山市工会社工综合服务中心
union: 市总工会
first_issue: 2020-02
towns: [民众镇]
sections: [项目快讯]
progress_table: true
contract:
  - name: 2020年度
    start: 2020-02
    end: 2020-04
    indicators:
      - {name: 服务满意度 不低于 90%, figure: 满意度, target: 90 %, due: 2020-03}
"""


def _month(month: str, satisfied: int, others: int) -> dict[str, str]:
    answers = f"{{满意: {satisfied}, 一般: {others}}}"
    session = f"{{date: {month}-10, venue: 社区, participants: 40"
    if satisfied + others:
        session += f", satisfaction: {{answers: {answers}}}"
    return {"events.yaml": f"activities:\n  - name: 义剪\n    sessions: [{session}}}]\n"}


@pytest.mark.parametrize(
    ("as_of", "actual", "reached", "status", "zh"),
    [
        ("2020-02", None, "", "no_data", "暂无数据"),  # no questionnaire yet
        ("2020-03", 80, "88.9%", "behind", "滞后"),  # 8 of 10 before the due month is out
        ("2020-04", 94.3, "104.8%", "reached", "已完成"),  # 8 + 25 of 10 + 25: 33 of 35
    ],
)
def test_a_rate_indicator_is_compared_with_its_whole_target(
    tmp_path: Path, as_of: str, actual, reached: str, status: str, zh: str
) -> None:
    months = {
        "2020-02": _month("2020-02", 0, 0),
        "2020-03": _month("2020-03", 8, 2),
        "2020-04": _month("2020-04", 25, 0),
    }
    data = write_project(tmp_path, months, PROJECT)
    result = run_cli("progress", as_of, "--format", "json", "--data", str(data))
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)["indicators"][0]
    assert (row["actual"], row["expected"], row["status"]) == (actual, 90, status)
    assert row["rate"] is True  # a reader of the json knows not to add it up
    # the bulletin's own indicator table says the same
    out = tmp_path / f"{as_of}.docx"
    assert run_cli("build", as_of, "-o", str(out), "--data", str(data)).exit_code == 0
    table = next(
        [[c.text for c in r.cells] for r in t.rows]
        for t in Document(str(out)).tables
        if t.rows[0].cells[1].text == "指标"
    )
    assert table[1][2:] == ["90%", "" if actual is None else f"{actual:g}%", reached, zh]
    # and `progress --format csv`: the rate's target, actual and expected as per cents, and
    # nothing where there is no questionnaire yet
    result = run_cli("progress", as_of, "--format", "csv", "--data", str(data))
    row = result.stdout.splitlines()[1].split(",")
    assert row[3:5] == ["90%", "" if actual is None else f"{actual:g}%"]
    assert row[6] == "90%"
    assert (row[5] == "") == (row[7] == "") == (actual is None)


def test_a_rate_indicator_below_its_target_after_its_due_month_is_overdue(
    tmp_path: Path,
) -> None:
    """Due 2020-03: below target in March is behind; still below in April, overdue."""
    months = {
        "2020-02": _month("2020-02", 0, 0),
        "2020-03": _month("2020-03", 8, 2),
        "2020-04": _month("2020-04", 5, 5),  # 13 of 20
    }
    data = write_project(tmp_path, months, PROJECT)
    for as_of, actual, status in (("2020-03", 80, "behind"), ("2020-04", 65, "overdue")):
        result = run_cli("progress", as_of, "--format", "json", "--data", str(data))
        row = json.loads(result.stdout)["indicators"][0]
        assert (row["actual"], row["status"]) == (actual, status)


def test_a_rate_below_target_after_the_due_month_is_overdue() -> None:
    assert rate_status(85.0, 90, overdue=True) == "overdue"
    assert rate_status(95.0, 90, overdue=True) == "reached"
    assert rate_status(None, 90, overdue=True) == "no_data"
    assert rate_status(89.9, 90) == "behind"
    assert rate_status(90.0, 90) == rate_status(90.0, 90, overdue=True) == "reached"  # "不低于"
    assert set(STATUSES) >= {"no_data", "reached", "behind", "overdue"}


@pytest.mark.parametrize("written", ["90 %", "90%", "90", "90％"])
def test_a_rate_target_is_written_with_or_without_its_sign(tmp_path: Path, written: str) -> None:
    project = PROJECT.replace("target: 90 %", f"target: {written}")
    data = write_project(tmp_path, {"2020-03": _month("2020-03", 9, 1)}, project)
    result = run_cli("progress", "2020-03", "--format", "json", "--data", str(data))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["indicators"][0]["target"] == 90


def _sessions(month: str, count: int) -> dict[str, str]:
    """A month with `count` sessions of one activity, each with one satisfied questionnaire."""
    rows = "".join(
        f"      - {{date: {month}-{1 + n % 28:02d}, venue: 社区, participants: 5,"
        f" satisfaction: {{answers: {{满意: 1}}}}}}\n"
        for n in range(count)
    )
    return {"events.yaml": f"activities:\n  - name: 义剪\n    sessions:\n{rows}"}


@pytest.mark.parametrize(
    ("months", "arithmetic"),
    [
        # up to 30 questionnaires of one month: each questionnaire's answers
        (
            {"2020-03": 30},
            "100% = 30 ÷ 30 × 100%: the satisfied answers of all questionnaires ÷ all their responses ("
            + " + ".join(["1/1"] * 30)
            + "), not an average of rates",
        ),
        # more than 30, or more than one month: month by month
        (
            {"2020-03": 31},
            "100% = 31 ÷ 31 × 100%: the satisfied answers of all questionnaires ÷ all their responses, month by month 31/31, not an average of rates",
        ),
        (
            {"2020-02": 1, "2020-03": 2},
            "100% = 3 ÷ 3 × 100%: the satisfied answers of all questionnaires ÷ all their responses, month by month 1/1 + 2/2, not an average of rates",
        ),
        ({"2020-03": 0}, "- : no questionnaire recorded in these months"),
    ],
)
def test_the_arithmetic_of_satisfaction_lists_questionnaires_or_months(
    tmp_path: Path, months: dict[str, int], arithmetic: str
) -> None:
    data = write_project(
        tmp_path, {m: _sessions(m, n) if n else {} for m, n in months.items()}, PROJECT
    )
    args = ("stats", "--explain", "satisfaction", "--format", "json", "--data", str(data))
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["arithmetic"] == arithmetic
    if arithmetic.startswith("-"):
        zh = run_cli("stats", "--explain", "满意度", "--data", str(data), lang="zh")
        assert zh.stdout.splitlines()[-1] == "-：这些月份没有记录问卷"


def test_the_report_prints_a_rate_indicator_as_progress_does(tmp_path: Path) -> None:
    """Before any questionnaire the actual and its share are a dash, not 0; the expected
    and the target are per cents, as the indicator is a rate."""
    months = {"2020-02": _month("2020-02", 0, 0), "2020-03": _month("2020-03", 8, 2)}
    data = write_project(tmp_path, months, PROJECT)
    for as_of, row in (
        ("2020-02", ["90%", "—", "—", "90%", "暂无数据"]),
        ("2020-03", ["90%", "80%", "88.9%", "90%", "滞后"]),
    ):
        out = tmp_path / f"{as_of}.docx"
        result = run_cli(
            "report", "--from", "2020-02", "--to", as_of, "-o", str(out), "--data", str(data)
        )
        assert result.exit_code == 0, result.output
        table = next(
            [[c.text for c in r.cells] for r in t.rows]
            for t in Document(str(out)).tables
            if t.rows[0].cells[0].text == "指标"
        )
        assert table[1:] == [["服务满意度 不低于 90%", *row]]
