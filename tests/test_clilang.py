"""The command line in two languages, and the small rules behind the words it prints."""

from __future__ import annotations

import inspect
import re
from datetime import date
from pathlib import Path

import pytest
import typer.core
import typer.main
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.clilang import FRAMEWORK_TEXTS, METAVARS, ZH_HELP, hoist_lang, takes_value
from bulletin.context import merge_flags
from bulletin.i18n import choose_language, detect_language
from bulletin.models import YearMonth

REPO = Path(__file__).resolve().parents[1]
GROUP = typer.main.get_command(app)
# typer's own options: documented by typer, not by us.
FRAMEWORK_OPTIONS = {"--help"}


def run(*args: str, env: dict[str, str] | None = None):
    runner = CliRunner()
    env = {"LANG": "C", "LANGUAGE": "", **(env or {})}
    return runner.invoke(app, list(args), env=env, prog_name="bulletin")


def _commands():
    return sorted(GROUP.commands.items())


# ---------------------------------------------------------------- docs


@pytest.mark.parametrize(("name", "command"), _commands())
def test_every_command_and_option_is_in_the_readme_and_has_chinese_help(name, command) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"bulletin {name}" in readme
    assert command.help and command.help in ZH_HELP, name
    for param in command.params:
        assert param.help and param.help in ZH_HELP, (name, param.name)
        if param.param_type_name == "option":
            assert any(opt in readme for opt in param.opts), (name, param.opts)


def test_every_group_option_is_in_the_readme_and_has_chinese_help() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for param in GROUP.params:
        assert param.help in ZH_HELP, param.name
        if set(param.opts) - FRAMEWORK_OPTIONS:
            assert any(opt in readme for opt in param.opts), param.opts


@pytest.mark.parametrize(("name", "command"), _commands())
def test_every_value_has_a_word_for_it(name, command) -> None:
    """No `<str>` or `<path>`: each value a parameter takes is named in both languages."""
    for param in command.params:
        if takes_value(param):
            assert f"{name}.{param.name}" in METAVARS or param.name in METAVARS, param.name


# ---------------------------------------------------------------- help and usage in Chinese

# ASCII words a Chinese help may show: the program's and files' names, not the framework's.
_OWN_WORDS = {"bulletin", "zh", "en", "help"}


@pytest.mark.parametrize("name", ["", *GROUP.commands])
def test_chinese_help_has_no_english_word_of_the_framework(name: str) -> None:
    args = [name, "--help"] if name else ["--help"]
    result = run(*args, env={"LANG": "zh_CN.UTF-8"})
    assert result.exit_code == 0, result.output
    allowed = set(_OWN_WORDS) | set(GROUP.commands)
    for text in ZH_HELP.values():
        allowed |= set(re.findall(r"[A-Za-z][A-Za-z_]+", text))
    for command in (GROUP, *GROUP.commands.values()):
        for param in command.params:
            for opt in [*param.opts, param.envvar or ""]:
                allowed |= set(re.findall(r"[A-Za-z][A-Za-z_]+", opt))
            desc = getattr(param, "type_descriptor", None)
            if desc is not None and desc.is_choice:
                allowed |= {str(getattr(c, "value", c)) for c in desc.choices or ()}
    words = set(re.findall(r"[A-Za-z][A-Za-z_]+", result.output))
    assert words - allowed == set(), result.output
    assert result.output.startswith(f"用法：bulletin {name}".rstrip() + " [选项]")


def test_help_in_both_languages() -> None:
    lines = run("init", "--help").output.splitlines()
    assert lines[0] == "Usage: bulletin init [OPTIONS] {FOLDER}"
    assert "Arguments:" in lines and "Options:" in lines
    assert "  FOLDER  The new data folder.  [required]" in lines
    zh = run("init", "--help", env={"LANG": "zh_CN.UTF-8"}).output.splitlines()
    assert zh[0] == "用法：bulletin init [选项] {文件夹}"
    assert "参数:" in zh and "选项:" in zh
    assert "  文件夹  新的数据文件夹。  [必填]" in zh


@pytest.mark.parametrize(
    ("args", "en", "zh"),
    [
        (
            ["build", "2020-02", "extra"],
            "Error: Got unexpected extra arguments (extra)",
            "错误：多余的参数：extra。",
        ),
        (
            ["--lang", "fr", "check"],
            "Error: --lang must be zh or en, not 'fr'",
            "错误：--lang 只能是 zh 或 en，而不是“fr”",
        ),
        (
            ["stats", "--year", "abc"],
            "Error: Invalid value for '--year': must be a whole number.",
            None,
        ),
        (["init"], "Error: Missing argument 'FOLDER'.", "错误：缺少参数 文件夹。"),
    ],
)
def test_usage_errors_from_the_exceptions_fields(args, en: str, zh: str | None) -> None:
    english = run(*args)
    assert english.exit_code == 2
    assert english.output.splitlines()[-1] == en
    assert english.output.splitlines()[1] == f"Try 'bulletin {args[0]} --help' for help." or (
        args[0] == "--lang"
    )
    if zh is not None:
        chinese = run(*args, env={"LANG": "zh_CN.UTF-8"})
        assert chinese.exit_code == 2
        assert chinese.output.splitlines()[-1] == zh


