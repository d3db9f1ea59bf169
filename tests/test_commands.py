"""Commands mean what they say: a new centre's first months, init inside a project, the
messages of schema and of no arguments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import PROJECT_YAML
from test_cli import run


def _init(tmp_path: Path, *args: str):
    return run("init", str(tmp_path / "centre"), *args, cwd=tmp_path)


def test_new_without_a_month_starts_at_the_first_issue(tmp_path: Path) -> None:
    assert _init(tmp_path, "--first-issue", "2026-12").exit_code == 0
    result = run("new", cwd=tmp_path / "centre")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("created 2026-12:\n")
    assert "第 01 期" in (tmp_path / "centre" / "2026-12" / "month.yaml").read_text("utf-8")


def test_a_past_first_issue_is_the_first_month_created(tmp_path: Path) -> None:
    """A centre that started in September 2026 gets 第 01 期 for September, not for today."""
    assert _init(tmp_path, "--first-issue", "2026-09").exit_code == 0
    result = run("new", cwd=tmp_path / "centre")
    assert result.output.startswith("created 2026-09:\n"), result.output
    again = run("new", cwd=tmp_path / "centre")
    assert again.output.startswith("created 2026-10:\n"), again.output
    assert "第 02 期" in (tmp_path / "centre" / "2026-10" / "month.yaml").read_text("utf-8")


def test_init_inside_a_project_is_refused_naming_it(small, tmp_path: Path) -> None:
    small({})  # tmp_path/data/project.yaml: a clone of a project's repository
    for lang, message in (
        (
            "en",
            "there is already a project here (data/project.yaml): the commands would not find "
            "one inside it, so nothing was written\n"
            "  start the new project in a folder outside that one\n",
        ),
        (
            "zh",
            "这里已经有一个项目（data/project.yaml）：在它里面新建的项目不会被命令找到，"
            "所以没有写入任何文件\n  请在这个项目以外的文件夹中新建项目\n",
        ),
    ):
        result = run("--lang", lang, "init", "中心数据", cwd=tmp_path)
        assert (result.exit_code, result.output) == (1, message)
        assert not (tmp_path / "中心数据").exists()


def test_init_marks_its_towns_as_an_example_until_edited(tmp_path: Path) -> None:
    assert _init(tmp_path).exit_code == 0
    project = tmp_path / "centre" / "project.yaml"
    assert "# 【示例】以下是 bulletin init 写入的中山市镇区" in project.read_text("utf-8")
    assert run("new", cwd=tmp_path / "centre").exit_code == 0
    result = run("--lang", "zh", "check", cwd=tmp_path / "centre")
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == (
        "提示：project.yaml 中的 24 个镇区是 bulletin init 写入的示例（中山市的），"
        "请改成本中心服务的镇区"
    )
    text = project.read_text("utf-8").replace("  - 石岐街道\n", "")
    project.write_text(text, "utf-8")
    result = run("--lang", "zh", "check", cwd=tmp_path / "centre")
    assert "示例" not in result.output


def test_new_stopped_by_errors_says_nothing_was_created(small) -> None:
    data = small({"2020-02": {"visits.yaml": "visits:\n  - {date: 2020-02-30}\n"}})
    for lang, last in (
        (
            "en",
            "nothing was created for 2020-03: the month it copies from has the errors above; "
            "fix them, or copy from another month with --from MONTH",
        ),
        (
            "zh",
            "没有创建 2020-03：它要复制的月份有上面的错误；请先改正，或用 --from 月份 从别的月份复制",
        ),
    ):
        result = run("--lang", lang, "new", "--data", str(data))
        assert result.exit_code == 1
        assert "visits.yaml:2" in result.output
        assert result.output.splitlines()[-1] == last
        assert not (data / "2020-03").exists()


def test_schema_says_when_nothing_changed(example: Path) -> None:
    first = run("schema", "--data", str(example))
    assert first.exit_code == 0
    again = run("--lang", "zh", "schema", "--data", str(example))
    assert (again.exit_code, again.output) == (
        0,
        f"{example / 'schemas'} 中的数据格式说明已是最新，无需更新\n",
    )


def test_no_arguments_prints_the_help_in_both_languages() -> None:
    english = run()
    chinese = run(env={"LANG": "zh_CN.UTF-8"})
    assert english.exit_code == chinese.exit_code
    assert "Compile the monthly Word bulletin" in english.output
    assert "根据 YAML 数据生成工会社工服务项目的每月 Word 简报。" in chinese.output
    for result in (english, chinese):
        assert "错误" not in result.output and "Error" not in result.output
        assert result.output.count("bulletin") + result.output.count("root") >= 1
        assert len([ln for ln in result.output.splitlines() if "[" in ln and "..." in ln]) == 1


def test_project_yaml_fixture_is_not_the_init_example() -> None:
    assert "石岐街道" not in PROJECT_YAML


@pytest.mark.parametrize(
    ("text", "en", "zh"),
    [
        (
            "visits:\n  - date 2026-12-04\n    name: 梁女士\n",
            "visits.yaml:2: the field 'date' has no colon after it (write 'date: value')",
            "visits.yaml:2: 字段“date”后面缺少冒号（请写成“date: 内容”）",
        ),
        (
            "visits:\n  - date: 2026-12-04\n    name 梁女士\n    town: 东凤镇\n",
            "visits.yaml:3: the field 'name' has no colon after it (write 'name: value')",
            "visits.yaml:3: 字段“name”后面缺少冒号（请写成“name: 内容”）",
        ),
        (
            "visits:\n  - date: 2026-12-04\n   name: 梁女士\n",
            "visits.yaml:3: this line does not line up with the list items above it (indent "
            "fields of the same item by the same number of spaces; a new item starts with '- ')",
            "visits.yaml:3: 这一行与上面的列表项没有对齐（同一项的字段要用相同数量的空格缩进；"
            "新的一项以“- ”开头）",
        ),
        (
            "visits: [a, b\nx: 1\n",
            "visits.yaml:1: a list in [ ] is not closed (add the closing ] on the same line)",
            "visits.yaml:1: 方括号 [ ] 中的列表没有闭合（请在同一行补上“]”）",
        ),
        (
            "visits:\n  - {date: 2026-12-04\n",
            "visits.yaml:2: a group in { } is not closed (add the closing } on the same line)",
            "visits.yaml:2: 花括号 { } 没有闭合（请在同一行补上“}”）",
        ),
        (
            "visits: @x\n",
            "visits.yaml:1: a value starts with a character that YAML reserves (such as @ or `) "
            "(put the value in quotes)",
            "visits.yaml:1: 内容以 YAML 保留的字符开头（如 @ 或 `）（请把内容放在引号里）",
        ),
    ],
)
def test_yaml_slips_are_told_in_both_languages_on_their_line(small, text, en, zh) -> None:
    data = small({"2020-02": {"visits.yaml": text}})
    for lang, expected in (("en", en), ("zh", zh)):
        result = run("--lang", lang, "check", "--data", str(data))
        assert result.exit_code == 1
        assert result.output.splitlines()[0] == f"{data / '2020-02' / expected}"


def test_a_date_without_a_year_is_in_the_months_year(small) -> None:
    """11月20日 in November 2026's files is 2026-11-20; in its plan, 12月3日 is 2026-12-03
    and in December's plan, 1月5日 is 2027-01-05."""
    from bulletin.loader import load_month, load_project
    from bulletin.models import YearMonth

    project = PROJECT_YAML.replace("first_issue: 2020-02", "first_issue: 2026-11")
    plan = "plans:\n  - {{name: 讲座, content: 内容, rows: [{{target: 职工, due: '{due}', staff: 李}}]}}\n"
    data = small(
        {
            "2026-11": {
                "visits.yaml": "visits:\n  - {date: 11月20日, name: 梁女士, town: 神湾镇, mode: 电访}\n",
                "plans.yaml": plan.format(due="12月3日"),
            },
            "2026-12": {"plans.yaml": plan.format(due="1月5日")},
        },
        project,
    )
    loaded = load_project(data)
    november = load_month(loaded, data, YearMonth(2026, 11))
    assert str(november.visits[0].date) == "2026-11-20"
    assert str(november.plans[0].rows[0].due) == "2026-12-03"
    december = load_month(loaded, data, YearMonth(2026, 12))
    assert str(december.plans[0].rows[0].due) == "2027-01-05"


