"""The command line in two languages: help texts, the framework's own words and its usage
errors follow `--lang` or the locale, like the tool's messages (see i18n).

Help texts live in the catalogues beside the messages; a command is declared with the English
one and `h()` registers its Chinese; the command tree is switched to the chosen language just before parsing. The
framework's texts are reached through its hooks, never by reading its output: typer's own
words (Options, Arguments, Commands, required, ...) go through gettext's default domain, which
is pointed at our catalogue for the run; the usage line is written with our prefix
(`format_usage`); a usage error is said from the exception's fields (which parameter, which
option) by `usage_message`.
"""

from __future__ import annotations

import contextlib
import gettext
import os
import sys
from collections.abc import Iterator
from difflib import get_close_matches
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from bulletin.errors import Msg
from bulletin.i18n import DOMAIN, LOCALE_DIR, LOCALES, choose_language, t

# English help text -> its Chinese, filled by h() as the commands are declared.
ZH_HELP: dict[str, str] = {}


def h(key: str) -> str:
    """A help text from the catalogues: registers its Chinese, returns its English (what the
    command is declared with; the tree is switched to the chosen language before parsing)."""
    en = t(key, "en")
    ZH_HELP[en] = t(key, "zh")
    return en


# The word shown for the value a parameter takes (its metavar), by parameter name, or by
# "command.parameter" where a command's parameter means something else.
METAVARS: dict[str, tuple[str, str]] = {
    "month": ("MONTH", "月份"),
    "months": ("MONTH", "月份"),
    "first": ("MONTH", "月份"),
    "last": ("MONTH", "月份"),
    "plan": ("MONTH", "月份"),
    "first_issue": ("MONTH", "月份"),
    "year": ("YEAR", "年份"),
    "folder": ("FOLDER", "文件夹"),
    "data": ("FOLDER", "文件夹"),
    "templates": ("FOLDER", "文件夹"),
    "output": ("FILE", "文件"),
    "new.output": ("FOLDER", "文件夹"),
    "new.source": ("MONTH", "月份"),
    "schema.output": ("FOLDER", "文件夹"),
    "chart": ("FILE", "文件"),
    "soffice": ("PROGRAM", "程序"),
    "period": ("NAME", "名称"),
    "as_of": ("MONTH", "月份"),
    "name": ("NAME", "名称"),
    "organisation": ("NAME", "名称"),
    "union": ("NAME", "名称"),
    "lang": ("zh|en", "zh|en"),
    "explain": ("FIGURE", "统计项"),
    "port": ("PORT", "端口"),
    "rows": ("N", "行数"),
}

# typer's own texts that our catalogue translates (their msgid is typer's English).
FRAMEWORK_TEXTS = (
    "Arguments",
    "Options",
    "Commands",
    "required",
    "env var: {var}",
    "default: {default}",
    "Missing command.",
)

# Where the chosen language is kept on the command-line context (shared by its children).
LANG_KEY = "bulletin.lang"


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


def language_of(ctx: Any) -> str:
    """The language chosen for this run."""
    return ctx.meta.get(LANG_KEY, "en") if ctx is not None else "en"


@contextlib.contextmanager
def framework_language(lang: str) -> Iterator[None]:
    """Point gettext's default domain, through which typer says its own words, at our
    catalogue in `lang` for the run. gettext takes the language from the environment
    (LANGUAGE first), so that is set for the run and restored after it."""
    saved_env, saved_domain = os.environ.get("LANGUAGE"), gettext.textdomain()
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = LOCALES[lang]
    try:
        yield
    finally:
        gettext.textdomain(saved_domain)
        if saved_env is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = saved_env