def test_framework_texts_are_the_ones_typer_says() -> None:
    """The catalogue translates typer's own words by their English: a new typer that
    changed them would leave them English, so this names the ones to look at."""
    source = inspect.getsource(typer.core)
    for text in FRAMEWORK_TEXTS:
        assert f'_("{text}")' in source, text


def test_the_framework_language_is_restored_after_a_run(monkeypatch) -> None:
    import gettext
    import os

    monkeypatch.setenv("LANGUAGE", "fr")
    before = gettext.textdomain()
    run("--lang", "zh", "--help")
    assert os.environ["LANGUAGE"] == "fr"
    assert gettext.textdomain() == before


# ---------------------------------------------------------------- language


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "zh_TW.UTF-8"}, "zh"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "zh"),
        ({"LANGUAGE": "fr:zh_CN:en", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LANGUAGE": "", "LANG": "zh_CN.GB18030"}, "zh"),
        ({"LANGUAGE": "C", "LANG": "zh_CN.UTF-8"}, "zh"),
    ],
)
def test_language_from_the_locale(env: dict[str, str], expected: str) -> None:
    assert detect_language(env) == expected


def test_lang_option_wins_over_the_locale_and_a_bad_one_falls_back() -> None:
    assert choose_language("en", {"LANG": "zh_CN.UTF-8"}) == "en"
    assert choose_language("zh", {"LANG": "C"}) == "zh"
    assert choose_language("fr", {"LANG": "zh_CN.UTF-8"}) == "zh"
    assert choose_language(None, {"LANG": "C"}) == "en"


@pytest.mark.parametrize(
    ("args", "lang", "rest"),
    [
        (["build", "2020-02", "--lang", "zh"], "zh", ["--lang", "zh", "build", "2020-02"]),
        (["--lang=en", "check"], "en", ["--lang=en", "check"]),
        (["check", "--", "--lang", "zh"], None, ["check", "--", "--lang", "zh"]),
        (["check", "--lang"], None, ["check", "--lang"]),
    ],
)
def test_hoist_lang(args, lang, rest) -> None:
    assert hoist_lang(args) == (lang, rest)


# ---------------------------------------------------------------- small rules


@pytest.mark.parametrize(
    ("values", "groups", "flags"),
    [
        (["a", "a", "b"], [0, 0, 0], ["restart", "continue", ""]),
        (["a", "a", "a"], [0, 0, 0], ["restart", "continue", "continue"]),
        (["a", "a"], [0, 1], ["", ""]),  # equal values in different groups stay apart
        (["", ""], [0, 0], ["", ""]),  # empty cells never merge
        (["a", "b", "b", "b", "c"], [0, 0, 0, 1, 1], ["", "restart", "continue", "", ""]),
        ([], [], []),
    ],
)
def test_merge_flags(values, groups, flags) -> None:
    assert merge_flags(values, groups) == flags


def test_year_month() -> None:
    assert YearMonth.parse("2020-2") == YearMonth(2020, 2)
    assert YearMonth.parse(" 2020-02 ") == YearMonth(2020, 2)
    assert str(YearMonth(2020, 2)) == "2020-02"
    assert YearMonth(2020, 12).next() == YearMonth(2021, 1)
    assert YearMonth(2021, 1).prev() == YearMonth(2020, 12)
    assert YearMonth(2020, 2).index() + 11 == YearMonth(2021, 1).index()
    assert YearMonth(2020, 2).contains(date(2020, 2, 29))
    assert not YearMonth(2020, 2).contains(date(2020, 3, 1))
    assert YearMonth(2020, 2).first_day() == date(2020, 2, 1)
    assert sorted([YearMonth(2021, 1), YearMonth(2020, 12)])[0] == YearMonth(2020, 12)
    assert YearMonth.of_folder("2020-02") == YearMonth(2020, 2)
    for name in ("2020-2", " 2020-02", "２０２０-０２", "2020-13", "2020_02"):
        assert YearMonth.of_folder(name) is None, name
    for bad in ("2020-13", "2020-00", "2020/02", "20-02", "2020-02-01", ""):
        with pytest.raises(ValueError):
            YearMonth.parse(bad)