def test_date_examples_are_in_the_month_being_edited(small) -> None:
    project = PROJECT_YAML.replace("first_issue: 2020-02", "first_issue: 2026-11")
    data = small(
        {
            "2026-12": {
                "visits.yaml": "visits:\n  - {date: 十二月四日, name: 梁女士, town: 神湾镇, mode: 电访}\n"
            }
        },
        project,
    )
    result = run("--lang", "zh", "check", "--data", str(data))
    assert result.exit_code == 1
    assert result.output.splitlines()[0].endswith(
        "visits[0].date（第 1 条）: “十二月四日”不是日期"
        "（日期请写成 2026-12-25，也可以写 2026/12/25、2026年12月25日 或 12月25日）"
    )


ARTICLE = (
    "articles:\n  - section: 项目快讯\n    title: 标题\n    body: |\n      第一段\n\n      {text}\n"
)


@pytest.mark.parametrize(
    ("text", "en", "zh"),
    [
        (
            "共{{ activity.mid-autumn.participants }}人次",
            "articles.yaml:7: articles[0].body: unknown placeholder "
            "'activity.mid-autumn.participants' (ids have letters, digits and _ only, as in "
            "activity.mid_autumn.participants; the placeholders are listed in the README, "
            "section Placeholders)",
            "articles.yaml:7: articles[0].body（第 1 条）: 未知的占位符“activity.mid-autumn.participants”"
            "（编号只用英文字母、数字和下划线，如 activity.mid_autumn.participants；"
            "全部占位符见《使用指南》的“占位符”一节）",
        ),
        (
            "共{{ visit.households }}户",
            "articles.yaml:7: articles[0].body: unknown placeholder 'visit.households' "
            "(did you mean visits.households? The placeholders are listed in the README, "
            "section Placeholders)",
            "articles.yaml:7: articles[0].body（第 1 条）: 未知的占位符“visit.households”"
            "（是不是想写 visits.households？全部占位符见《使用指南》的“占位符”一节）",
        ),
    ],
)
def test_an_unknown_placeholder_is_named_whole_on_its_line(small, text, en, zh) -> None:
    data = small({"2020-02": {"articles.yaml": ARTICLE.format(text=text)}})
    for lang, expected in (("en", en), ("zh", zh)):
        result = run("--lang", lang, "check", "--data", str(data))
        assert result.exit_code == 1
        lines = result.output.splitlines()
        assert lines[0] == f"{data / '2020-02' / expected}"
        assert len(lines) == 2  # one problem, then the count


