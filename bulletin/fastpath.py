"""The fast path: the console script runs `build` and `check` itself when the arguments are a
plain invocation it fully understands, without importing the command-line framework (about
50 ms of a run), and hands everything else (help, completion, any option or form it does not
know, every usage error) to the typer app in bulletin.cli, so help and errors stay the
framework's. tests/test_fastcli.py checks that its option table is the typer commands'."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from bulletin.i18n import LOCALES, choose_language
from bulletin.month_commands import run_build, run_check, state

# The options each command takes: name -> parameter, and whether it takes a value.
_OPTIONS = {
    "build": {
        "-o": ("output", True),
        "--output": ("output", True),
        "--pdf": ("pdf", False),
        "--soffice": ("soffice", True),
        "--data": ("data", True),
        "--templates": ("templates", True),
        "--strict": ("strict", False),
        "--verbose": ("verbose", False),
        "--html": ("html", False),
        "--no-cache": ("no_cache", False),
        "--no-layout": ("no_layout", False),
    },
    "check": {
        "--data": ("data", True),
        "--templates": ("templates", True),
        "--strict": ("strict", False),
        "--no-cache": ("no_cache", False),
    },
}
_PATHS = ("output", "soffice", "data", "templates")


def _path_value(value: str) -> Path | None:
    """A path option's value as the framework would take it, or None when it might refuse it
    (it reports an existing path it cannot read)."""
    if not value:
        return None
    try:
        os.stat(value)
    except OSError:
        return Path(value)
    except ValueError:
        return None
    return Path(value) if os.access(value, os.R_OK) else None


def parse(args: list[str], environ: dict[str, str] | None = None):
    """The command, its language and its parameters when `args` is a plain `build` or
    `check` invocation understood here in full; None for anything else."""
    env = os.environ if environ is None else environ
    if any(k.startswith("_") and k.endswith("_COMPLETE") for k in env):
        return None
    lang, rest = None, []
    i = 0
    while i < len(args):  # --lang anywhere, as the app takes it
        arg = args[i]
        if arg == "--lang" and i + 1 < len(args):
            if lang is not None:
                return None
            lang = args[i + 1]
            i += 2
            continue
        if arg.startswith("--lang"):
            return None
        rest.append(arg)
        i += 1
    if lang is not None and lang not in LOCALES:
        return None
    if not rest or rest[0] not in _OPTIONS:
        return None
    command, options = rest[0], _OPTIONS[rest[0]]
    params: dict = {}
    positional: list[str] = []
    i = 1
    while i < len(rest):
        arg = rest[i]
        if arg.startswith("-") and arg != "-":
            name, _, inline = arg.partition("=")
            if name not in options:
                return None
            param, takes = options[name]
            if param in params:
                return None
            if takes:
                if inline:
                    value = inline
                elif "=" in arg or i + 1 >= len(rest):
                    return None
                else:
                    i += 1
                    value = rest[i]
                    if value.startswith("-") and value != "-":
                        return None
                params[param] = value
            elif "=" in arg:
                return None
            else:
                params[param] = True
        elif arg and arg != "-":
            positional.append(arg)
        else:
            return None
        i += 1
    if "data" not in params and "BULLETIN_DATA" in env:
        if not env["BULLETIN_DATA"]:
            return None
        params["data"] = env["BULLETIN_DATA"]
    for param in _PATHS:
        if param in params:
            path = _path_value(params[param])
            if path is None:
                return None
            params[param] = path
    if command == "build":
        if len(positional) > 1:
            return None
        params["month"] = positional[0] if positional else None
    else:
        params["months"] = positional or None
    return command, choose_language(lang), params


def dispatch(args: list[str]) -> int | None:
    """Run `args` here when parse() understands them; the exit code, or None to hand them
    to the typer app."""
    parsed = parse(args)
    if parsed is None:
        return None
    command, lang, params = parsed
    state.lang = lang
    os.environ["LANGUAGE"] = LOCALES[lang]  # as the app sets it for the run
    run = run_build if command == "build" else run_check
    try:
        return run(**params)
    except BrokenPipeError:  # as the framework ends a run whose reader went away
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - nothing more reaches the reader
        return 1