def _localise(command, ctx, lang: str) -> None:
    """Set the help texts and value words of a command tree to `lang` (idempotent)."""
    zh = lang == "zh"
    items = [command, *getattr(command, "commands", {}).values()]
    for item in items:
        help_option = item.get_help_option(ctx)
        for obj in (item, *item.params, *([help_option] if help_option else [])):
            if not hasattr(obj, "_help_en"):
                obj._help_en = obj.help
            en = obj._help_en
            obj.help = ZH_HELP.get(en, en) if (zh and en) else en
        for param in item.params:
            words = METAVARS.get(f"{item.name}.{param.name}") or METAVARS.get(param.name or "")
            if words and takes_value(param):
                param.metavar = words[zh]
        item.options_metavar = t("cli_options_metavar", lang)
        if hasattr(item, "subcommand_metavar"):
            item.subcommand_metavar = t("cli_command_metavar", lang)


def takes_value(param: Any) -> bool:
    """Whether a parameter takes a value that its metavar names (not a flag, not a choice)."""
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return False
    return not param.type_descriptor.is_choice


# typer does not re-export click's UsageError; it is BadParameter's base in every version.
_ClickUsageError = typer.BadParameter.__bases__[0]


class LocalisedUsageError(_ClickUsageError):
    """A usage error said in the user's language: usage line, where help is, what is wrong."""

    def __init__(self, message: Msg, ctx: Any, lang: str) -> None:
        super().__init__(message.key, ctx)
        self.msg = message
        self.lang = lang

    def format_message(self) -> str:
        return self.msg.text(self.lang)

    def show(self, file: Any = None) -> None:
        path = self.ctx.command_path if self.ctx is not None else "bulletin"
        lines = [self.ctx.get_usage()] if self.ctx is not None else []
        lines += [t("cli_try_help", self.lang, command=path), ""]
        lines.append(t("cli_error", self.lang, message=self.format_message()))
        typer.echo("\n".join(lines), err=True)


def _param_name(param: Any) -> str:
    """How a usage error names a parameter: an argument by its word, an option by its name."""
    if param is None:
        return ""
    if param.param_type_name == "argument":
        return param.metavar or param.name
    return " / ".join(param.opts)


def _value_problem(exc: Any) -> Msg:
    """What is wrong with a value the framework could not convert, from pydantic's error."""
    from pydantic import ValidationError

    from bulletin.validation import BUILTIN_KINDS

    param, cause = exc.param, exc.__cause__
    error = cause.errors()[0] if isinstance(cause, ValidationError) and cause.errors() else None
    value = error.get("input") if error else None
    desc = getattr(param, "type_descriptor", None)
    if desc is not None and desc.is_choice:
        choices = [getattr(c, "value", c) for c in desc.choices or ()]
        return Msg("choice", {"value": value, "choices": " / ".join(map(str, choices))})
    if error is not None and error["type"] in ("int_parsing", "int_from_float", "int_type"):
        return Msg("cli_whole_number")
    if error is not None and error["type"] in BUILTIN_KINDS:
        return Msg(BUILTIN_KINDS[error["type"]], {"value": value, "written": repr(value)})
    return Msg("cli_text", {"text": exc.message})


def usage_message(exc: Any) -> Msg:
    """Say a usage error of the framework in our words, from the exception's fields."""
    from typer._click import exceptions as click_errors

    if isinstance(exc, LocalisedUsageError):
        return exc.msg
    if isinstance(exc, click_errors.MissingParameter):
        kind = exc.param.param_type_name if exc.param is not None else exc.param_type
        key = "cli_missing_argument" if kind == "argument" else "cli_missing_option"
        return Msg(key, {"name": _param_name(exc.param) or exc.param_hint})
    if isinstance(exc, click_errors.BadParameter):
        name = _param_name(exc.param) or str(exc.param_hint or "")
        return Msg("cli_bad_value", {"name": name, "problem": _value_problem(exc)})
    if isinstance(exc, click_errors.NoSuchOption):
        if exc.possibilities:
            value = " / ".join(sorted(exc.possibilities))
            return Msg("cli_no_such_option_suggest", {"name": exc.option_name, "value": value})
        return Msg("cli_no_such_option", {"name": exc.option_name})
    if isinstance(exc, click_errors.BadOptionUsage):
        command = exc.ctx.command if exc.ctx is not None else None
        params = command.params if command is not None else []
        param = next((p for p in params if exc.option_name in p.opts), None)
        key = "cli_takes_no_value" if getattr(param, "is_flag", False) else "cli_needs_value"
        return Msg(key, {"name": exc.option_name})
    # Texts that typer says through gettext (already in the user's language) and our own.
    return Msg("cli_text", {"text": exc.format_message()})


