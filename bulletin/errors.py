"""Problems found in the data and the exceptions that carry them."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bulletin.chars import visible
from bulletin.i18n import t


@dataclass(frozen=True)
class Msg:
    """A message key from the catalogue with its parameters, translated when shown. A parameter
    may itself be a Msg (a counted phrase such as "2 files"), translated in the same language."""

    key: str
    params: dict[str, object] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        params = {k: _shown(v, lang) for k, v in self.params.items()}
        return t(self.key, lang, **params)


def _shown(value: object, lang: str) -> object:
    """A parameter as a message shows it: invisible characters made visible (<U+200B>)."""
    if isinstance(value, Msg):
        return value.text(lang)
    if isinstance(value, str | Path):
        return visible(str(value))
    return value


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data: where it is and what to do about it."""

    file: Path
    line: int
    field: str
    message: Msg
    hint: Msg | None = None

    def sort_key(self) -> tuple[str, int, str]:
        return (str(self.file), self.line, self.field)

    def format(self, lang: str, base: Path | None = None) -> str:
        """Render as `file:line: field: message (hint)`."""
        where = display_path(self.file, base)
        if self.line:
            where += f":{self.line}"
        text = self.message.text(lang)
        if self.hint is not None:
            hint = self.hint.text(lang)
            text += f"（{hint}）" if lang == "zh" else f" ({hint})"
        field = self.field + (_counted_from_one(self.field, lang) if lang == "zh" else "")
        parts = [where, field, text] if self.field else [where, text]
        return ": ".join(parts)


def _counted_from_one(field: str, lang: str) -> str:
    """The records of a field path counted as a reader counts them: `visits[6].town` is
    （第 7 条）, `articles[2].images[0].path` （第 3 条第 1 项）; "" without an index."""
    numbers = [int(n) + 1 for n in re.findall(r"\[(\d+)\]", field)]
    if not numbers:
        return ""
    words = [t("nth_record", lang, n=numbers[0])] + [t("nth_item", lang, n=n) for n in numbers[1:]]
    return f"（{''.join(words)}）"


def field_path(loc: Iterable[str | int]) -> str:
    """Name a field by its path in the file: `articles[2].images[0].path`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def display_path(path: Path, base: Path | None = None) -> str:
    """Show `path` relative to `base` (the working directory) when it lies below it."""
    base = base or Path.cwd()
    if path.is_absolute() and path.is_relative_to(base):
        return os.path.relpath(path, base)
    return str(path)


class BulletinError(Exception):
    """Base class of every error the library raises for the CLI to report."""

    exit_code = 1

    def __init__(self, message: Msg, hint: Msg | None = None):
        super().__init__(message.key)
        self.message = message
        self.hint = hint

    def lines(self, lang: str, base: Path | None = None) -> list[str]:
        text = self.message.text(lang)
        if self.hint is not None:
            text += f"\n  {self.hint.text(lang)}"
        return [text]


class DataError(BulletinError):
    """The data has problems; carries all of them, sorted."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=Problem.sort_key)
        files = len({p.file for p in self.problems})
        files_text = Msg("n_files", {"n": files})
        super().__init__(Msg("n_errors", {"n": len(self.problems), "files": files_text}))

    def lines(self, lang: str, base: Path | None = None) -> list[str]:
        return shown_lines(self.problems, lang, base) + [self.message.text(lang)]


# Problems of one kind in one file shown in full; the rest are counted (a pasted list of
# 50,000 rows with the same slip reads as ten lines and a count, not 50,000 lines).
SHOWN_PER_KIND = 10


def shown_lines(problems: Iterable[Problem], lang: str, base: Path | None = None) -> list[str]:
    """The lines for `problems`: the first SHOWN_PER_KIND of each kind (file and message)
    in full, then for each kind with more, how many more."""
    shown: list[str] = []
    counts: dict[tuple[Path, str], int] = {}
    first: dict[tuple[Path, str], Problem] = {}
    for problem in problems:
        kind = (problem.file, problem.message.key)
        counts[kind] = counts.get(kind, 0) + 1
        first.setdefault(kind, problem)
        if counts[kind] <= SHOWN_PER_KIND:
            shown.append(problem.format(lang, base))
    for kind, count in counts.items():
        if count > SHOWN_PER_KIND:
            more = Msg(
                "more_of_kind",
                {
                    "n": count - SHOWN_PER_KIND,
                    "file": display_path(kind[0], base),
                    "example": first[kind].message,
                },
            )
            shown.append(more.text(lang))
    return shown


class BuildError(BulletinError):
    """The data is fine but the document could not be produced or written."""


class UsageError(BulletinError):
    """The command was called wrongly (exit code 2)."""

    exit_code = 2
