"""The words the bulletin prints around the data, read from the templates folders.

`wording.yaml` holds named phrases (titles, captions, contents entries, sentences, date
formats) and `overview.txt.j2` the overview; both are Jinja texts rendered in the sandbox
with the article placeholders' names. A project's templates folder (or --templates) may
hold its own copy of either file; a wording.yaml there needs only the phrases it changes.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateError, meta
from jinja2.sandbox import ImmutableSandboxedEnvironment

from bulletin import yamlfile
from bulletin.cache import CompiledTemplates
from bulletin.errors import DataError, Msg, Problem
from bulletin.models import Project, YearMonth
from bulletin.prose import quoted
from bulletin.template_search import (
    OVERVIEW_TEMPLATE,
    WORDING_FILE,
    builtin_templates,
    find_template,
    render_text,
    template_folders,
)
from bulletin.validation import suggest


class _Environment(CompiledTemplates, ImmutableSandboxedEnvironment):
    """The sandbox phrases are rendered in, their compiled code cached between runs."""


_ENV = _Environment(
    undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, autoescape=False
)
_ENV.filters["quoted"] = quoted  # “name”, its own quotation marks turned into ‘…’


@dataclass(frozen=True)
class Phrase:
    """One phrase, compiled, and where it was written."""

    key: str
    template: Template
    path: Path
    line: int
    arguments: frozenset[str] = frozenset()  # of ARGUMENTS, the ones the phrase uses
    source: str = ""

    def render(self, names: dict[str, Any]) -> str:
        """The phrase filled in, its lines joined (Chinese has no spaces between lines)."""
        try:
            text = self.template.render(names)
        except TemplateError as exc:
            raise DataError(
                [
                    Problem(
                        self.path, self.line, self.key, Msg("placeholder_failed", {"problem": exc})
                    )
                ]
            ) from None
        return "".join(line.strip() for line in text.splitlines())


@dataclass(frozen=True)
class Wording:
    """The phrases and the overview template of a project, ready to fill in."""

    phrases: dict[str, Phrase]
    overview: Path

    def say(self, key: str, **names: Any) -> str:
        """One phrase filled in with only the names given (a month, a list, …)."""
        return self.phrases[key].render(names)

    def bind(self, names: dict[str, Any]) -> Words:
        """The wording of one month: its placeholders' names filled in."""
        return Words(self, names)


class Words:
    """One month's words: `words["summary_title"]`, `words.day(d)`, `words.overview()`."""

    def __init__(self, wording: Wording, names: dict[str, Any]):
        self._wording = wording
        self._names = names
        self._dates: dict[tuple[str, int, int, int], str] = {}
        self._days: dict[date, str] = {}

    def __getitem__(self, key: str) -> str:
        return self._wording.phrases[key].render(self._names)

    def _date(self, key: str, year: int, month: int, day: int = 0) -> str:
        cached = self._dates.get((key, year, month, day))
        if cached is None:
            when = {"year": year, "month": month, "day": day}
            cached = self._wording.phrases[key].render({"date": when})
            self._dates[(key, year, month, day)] = cached
        return cached

    def month(self, m: YearMonth) -> str:
        """A month as the text names it (2020年2月)."""
        return self._date("month_label", m.year, m.month)

    def day(self, d: date) -> str:
        """A day as the tables print it (2月5日)."""
        said = self._days.get(d)  # asked for each of a busy month's thousands of rows
        if said is None:
            said = self._days[d] = self._date("day", d.year, d.month, d.day)
        return said

    def whole_month(self, m: YearMonth) -> str:
        """A month as the tables print it (2月)."""
        return self._date("whole_month", m.year, m.month)

    def due(self, due: date | YearMonth) -> str:
        """When a plan row is due: a day or a whole month."""
        return self.day(due) if isinstance(due, date) else self.whole_month(due)

    def overview(self) -> list[str]:
        """The overview's paragraphs: one for each line of output that is not blank."""
        text = render_text(_ENV, self._wording.overview, self._names)
        return [line.strip() for line in text.splitlines() if line.strip()]


# What a phrase is given to say, beside the month's names: the list of list_text, the modes
# of visit_modes, the date of month_label, day and whole_month. A centre's phrase that drops
# one of those its built-in phrase uses would print the same words whatever it is given.
ARGUMENTS = frozenset({"items", "modes", "date"})


