"""The month-to-month workflow: init, new, schema, help in both languages."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bulletin import yamlfile
from bulletin.loader import load_month, load_project
from bulletin.models import YearMonth
from bulletin.scaffold import yaml_scalar
from bulletin.schema import FILES, schema_file, schemas
from tests.conftest import EXAMPLE, PROJECT_YAML
from tests.test_cli import run


class _Yaml12(yaml.SafeLoader):
    """What an editor's YAML 1.2 reader sees: dates stay text, numbers are numbers."""


_Yaml12.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _editor_errors(path: Path, schema: dict) -> list[str]:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Yaml12)
    validator = jsonschema.Draft7Validator(schema)
    return sorted(e.message for e in validator.iter_errors(data))


def _data_files(data: Path) -> list[Path]:
    return [data / "project.yaml", *sorted(data.glob("20??-??/*.yaml"))]


# ---------------------------------------------------------------- schema


def test_schemas_are_valid_draft_7() -> None:
    for name, schema in schemas().items():
        assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
        jsonschema.Draft7Validator.check_schema(schema)
        text = json.dumps(schema)
        assert "$defs" not in text, name  # draft 7 has "definitions"
        for ref in re.findall(r'"\$ref": "([^"]+)"', text):
            assert ref.removeprefix("#/definitions/") in schema["definitions"], ref


def test_committed_schemas_are_what_the_models_generate() -> None:
    project = load_project(EXAMPLE)
    generated = schemas(project)
    committed = {p.name: json.loads(p.read_text("utf-8")) for p in (EXAMPLE / "schemas").iterdir()}
    assert committed == generated, "run `bulletin schema` after changing the models"


def test_example_data_passes_its_schemas() -> None:
    generated = schemas(load_project(EXAMPLE))
    files = _data_files(EXAMPLE)
    assert len(files) == 7
    for path in files:
        assert _editor_errors(path, generated[schema_file(path.name)]) == [], path
        first = path.read_text("utf-8").splitlines()[0]
        prefix = "" if path.name == "project.yaml" else "../"
        assert first == f"# yaml-language-server: $schema={prefix}schemas/{schema_file(path.name)}"


def test_schemas_catch_what_the_loader_catches(example: Path) -> None:
    generated = schemas(load_project(example))
    visits = example / "2020-02" / "visits.yaml"
    text = visits.read_text("utf-8")
    broken = text.replace("东凤镇", "东风镇", 1).replace(", mode: 电访}", ", mdoe: 电访}", 1)
    broken = re.sub(r"date: 2020-02-25", "date: 25/2", broken, count=1)
    visits.write_text(broken, "utf-8")
    errors = _editor_errors(visits, generated["visits.schema.json"])
    assert any("'东风镇' is not one of" in e for e in errors)
    assert any("'mdoe' was unexpected" in e for e in errors)
    assert any("'25/2' does not match" in e for e in errors)


def test_schemas_describe_fields_in_chinese() -> None:
    cjk = re.compile(r"[\u4e00-\u9fff]")

    def walk(node, where):
        if isinstance(node, dict):
            if "properties" in node:
                for name, prop in node["properties"].items():
                    assert cjk.search(prop.get("description", "")), f"{where}.{name}"
            if node.get("type") == "object":
                assert cjk.search(node.get("description", "")), where
            for key, value in node.items():
                walk(value, f"{where}/{key}")

    for name, schema in schemas().items():
        walk(schema, name)
        for definition in schema.get("definitions", {}).values():
            assert "title" not in definition  # pydantic's English class names


