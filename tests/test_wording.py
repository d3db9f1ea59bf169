"""The words around the data: templates/wording.yaml, restyled from a project's own folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx_text import lines

from bulletin.errors import DataError
from bulletin.models import YearMonth
from bulletin.pipeline import prepare
from bulletin.wording import builtin_wording
from tests.conftest import PROJECT_YAML
from tests.test_cli import run

FEB = YearMonth(2020, 2)
VISITS = """\
visits:
  - {date: 2020-02-03, name: 黄小姐, town: 民众镇, mode: 电访}
  - {date: 2020-02-25, name: 李先生, town: 东凤镇, mode: 走访}
  - {date: 2020-02-26, name: 陈女士, town: 东凤镇, mode: 电访}
"""
PLAN = """\
plans:
  - name: 探访
    content: 探访困难职工
    rows: [{target: 企业职工, due: 2020-03-09, staff: [李社工]}]
"""


def _with_wording(small, wording: str, months: dict | None = None) -> Path:
    """A project whose own templates folder holds `wording` as its wording.yaml."""
    data = small(months or {}, PROJECT_YAML + "templates: templates\n")
    (data / "templates").mkdir()
    (data / "templates" / "wording.yaml").write_text(wording, encoding="utf-8")
    return data


def test_the_builtin_phrases(small) -> None:
    data = small({"2020-02": {"visits.yaml": VISITS, "plans.yaml": PLAN}})
    context = prepare(data, FEB).context
    assert context.cover_month == "2020年2月份"
    assert [entry.section for entry in context.toc] == ["本月速览", "服务汇总"]
    assert context.summary_title == "工会社工服务项目2020年2月份服务汇总"
    assert context.plan_title == "工会社工服务项目2020年3月份服务预告"
    assert context.toc[-1].titles == [context.summary_title, context.plan_title]
    assert context.wishes_caption == "2020年2月困难职工“小心愿”登记情况"
    assert context.visits_caption == "2020年2月困难职工探访情况"
    assert context.visits_sentence == (
        "中山市工会社工综合服务中心2月份共探访了3户（电访2户，走访1户），具体如下："
    )
    assert [r.date for r in context.visit_rows] == ["2月3日", "2月25日", "2月26日"]
    assert [r.due for r in context.plan_rows] == ["3月9日"]
    assert context.plan_empty == "下月暂无服务预告。"


@pytest.mark.parametrize(
    ("items", "text"),
    [
        ([], ""),
        (["神湾镇"], "神湾镇"),
        (["神湾镇", "黄圃镇"], "神湾镇、黄圃镇"),
        (["婚恋问题", "情绪困扰", "睡眠障碍"], "婚恋问题、情绪困扰、睡眠障碍"),
    ],
)
def test_a_list_in_running_text_is_joined_by_the_enumeration_comma(items, text) -> None:
    """towns_text, topics_text, channels_text and an activity's partners."""
    assert builtin_wording().say("list_text", items=items) == text


@pytest.mark.parametrize(
    ("modes", "text"), [([], "探访"), (["电访"], "电访"), (["电访", "走访"], "电访和走访")]
)
def test_the_ways_of_visiting_are_joined_by_he(modes, text) -> None:
    assert builtin_wording().say("visit_modes", modes=modes) == text


def test_the_visits_sentence_without_visits_or_with_one_mode(small) -> None:
    data = small({"2020-02": {"wishes.yaml": "wishes: []\n"}})
    assert (
        prepare(data, FEB).context.visits_sentence
        == "中山市工会社工综合服务中心2月份没有探访记录。"
    )
    one = VISITS.replace("走访", "电访")
    (data / "2020-02" / "visits.yaml").write_text(one, encoding="utf-8")
    assert prepare(data, FEB).context.visits_sentence == (
        "中山市工会社工综合服务中心2月份共电访了3户，具体如下："
    )


RESTYLED = """\
# Only the phrases this centre changes.
summary_title: "{{ month.label }}服务一览"
day: "{{ date.month }}/{{ date.day }}"
plan_empty:
"""


def test_a_project_restyles_some_phrases_and_keeps_the_others(small, tmp_path: Path) -> None:
    data = _with_wording(small, RESTYLED, {"2020-02": {"visits.yaml": VISITS}})
    out = tmp_path / "out.docx"
    result = run("build", "2020-02", "--data", str(data), "-o", str(out))
    assert result.exit_code == 0, result.output
    text = lines(out)
    assert text.count("2020年2月服务一览") == 2  # contents and heading
    assert "工会社工服务项目2020年3月份服务预告" in text  # a phrase not restyled
    assert "下月暂无服务预告。" not in text  # restyled as nothing
    assert "1\t2/3\t黄小姐\t民众镇\t电访" in text
    # --templates comes first: its phrase wins over the project's.
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "wording.yaml").write_text("summary_title: 本月汇总\n", encoding="utf-8")
    context = prepare(data, FEB, templates=mine).context
    assert context.summary_title == "本月汇总"
    assert context.visit_rows[0].date == "2/3"


