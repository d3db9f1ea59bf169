"""The command line in two languages: help texts and the framework's own usage errors follow
`--lang` or the locale, like the tool's messages (see i18n).

Help is written in English where commands are declared, with its Chinese registered beside it
through `h()`; the command tree is switched to the chosen language just before parsing.
"""

from __future__ import annotations

import re

import typer
from typer.core import TyperGroup

from bulletin.i18n import detect_language

# English help text -> its Chinese, filled by h() as the commands are declared.
ZH_HELP: dict[str, str] = {}


def h(en: str, zh: str) -> str:
    """Register the Chinese of an English help text; returns the English."""
    ZH_HELP[en] = zh
    return en


def hoist_lang(args: list[str]) -> tuple[str | None, list[str]]:
    """Find `--lang X` anywhere on the command line and move it to the front, where the
    group's option is parsed: `bulletin build 2020-02 --lang zh` works like
    `bulletin --lang zh build 2020-02`. Returns the language given and the new arguments."""
    lang, found, rest = None, [], []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        if arg == "--lang" and i + 1 < len(args):
            lang, found = args[i + 1], [arg, args[i + 1]]
            i += 2
            continue
        if arg.startswith("--lang="):
            lang, found = arg.split("=", 1)[1], [arg]
            i += 1
            continue
        rest.append(arg)
        i += 1
    return lang, found + rest


def _localise(command, ctx, lang: str) -> None:
    """Set the help texts of a command tree to `lang` (idempotent)."""
    items = [command, *getattr(command, "commands", {}).values()]
    for item in items:
        help_option = item.get_help_option(ctx)
        for obj in (item, *item.params, *([help_option] if help_option else [])):
            if not hasattr(obj, "_help_en"):
                obj._help_en = obj.help
            en = obj._help_en
            obj.help = ZH_HELP.get(en, en) if (lang == "zh" and en) else en


# typer does not re-export click's UsageError; it is BadParameter's base in every version.
_ClickUsageError = typer.BadParameter.__bases__[0]

# The framework's usage errors, in Chinese. Unknown forms stay as they are.
_USAGE_ZH = [
    (re.compile(r"Missing argument '(.+)'\."), "缺少参数 {0}。"),
    (re.compile(r"Missing option '(.+)'\."), "缺少选项 {0}。"),
    (
        re.compile(r"No such command '(.+)'\. Did you mean '(.+)'\?"),
        "没有“{0}”这个命令（是不是想写 {1}？）。",
    ),
    (re.compile(r"No such command '(.+)'\."), "没有“{0}”这个命令。"),
    (
        re.compile(r"No such option: (\S+) \(Possible options: (.+)\)"),
        "没有 {0} 这个选项（可能是 {1}）。",
    ),
    (
        re.compile(r"No such option: (\S+) Did you mean (\S+)\?"),
        "没有 {0} 这个选项（是不是想写 {1}？）。",
    ),
    (re.compile(r"No such option: (\S+)"), "没有 {0} 这个选项。"),
    (re.compile(r"Got unexpected extra arguments?(?:\(s\))? \((.+)\)"), "多余的参数：{0}。"),
    (re.compile(r"Option '(.+)' requires an argument\."), "选项 {0} 后面需要写一个值。"),
    (re.compile(r"Invalid value for '?([^':]+)'?: (.+)", re.DOTALL), "{0} 的值不正确：{1}"),
    (re.compile(r"Value error, (.+)", re.DOTALL), "{0}"),
    (re.compile(r"'(.+)' is not one of (.+)\."), "“{0}”不是可选值之一：{1}。"),
    (re.compile(r"Input should be a valid integer.*"), "应是整数。"),
    (re.compile(r"'(.+)' is not a valid integer(?: range)?\."), "“{0}”不是整数。"),
]


def _usage_zh(message: str) -> str:
    for pattern, zh in _USAGE_ZH:
        if m := pattern.fullmatch(message.strip()):
            return zh.format(*(_usage_zh(g) for g in m.groups()))
    return message


class _ChineseUsageError(_ClickUsageError):
    """A usage error shown in Chinese: usage line, where help is, what is wrong."""

    def __init__(self, original) -> None:
        super().__init__(original.format_message(), original.ctx)

    def show(self, file=None) -> None:
        if self.ctx is not None:
            usage = self.ctx.get_usage().replace("Usage: ", "用法：", 1)
            typer.echo(f"{usage}\n查看帮助：{self.ctx.command_path} --help", err=True)
        else:
            typer.echo("查看帮助：bulletin --help", err=True)
        typer.echo(f"错误：{_usage_zh(self.message)}", err=True)


def _in_language(lang: str, run, *args):
    """Run a parsing step; show the framework's usage errors in `lang`."""
    try:
        return run(*args)
    except _ClickUsageError as exc:
        if lang == "zh" and not isinstance(exc, _ChineseUsageError):
            raise _ChineseUsageError(exc) from None
        raise


# Commands in the order of a month's work, for `bulletin --help`.
_ORDER = ("init", "new", "check", "build", "stats", "progress", "ledger", "report", "schema")


class LocalisedGroup(TyperGroup):
    """The bulletin command group: commands in a month's order, help and usage errors in
    the user's language."""

    def list_commands(self, ctx):
        names = super().list_commands(ctx)
        return sorted(names, key=lambda n: _ORDER.index(n) if n in _ORDER else len(_ORDER))

    def parse_args(self, ctx, args):
        lang, args = hoist_lang(args)
        self._lang = lang if lang in ("zh", "en") else detect_language()
        _localise(self, ctx, self._lang)
        return _in_language(self._lang, super().parse_args, ctx, args)

    def invoke(self, ctx):
        return _in_language(getattr(self, "_lang", "en"), super().invoke, ctx)


h("Show this message and exit.", "显示帮助后退出。")
h("Install completion for the current shell.", "为当前 shell 安装命令补全。")
h(
    "Show completion for the current shell, to copy it or customize the installation.",
    "显示当前 shell 的补全脚本，以便复制或自定义安装。",
)