def test_schema_command_writes_and_reports_changes(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "schemas-out"
    first = run("schema", "-o", str(out), "--data", str(example))
    assert first.exit_code == 0, first.output
    assert sorted(p.name for p in out.iterdir()) == sorted(schema_file(n) for n in FILES)
    assert "8 updated" in first.output
    again = run("schema", "-o", str(out), "--data", str(example))
    assert "are up to date: nothing to change" in again.output
    # Towns added to project.yaml become choices after `bulletin schema`.
    project = example / "project.yaml"
    project.write_text(project.read_text("utf-8").replace("  - 板芙镇", "  - 板芙镇\n  - 新镇"))
    run("schema", "-o", str(out), "--data", str(example))
    visits = json.loads((out / "visits.schema.json").read_text("utf-8"))
    assert "新镇" in visits["definitions"]["Visit"]["properties"]["town"]["enum"]


# ---------------------------------------------------------------- init and new


def _uncomment_entries(path: Path) -> str:
    """Do what the comments ask: drop '# ' from the indented, commented entries of a list
    (explanations start at the left margin)."""
    lines = []
    for line in path.read_text("utf-8").splitlines():
        if m := re.fullmatch(r"(\s+)# ?(.*)", line):
            line = m.group(1) + m.group(2) if m.group(2) else ""
        lines.append(line)
    return "\n".join(lines) + "\n"


def test_init_then_new_gives_a_month_that_checks(tmp_path: Path) -> None:
    folder = tmp_path / "centre"
    result = run("init", str(folder), "--name", "职工服务项目", "--first-issue", "2026-11")
    assert result.exit_code == 0, result.output
    project = load_project(folder)
    assert project.name == "职工服务项目"
    assert project.first_issue == "2026-11"
    assert (folder / "templates" / "bulletin.docx").read_bytes()[:2] == b"PK"
    assert "build/" in (folder / ".gitignore").read_text("utf-8")
    assert len(list((folder / "schemas").glob("*.schema.json"))) == len(FILES)
    assert _editor_errors(folder / "project.yaml", schemas(project)["project.schema.json"]) == []

    made = run("new", "2026-11", "--data", str(folder))
    assert made.exit_code == 0, made.output
    month = folder / "2026-11"
    assert sorted(p.name for p in month.iterdir()) == sorted(
        n for n in FILES if n != "project.yaml"
    )
    assert "第 01 期" in (month / "month.yaml").read_text("utf-8")
    # A new month checks as it is (empty), so a commit hook does not stop it...
    assert run("check", "--data", str(folder)).exit_code == 0
    # ...and with every commented example filled in, it still checks and builds.
    for path in month.iterdir():
        path.write_text(_uncomment_entries(path), "utf-8")
    data = load_month(project, folder, YearMonth(2026, 11))
    assert (len(data.visits), len(data.wishes), len(data.activities)) == (1, 1, 1)
    assert (len(data.consultations), len(data.plans), len(data.articles)) == (1, 1, 1)
    built = run("build", "2026-11", "-o", str(tmp_path / "b.docx"), "--data", str(folder))
    assert built.exit_code == 0, built.output
    generated = schemas(project)
    for path in month.iterdir():
        assert _editor_errors(path, generated[schema_file(path.name)]) == [], path


def test_new_lists_last_months_plan_and_copies_services(example: Path) -> None:
    result = run("new", "2020-03", "--data", str(example))
    assert result.exit_code == 0, result.output
    # 职工心理咨询服务 is carried out by the ongoing service 心理咨询 (service: in plans.yaml).
    assert "7 activities of 2020-02's plan" in result.output
    assert "4 ongoing services copied from 2020-02" in result.output
    events = (example / "2020-03" / "events.yaml").read_text("utf-8")
    feb = load_month(load_project(example), example, YearMonth(2020, 2))
    assert "职工心理咨询服务" not in events
    for item in (p for p in feb.plans if p.service is None):
        assert re.search(rf"#   name: \"?{re.escape(item.name)}", events) or (
            f"# - name: {item.name}" in events
        ), item.name
    assert "#     - date: 2020-03-06" in events  # a planned day is kept
    assert "#     - date: 2020-03-??    # 填写日期" in events  # a whole month asks for a day
    # A row without due has the row above's date, as in the bulletin's plan table.
    assert (
        "  #     - date: 2020-03-07\n  #       venue: 纬创资通(中山)有限公司\n"
        "  #     - date: 2020-03-07\n  #       venue: 欧普照明(中山)有限公司\n"
    ) in events
    march = load_month(load_project(example), example, YearMonth(2020, 3))
    assert [s.name for s in march.services] == [s.name for s in feb.services]
    assert march.activities == []
    # Filled in as the comments say, the planned activities check.
    path = example / "2020-03" / "events.yaml"
    text = _uncomment_entries(path).replace("2020-03-??", "2020-03-20")
    path.write_text(re.sub(r"participants:\s+# 总人次", "participants: 12", text), "utf-8")
    march = load_month(load_project(example), example, YearMonth(2020, 3))
    assert [a.name for a in march.activities] == [p.name for p in feb.plans if not p.service]
    counsel = (example / "2020-03" / "consultations.yaml").read_text("utf-8")
    for line in feb.consultations:
        assert f"# - counsellor: {line.counsellor}\n  #   channel: {line.channel}\n" in counsel


def test_new_and_build_give_a_month_the_same_issue_number(example: Path) -> None:
    """Regression: with issue: 2 set in 2020-04, new 2020-05 said 第 03 期, the build 第 04 期."""
    from bulletin.pipeline import prepare

    for month in ("2020-03", "2020-04"):
        assert run("new", month, "--data", str(example)).exit_code == 0
    (example / "2020-04" / "month.yaml").write_text("issue: 2\n", encoding="utf-8")
    assert prepare(example, YearMonth(2020, 4)).context.issue == "02"
    result = run("new", "2020-05", "--data", str(example))
    assert result.exit_code == 0, result.output
    text = (example / "2020-05" / "month.yaml").read_text("utf-8")
    assert "# 本期按 project.yaml 的 first_issue 推算为第 04 期。\n" in text
    assert "# issue: 4\n" in text
    assert prepare(example, YearMonth(2020, 5)).context.issue == "04"


def test_new_without_a_month_starts_the_next_one(example: Path) -> None:
    first = run("new", "--data", str(example))
    assert first.exit_code == 0, first.output
    assert first.output.startswith(f"created {example / '2020-03'}:")
    second = run("new", "--data", str(example))
    assert "2020-04" in second.output.splitlines()[0]


def test_new_refuses_an_existing_month(example: Path) -> None:
    before = {p: p.read_bytes() for p in (example / "2020-02").rglob("*") if p.is_file()}
    result = run("new", "2020-02", "--data", str(example))
    assert result.exit_code == 1
    assert "2020-02 already exists; nothing was written" in result.output
    assert {p: p.read_bytes() for p in (example / "2020-02").rglob("*") if p.is_file()} == before
    zh = run("--lang", "zh", "new", "2020-02", "--data", str(example))
    assert "已经存在，没有写入任何文件" in zh.output


def test_new_from_another_month_and_a_missing_one(example: Path) -> None:
    result = run("new", "2020-05", "--from", "2020-02", "--data", str(example))
    assert result.exit_code == 0, result.output
    assert "copied from 2020-02" in result.output
    assert "'s plan" not in result.output  # April has no plan to list
    assert "第 04 期" in (example / "2020-05" / "month.yaml").read_text("utf-8")
    early = run("new", "2019-12", "--data", str(example))
    assert early.exit_code == 2
    assert early.output.splitlines() == [
        "2019-12 is before the first issue (2020-02)",
        "  change first_issue in project.yaml if the bulletin started earlier",
    ]
    bad = run("new", "2020-13", "--data", str(example))
    assert bad.exit_code == 2
    assert "'2020-13' is not a month; write it as YYYY-MM, e.g. 2020-02" in bad.output
    missing = run("new", "2020-06", "--from", "2019-01", "--data", str(example))
    assert missing.exit_code == 2
    assert "no folder for month 2019-01" in missing.output
    assert not (example / "2020-06").exists()


def test_new_reports_a_broken_source_month_and_writes_nothing(example: Path) -> None:
    visits = example / "2020-02" / "visits.yaml"
    visits.write_text(visits.read_text("utf-8").replace("东凤镇", "东风镇", 1), "utf-8")
    result = run("new", "2020-03", "--data", str(example))
    assert result.exit_code == 1
    assert "'东风镇' is not a known town" in result.output
    assert not (example / "2020-03").exists()
    assert [p.name for p in example.iterdir() if p.name.startswith(".")] == []


def test_init_refuses_an_existing_project(example: Path) -> None:
    before = (example / "project.yaml").read_bytes()
    result = run("init", str(example))
    assert result.exit_code == 1
    assert "project.yaml already exists; nothing was written" in result.output
    assert (example / "project.yaml").read_bytes() == before
    empty = run("init", str(example.parent / "x"), "--name", " ")
    assert empty.exit_code == 2
    assert "--name must not be empty" in empty.output
    month = run("init", str(example.parent / "x"), "--first-issue", "二月")
    assert month.exit_code == 2
    assert "'二月' is not a month; write it as YYYY-MM" in month.output
    assert not (example.parent / "x").exists()


def test_schema_into_a_file_is_refused(example: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("not a folder", "utf-8")
    result = run("schema", "-o", str(blocker), "--data", str(example))
    assert result.exit_code == 1
    assert f"cannot write {blocker / 'project.schema.json'}" in result.output
    assert blocker.read_text("utf-8") == "not a folder"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1))