def _arguments(text: str) -> frozenset[str]:
    """The ARGUMENTS that the phrase `text` uses (parsed only when it may use one)."""
    if not _ARGUMENT_WORD.search(text):
        return frozenset()
    return frozenset(meta.find_undeclared_variables(_ENV.parse(text))) & ARGUMENTS


_ARGUMENT_WORD = re.compile(r"\b(?:items|modes|date)\b")


def _dropped(phrase: Phrase, builtin: Phrase | None) -> Problem | None:
    """The problem of a centre's phrase that leaves out an argument its built-in one uses."""
    missing = sorted(builtin.arguments - phrase.arguments) if builtin else []
    if not missing or builtin is None:
        return None
    names = ", ".join(missing)
    return Problem(
        phrase.path,
        phrase.line,
        phrase.key,
        Msg("phrase_drops_argument", {"names": names}),
        Msg("hint_phrase_argument", {"names": names, "builtin": builtin.source}),
    )


def builtin_wording() -> Wording:
    """The built-in phrases and overview alone: what a month's data is checked with when a
    project's own wording cannot be read."""
    phrases, problems = _read(builtin_templates() / WORDING_FILE, known=None)
    if problems:
        raise DataError(problems)
    return Wording(phrases, builtin_templates() / OVERVIEW_TEMPLATE)


@functools.cache
def _builtin() -> Wording:
    return builtin_wording()


def list_text(items: Iterable[str]) -> str:
    """A list written as the built-in phrase list_text writes it (民众镇、东凤镇): for the
    tool's messages, the data exports and the ledger, which a project's wording does not
    restyle (the bulletin and the report use the project's own phrase)."""
    return _listed(tuple(items))


@functools.lru_cache(maxsize=4096)  # a busy ledger lists the same partners on many rows
def _listed(items: tuple[str, ...]) -> str:
    return _builtin().say("list_text", items=list(items))


def load_wording(project: Project, data_dir: Path, override: Path | None = None) -> Wording:
    """Read the built-in phrases, then each templates folder's own over them (--templates
    last); raises DataError with every problem in the files read."""
    builtin = builtin_templates() / WORDING_FILE
    phrases, problems = _read(builtin, known=None)
    known = set(phrases)
    for folder in reversed(template_folders(project, data_dir, override)[:-1]):
        path = folder / WORDING_FILE
        if path.is_file():
            found, more = _read(path, known)
            problems += more
            for key, phrase in found.items():
                if dropped := _dropped(phrase, phrases.get(key)):
                    problems.append(dropped)
            phrases.update(found)
    if problems:
        raise DataError(problems)
    overview = find_template(OVERVIEW_TEMPLATE, project, data_dir, override)
    return Wording(phrases, overview)


def _read(path: Path, known: set[str] | None) -> tuple[dict[str, Phrase], list[Problem]]:
    """The phrases of one file; `known` is the keys a phrase may have (None: any)."""
    try:
        located = yamlfile.load(path)
    except yamlfile.YamlProblems as exc:
        return {}, exc.problems
    if not isinstance(located.value, dict):
        return {}, [Problem(path, 1, "", Msg("not_mapping"))]
    phrases: dict[str, Phrase] = {}
    problems: list[Problem] = []
    for key, value in located.value.items():
        line = located.line((key,))
        if known is not None and key not in known:
            guess = suggest(key, known)
            hint = (
                Msg("did_you_mean", {"value": guess})
                if guess
                else Msg("known_keys", {"value": ", ".join(sorted(known))})
            )
            problems.append(Problem(path, line, key, Msg("unknown_key", {"key": key}), hint))
            continue
        if value is None:
            value = ""  # an empty phrase prints nothing
        if not isinstance(value, str):
            problems.append(Problem(path, line, key, Msg("not_text", {"written": repr(value)})))
            continue
        try:
            template = _ENV.from_string(value)
            used = _arguments(value)
        except TemplateError as exc:
            problems.append(
                Problem(path, line, key, Msg("placeholder_syntax", {"problem": exc.message}))
            )
            continue
        phrases[key] = Phrase(key, template, path, line, used, value.strip())
    return phrases, problems