DATA_WORDS = """\
month_label: "{{ date.year }}.{{ date.month }}"
list_text: "{{ items | join(' / ') }}"
visit_modes: "{{ modes | join('和') }}联系"
area_towns: 乡镇
"""


def test_a_project_restyles_the_words_made_from_the_data(small, tmp_path: Path) -> None:
    """Month names, lists, visit modes and the towns' collective word are phrases too: the
    document and the article placeholders (month.label, …) print the project's own."""
    data = _with_wording(small, DATA_WORDS, {"2020-02": {"visits.yaml": VISITS}})
    out = tmp_path / "out.docx"
    result = run("build", "2020-02", "--data", str(data), "-o", str(out))
    assert result.exit_code == 0, result.output
    text = lines(out)
    assert "2020.2份" in text  # the cover
    assert text.count("工会社工服务项目2020.3份服务预告") == 2  # contents and heading
    overview = next(line for line in text if "期间" in line)
    assert "对东凤镇 / 民众镇等乡镇困难职工进行电访和走访" in overview
    assert "2020.2份，工会社工服务项目积极配合" in text[text.index(overview) - 1]
    one = VISITS.replace("走访", "电访")
    (data / "2020-02" / "visits.yaml").write_text(one, encoding="utf-8")
    assert prepare(data, FEB).context.visits_sentence == (
        "中山市工会社工综合服务中心2月份共电访联系了3户，具体如下："
    )


BAD = """\
summary_titel: 汇总
plan_title: [汇总]
visits_caption: "{{ month.label }"
"""


def test_a_broken_wording_file_is_reported_and_nothing_is_written(small, tmp_path: Path) -> None:
    data = _with_wording(small, BAD, {"2020-02": {"visits.yaml": VISITS}})
    out = tmp_path / "out.docx"
    result = run("build", "2020-02", "-o", str(out), cwd=data.parent)
    assert result.exit_code == 1
    assert result.output.splitlines()[:3] == [
        "data/templates/wording.yaml:1: summary_titel: 'summary_titel' is not a known field "
        "(did you mean summary_title?)",
        "data/templates/wording.yaml:2: plan_title: must be text, not ['汇总']",
        "data/templates/wording.yaml:3: visits_caption: placeholder syntax error: unexpected '}'",
    ]
    assert not out.exists()
    zh = run("check", "--lang", "zh", cwd=data.parent)
    assert zh.exit_code == 1
    assert zh.output.splitlines()[0] == (
        "data/templates/wording.yaml:1: summary_titel: “summary_titel”不是可用的字段"
        "（是不是想写 summary_title？）"
    )


def test_a_phrase_naming_an_unknown_figure_is_reported(small) -> None:
    data = _with_wording(
        small, "plan_empty: 共{{ visits.house }}户\n", {"2020-02": {"visits.yaml": VISITS}}
    )
    with pytest.raises(DataError) as info:
        prepare(data, FEB)
    assert [p.format("en", data) for p in info.value.problems] == [
        "templates/wording.yaml:1: plan_empty: placeholder failed: "
        "'dict object' has no attribute 'house'"
    ]


def test_every_builtin_phrase_is_used_and_every_used_phrase_is_builtin() -> None:
    import re

    from bulletin.template_search import builtin_templates

    builtin = builtin_templates() / "wording.yaml"
    defined = set(re.findall(r"^([a-z_]+):", builtin.read_text(encoding="utf-8"), re.M))
    code = (Path(__file__).parents[1] / "bulletin" / "context.py").read_text(encoding="utf-8")
    used = set(re.findall(r'words\["([a-z_]+)"\]', code))
    used |= {"day", "whole_month", "month_label"}  # words.day(), .whole_month(), .month()
    prose = (Path(__file__).parents[1] / "bulletin" / "prose.py").read_text(encoding="utf-8")
    used |= set(re.findall(r'say\("([a-z_]+)"', prose))
    used |= set(re.findall(r'"(area_[a-z]+)"', prose))  # area_key()
    report = (Path(__file__).parents[1] / "bulletin" / "report.py").read_text(encoding="utf-8")
    used |= set(re.findall(r"""say\(["']([a-z_]+)["']""", report))  # the period report's
    pack = (Path(__file__).parents[1] / "bulletin" / "evidence.py").read_text(encoding="utf-8")
    used |= set(re.findall(r"""say\(\s*["']([a-z_]+)["']""", pack))  # the evaluation pack's
    signin = (Path(__file__).parents[1] / "bulletin" / "signin.py").read_text(encoding="utf-8")
    used |= set(re.findall(r"""say\(["']([a-z_]+)["']""", signin))  # the sign-in sheets'
    assert defined == used