@example("A:*")  # plain YAML, but read as a colon without its space: written quoted
@example("读书会:")
def test_values_copied_into_new_files_read_back_unchanged(value: str) -> None:
    """Whatever a plan or service is called, `bulletin new` writes it so that it reads back
    as the same text, in block and in list context."""
    text = f"a: {yaml_scalar(value)}\nb:\n  - {yaml_scalar(value)}\n"
    try:
        parsed = yamlfile.parse(Path("x.yaml"), text).value
    except yamlfile.YamlProblems as exc:  # refused characters are refused, not changed
        assert all("yaml_syntax" not in str(p.message.key) for p in exc.problems), text
        return
    assert parsed == {"a": value, "b": [value]}


def test_empty_values_read_as_nothing(small) -> None:
    """`key:` and `~` are null with the C loader too (its plain style is '' not None)."""
    data = small(
        {
            "2020-02": {
                "wishes.yaml": """\
                wishes:
                  - {name: 梁女士, situation: 单亲, wish: 书包, fulfilled: ~, donor: null}
                """,
                "visits.yaml": "visits:\n",
            }
        }
    )
    month = load_month(load_project(data), data, YearMonth(2020, 2))
    assert month.wishes[0].fulfilled is None and month.wishes[0].donor is None
    assert month.visits == []