def _in_language(lang: str, run, *args):
    """Run a parsing step; show the framework's usage errors in `lang`."""
    try:
        return run(*args)
    except _ClickUsageError as exc:
        if isinstance(exc, LocalisedUsageError) or type(exc).__name__ == "NoArgsIsHelpError":
            raise
        raise LocalisedUsageError(usage_message(exc), exc.ctx, lang) from None


class _Localised:
    """What the bulletin's commands and group say in the user's language."""

    def format_usage(self, ctx, formatter) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        prefix = t("cli_usage", language_of(ctx))
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=prefix)

    def format_options(self, ctx, formatter) -> None:
        """Arguments under their word (MONTH, 月份) rather than typer's type (<str>)."""
        arguments, options = [], []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                arguments.append((_param_name(param), record[1]))
            else:
                options.append(record)
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(gettext.gettext(title)):
                    formatter.write_dl(rows)


class LocalisedCommand(_Localised, TyperCommand):
    """A bulletin command: help and usage errors in the user's language."""

    def parse_args(self, ctx, args):
        # Extra arguments are left for us to report instead of the framework's English.
        allowed = ctx.allow_extra_args
        ctx.allow_extra_args = True
        try:
            rest = super().parse_args(ctx, args)
        finally:
            ctx.allow_extra_args = allowed
        if rest and not allowed and not ctx.resilient_parsing:
            message = Msg("cli_extra_args", {"args": " ".join(rest)})
            raise LocalisedUsageError(message, ctx, language_of(ctx))
        return rest


# Commands in the order of a month's work, for `bulletin --help`.
_ORDER = ("init", "new", "check", "build", "stats", "schema")


class LocalisedGroup(_Localised, TyperGroup):
    """The bulletin command group: commands in a month's order, help and usage errors in
    the user's language."""

    def format_options(self, ctx, formatter) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)

    def list_commands(self, ctx):
        names = super().list_commands(ctx)
        return sorted(names, key=lambda n: _ORDER.index(n) if n in _ORDER else len(_ORDER))

    def main(self, args=None, *rest, **extra):
        given, args = hoist_lang(list(sys.argv[1:] if args is None else args))
        self._given_lang = given
        self._lang = choose_language(given)
        with framework_language(self._lang):
            return super().main(args, *rest, **extra)

    def parse_args(self, ctx, args):
        lang = getattr(self, "_lang", None) or choose_language(None)
        ctx.meta[LANG_KEY] = lang
        _localise(self, ctx, lang)
        given = getattr(self, "_given_lang", None)
        if given is not None and given not in LOCALES:
            raise LocalisedUsageError(Msg("bad_lang", {"value": given}), ctx, lang)
        return _in_language(lang, super().parse_args, ctx, args)

    def resolve_command(self, ctx, args):
        name = args[0] if args else ""
        unknown = name and not name.startswith("-") and self.get_command(ctx, name) is None
        if unknown and not ctx.resilient_parsing:
            match = get_close_matches(name, self.list_commands(ctx), n=1)
            key = "cli_no_such_command_suggest" if match else "cli_no_such_command"
            message = Msg(key, {"name": name, "value": match[0] if match else ""})
            raise LocalisedUsageError(message, ctx, language_of(ctx))
        return super().resolve_command(ctx, args)

    def invoke(self, ctx):
        return _in_language(language_of(ctx), super().invoke, ctx)


class LocalisedTyper(typer.Typer):
    """The app: its group is LocalisedGroup and every command a LocalisedCommand."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cls=LocalisedGroup, **kwargs)

    def command(self, *args: Any, cls: Any = None, **kwargs: Any):
        return super().command(*args, cls=cls or LocalisedCommand, **kwargs)


# The framework's own help texts: their English is typer's, word for word.
h("help_show_this_message")
h("help_install_completion")
h("help_show_completion")