def test_a_centres_day_and_month_phrases_may_use_the_year(tmp_path: Path) -> None:
    """`day` and `whole_month` are given the date's year as well as its month and day."""
    from datetime import date

    from bulletin.wording import Wording, Words, _read

    mine = tmp_path / "wording.yaml"
    mine.write_text(
        'day: "{{ date.year }}年{{ date.month }}月{{ date.day }}日"\n'
        'whole_month: "{{ date.year }}年{{ date.month }}月内"\n',
        encoding="utf-8",
    )
    builtin = builtin_wording()
    phrases, problems = _read(mine, set(builtin.phrases))
    assert problems == []
    words = Words(Wording({**builtin.phrases, **phrases}, builtin.overview), {})
    assert [words.day(date(y, 3, 5)) for y in (2021, 2022, 2021)] == [
        "2021年3月5日",
        "2022年3月5日",
        "2021年3月5日",
    ]
    assert words.whole_month(YearMonth(2021, 4)) == "2021年4月内"


def test_every_templates_folders_wording_is_checked_and_the_last_named_overview_wins(
    small, tmp_path: Path
) -> None:
    """The project's folder and --templates each have their say: a phrase that drops its
    argument in one and an unknown key in the other are both reported, each on its line;
    the overview of --templates, then the project's, is the one the bulletin fills."""
    from bulletin.loader import load_project
    from bulletin.wording import load_wording

    data = _with_wording(small, 'plan_title: 计划\nlist_text: "、"\n')
    ours, theirs = data / "templates", tmp_path / "override"
    theirs.mkdir()
    (theirs / "wording.yaml").write_text("summary_titel: 汇总\n", encoding="utf-8")
    for folder in (ours, theirs):
        (folder / "overview.txt.j2").write_text("本月概况\n", encoding="utf-8")
    project = load_project(data)
    with pytest.raises(DataError) as caught:
        load_wording(project, data, theirs)
    assert [
        (p.file, p.line, p.field, p.message.key, p.message.params) for p in caught.value.problems
    ] == [
        (ours / "wording.yaml", 2, "list_text", "phrase_drops_argument", {"names": "items"}),
        (theirs / "wording.yaml", 1, "summary_titel", "unknown_key", {"key": "summary_titel"}),
    ]
    assert caught.value.problems[0].hint.params == {
        "names": "items",
        "builtin": "{{ items | join('、') }}",
    }
    (theirs / "wording.yaml").unlink()
    (ours / "wording.yaml").write_text("plan_title: 计划\n", encoding="utf-8")
    assert load_wording(project, data, theirs).overview == theirs / "overview.txt.j2"
    assert load_wording(project, data).overview == ours / "overview.txt.j2"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("- plan_title: 计划\n", (1, "", "not_mapping", None)),
        ("plan_titel: 计划\n", (1, "plan_titel", "unknown_key", "did_you_mean")),
        ("qqqq: 计划\n", (1, "qqqq", "unknown_key", "known_keys")),
        ('plan_title: "{{ x"\nqqqq: 计划\n', (1, "plan_title", "placeholder_syntax", None)),
    ],
)
def test_a_wording_file_is_a_set_of_known_phrases(small, text: str, problem: tuple) -> None:
    """A list instead of phrases, or a phrase the tool does not know: said on its line, with
    the closest phrase, or else every phrase there is."""
    from bulletin.loader import load_project
    from bulletin.wording import load_wording

    data = _with_wording(small, text)
    with pytest.raises(DataError) as caught:
        load_wording(load_project(data), data)
    p = caught.value.problems[0]
    assert (p.line, p.field, p.message.key, p.hint.key if p.hint else None) == problem
    assert len(caught.value.problems) == text.count("\n")  # a problem a line, each reported
    assert p.file == data / "templates" / "wording.yaml"
    if problem[3] == "known_keys":
        assert "plan_title, " in p.hint.params["value"]


def test_a_phrase_left_empty_prints_nothing(small) -> None:
    from bulletin.loader import load_project
    from bulletin.wording import load_wording

    data = _with_wording(small, "plan_title:\n")
    assert load_wording(load_project(data), data).say("plan_title") == ""