# ---------------------------------------------------------------- languages


@pytest.mark.parametrize(
    ("args", "env", "expected", "absent"),
    [
        (["--lang", "zh", "build", "--help"], {}, "月份，例如 2020-02", "The month"),
        (["--lang", "en", "build", "--help"], {"LANG": "zh_CN.UTF-8"}, "The month", "月份"),
        (["build", "--help"], {"LANG": "zh_CN.UTF-8"}, "显示帮助后退出", "Show this"),
        (["--help"], {"LANGUAGE": "zh_CN"}, "新建月份", "Start a month"),
        (["--help"], {"LC_ALL": "C"}, "Start a month", "新建月份"),
        (["build", "--help", "--lang", "zh"], {}, "月份，例如 2020-02", "The month"),
        (["build", "--lang=zh", "--help"], {}, "月份，例如 2020-02", "The month"),
    ],
)
def test_help_follows_lang_and_locale(args, env, expected, absent) -> None:
    result = run(*args, env=env)
    assert result.exit_code == 0, result.output
    assert expected in result.output
    assert absent not in result.output


# One broken visits.yaml entry per pydantic error kind, and what each language says of it.
BROKEN = [
    (
        "{date: 2020-02-03, name: 梁女士, town: 神湾镇, mode: 电访, twon: 1}",
        "visits[0].twon: 'twon' is not a known field (did you mean town?)",
        "visits[0].twon（第 1 条）: “twon”不是可用的字段（是不是想写 town？）",
    ),
    (
        "{date: 2020-02-03, name: 梁女士, town: 神湾镇}",
        "visits[0].mode: this field is required",
        "visits[0].mode（第 1 条）: 缺少此项",
    ),
    (
        "{date: 2020-02-03, name: 梁女士, town: 神湾镇, mode: 上门}",
        "visits[0].mode: '上门' is not one of: 电访 / 走访",
        "visits[0].mode（第 1 条）: “上门”不是可选值之一：电访 / 走访",
    ),
    (
        "{date: 三月二日, name: 梁女士, town: 神湾镇, mode: 电访}",
        "visits[0].date: '三月二日' is not a date (write dates as 2020-02-25; "
        "2020/2/25, 2020年2月25日 and 2月25日 also work)",
        "visits[0].date（第 1 条）: “三月二日”不是日期（日期请写成 2020-02-25，也可以写 2020/2/25、2020年2月25日 或 2月25日）",
    ),
    (
        "{date: 2020-02-03, name: '', town: 神湾镇, mode: 电访}",
        "visits[0].name: must not be empty",
        "visits[0].name（第 1 条）: 不能为空",
    ),
    (
        "{date: 2020-02-03, name: [梁女士], town: 神湾镇, mode: 电访}",
        "visits[0].name: must be text, not ['梁女士']",
        "visits[0].name（第 1 条）: 应是文字，而不是 ['梁女士']",
    ),
    (
        "梁女士",
        "visits[0]: must be a set of 'key: value' lines",
        "visits[0]（第 1 条）: 应由“键: 值”组成",
    ),
]