def test_a_plan_item_carried_out_by_an_ongoing_service_is_not_listed_to_record(small) -> None:
    """One matching rule in new and stats --plan: an ongoing service of the same name (or id)
    carries out the plan item."""
    plans = (
        "plans:\n"
        "  - {name: 法律咨询, content: 内容, rows: [{target: 职工, due: 2020-03, staff: 李}]}\n"
        "  - {name: 读书会, content: 内容, rows: [{target: 职工, due: 2020-03-06, staff: 李}]}\n"
    )
    events = "activities: []\nservices:\n  - {name: 法律咨询, place: 全市}\n"
    data = small({"2020-02": {"plans.yaml": plans, "events.yaml": events}})
    result = run("new", "2020-03", "--data", str(data))
    assert result.exit_code == 0, result.output
    assert "1 activity of 2020-02's plan is listed in events.yaml to record" in result.output
    written = (data / "2020-03" / "events.yaml").read_text("utf-8")
    assert "# - name: 读书会" in written and "# - name: 法律咨询" not in written
    assert "  - name: 法律咨询\n    place: 全市" in written  # copied as a service


def test_init_copies_both_word_templates_to_restyle(tmp_path: Path) -> None:
    from bulletin.template_search import builtin_templates

    result = _init(tmp_path)
    assert result.exit_code == 0, result.output
    listed = result.output.splitlines()[1:8]
    assert listed == [
        "  project.yaml",
        "  templates/bulletin.docx",
        "  templates/report.docx",
        "  templates/evidence.docx",
        "  templates/signin.docx",
        "  templates/overview.txt.j2",
        "  templates/wording.yaml",
    ]
    for name in ("bulletin.docx", "report.docx", "evidence.docx", "signin.docx"):
        copied = tmp_path / "centre" / "templates" / name
        assert copied.read_bytes() == (builtin_templates() / name).read_bytes(), name


def test_a_plan_item_naming_its_ongoing_service_is_done_by_it(small) -> None:
    """A plan item with `service:` (职工心理咨询服务 carried out by 心理咨询) is neither listed by
    new as an activity to record nor reported by stats --plan as not done."""
    plans = (
        "plans:\n"
        "  - name: 职工心理咨询服务\n    service: 心理咨询\n    content: 内容\n"
        "    rows: [{target: 企业职工, due: 2020-03, staff: 李}]\n"
        "  - {name: 读书会, content: 内容, rows: [{target: 职工, due: 2020-03-06, staff: 李}]}\n"
    )
    events = "activities: []\nservices:\n  - {name: 心理咨询, place: 心灵港湾}\n"
    data = small({"2020-02": {"plans.yaml": plans, "events.yaml": events}})
    result = run("new", "2020-03", "--data", str(data))
    assert result.exit_code == 0, result.output
    assert "1 activity of 2020-02's plan is listed in events.yaml to record" in result.output
    written = (data / "2020-03" / "events.yaml").read_text("utf-8")
    assert "# - name: 读书会" in written and "职工心理咨询服务" not in written
    assert "  - name: 心理咨询\n    place: 心灵港湾" in written  # copied as a service
    result = run("stats", "--plan", "2020-03", "--format", "json", "--data", str(data))
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["done"] == [{"item": "职工心理咨询服务", "matched": ["心理咨询"]}]
    assert report["not_done"] == ["读书会"]