# Plain ids: a test id with quotes or brackets in it cannot be named on pytest's command line
# in a process that has run pytest before, as mutmut does.
BROKEN_IDS = [
    "unknown field",
    "required",
    "not one of",
    "not a date",
    "empty",
    "not text",
    "not a mapping",
]


@pytest.mark.parametrize(("entry", "en", "zh"), BROKEN, ids=BROKEN_IDS)
def test_same_broken_file_in_both_languages(small, entry: str, en: str, zh: str) -> None:
    data = small({"2020-02": {"visits.yaml": f"visits:\n  - {entry}\n"}})
    english = run("check", "--data", str(data), env={"LANG": "en_GB.UTF-8"})
    chinese = run("check", "--data", str(data), env={"LANG": "zh_CN.UTF-8"})
    assert english.exit_code == chinese.exit_code == 1
    assert english.output.splitlines()[0].endswith(f"visits.yaml:2: {en}"), english.output
    assert chinese.output.splitlines()[0].endswith(f"visits.yaml:2: {zh}"), chinese.output
    assert english.output.splitlines()[-1] == "1 error in 1 file"
    assert chinese.output.splitlines()[-1] == "1 个文件中共有 1 处错误"


def test_lang_may_follow_the_command(small) -> None:
    data = small({"2020-02": {"visits.yaml": "visits: 1\n"}})
    result = run("check", "2020-02", "--data", str(data), "--lang", "zh")
    assert result.exit_code == 1
    assert "visits: 应是列表（每项以“- ”开头）" in result.output


def test_a_first_issue_that_is_no_month_is_said_as_such(small) -> None:
    project = PROJECT_YAML.replace("first_issue: 2020-02", "first_issue: 2020-13")
    data = small({}, project)
    en = run("check", "--data", str(data))
    zh = run("--lang", "zh", "check", "--data", str(data))
    assert (
        "project.yaml:4: first_issue: '2020-13' is not a month (write a month as 2020-03; "
        "2020/3 and 2020年3月 also work)" in en.output
    )
    assert (
        "project.yaml:4: first_issue: “2020-13”不是月份（月份请写成 2020-03，也可以写 2020/3 或 "
        "2020年3月）" in zh.output
    )


def test_a_first_issue_is_read_in_every_spelling_of_a_month(small) -> None:
    from bulletin.loader import load_project

    project = PROJECT_YAML.replace("first_issue: 2020-02", "first_issue: 2020年2月")
    assert load_project(small({}, project)).first_month == YearMonth(2020, 2)


def test_any_other_error_kind_says_what_the_field_takes() -> None:
    """An error kind no message is written for (none that the models raise today) says which
    value is wrong and what the field takes, from the field's description."""
    from bulletin.models import Project
    from bulletin.validation import translate

    error = {"type": "a_kind_not_written_for", "loc": ("first_issue",), "input": "x", "msg": "?"}
    _loc, message, hint = translate(error, Project, None)
    assert message.text("en") + " (" + hint.text("en") + ")" == (
        "'x' is not a valid value here (what goes here: 第 01 期所在的月份，如 2020-02；其后每月期号加一)"
    )
    assert message.text("zh").startswith("“x”在这里不是有效的值")


@pytest.mark.parametrize(
    ("args", "en", "zh"),
    [
        (["init"], "Missing argument", "错误：缺少参数 文件夹。"),
        (["biuld"], "No such command 'biuld'", "错误：没有“biuld”这个命令（是不是想写 build？）。"),
        (["build", "2020-02", "--pfd"], "No such option: --pfd", "错误：没有 --pfd 这个选项"),
        (["build", "-o"], "requires an argument", "错误：选项 -o 后面需要写一个值。"),
        (["stats", "--year", "abc"], "--year", "错误：--year 的值不正确：应是整数。"),
        (["stats", "--format", "docx"], "docx", "错误：--format 的值不正确：“docx”不是可选值之一"),
    ],
)
def test_usage_errors_in_both_languages(example: Path, args, en: str, zh: str) -> None:
    english = run(*args, cwd=example.parent)
    chinese = run(*args, cwd=example.parent, env={"LANG": "zh_CN.UTF-8"})
    assert english.exit_code == chinese.exit_code == 2
    assert en in english.output
    assert zh in chinese.output, chinese.output
    assert "查看帮助：" in chinese.output and "--help" in chinese.output
    assert not (example.parent / "build").exists()


def test_check_takes_the_files_a_commit_touches(example: Path) -> None:
    """As the pre-commit hook calls it: only the months of the files given are checked."""
    assert run("new", "2020-03", "--data", str(example)).exit_code == 0
    march = example / "2020-03" / "visits.yaml"
    march.write_text("visits:\n  - {date: 2020-03-02, name: 梁女士, town: 东风镇, mode: 电访}\n")
    feb = run("check", str(example / "2020-02" / "visits.yaml"), "--data", str(example))
    assert feb.exit_code == 0 and feb.output == "2020-02: no problems found\n"
    both = run("check", str(example / "2020-02"), str(march), "--data", str(example))
    assert both.exit_code == 1
    assert "2020-03/visits.yaml:2: visits[0].town: '东风镇' is not a known town" in both.output
    everything = run("check", str(example / "project.yaml"), "--data", str(example))
    assert everything.exit_code == 1 and "东风镇" in everything.output
    schema = run("check", str(example / "schemas" / "visits.schema.json"), "--data", str(example))
    assert schema.output == "none of the files is bulletin data; nothing to check\n"
    missing = run("check", "nosuch.yaml", "--data", str(example))
    assert missing.exit_code == 2
    assert (
        "'nosuch.yaml' is neither a month (such as 2020-02) nor a file or folder" in missing.output
    )


def test_pre_commit_hook_definition() -> None:
    hooks = yaml.safe_load((Path(__file__).parents[1] / ".pre-commit-hooks.yaml").read_text())
    (hook,) = hooks
    assert hook["id"] == "bulletin-check" and hook["entry"] == "bulletin check"
    assert hook["language"] == "python" and hook["pass_filenames"] is True
    assert hook["require_serial"] is True
    files = re.compile(hook["files"])
    for path in ("data/project.yaml", "data/2020-03/visits.yaml", "2020-03/events.yml"):
        assert files.search(path), path
    for path in ("README.md", ".pre-commit-config.yaml", "data/schemas/visits.schema.json"):
        assert not files.search(path), path


def test_shell_completion_offers_commands_options_and_months(example: Path) -> None:
    exe = shutil.which("bulletin")
    if exe is None:
        pytest.skip("the console script is not installed")
    run("new", "2020-03", "--data", str(example))

    def complete(words: str) -> list[str]:
        env = {
            **os.environ,
            "_BULLETIN_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split(" ")) - 1),
        }
        out = subprocess.run([exe], env=env, cwd=example.parent, capture_output=True, text=True)
        return out.stdout.split()

    assert complete("bulletin b") == ["build"]
    assert complete("bulletin build --p") == ["--pdf"]
    assert complete("bulletin build ") == ["2020-03", "2020-02"]
    assert complete("bulletin stats 2020-02") == ["2020-02"]
