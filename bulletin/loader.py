"""Find the data folder, read its YAML files and validate them into models.

Every problem of a run is collected and raised at once as a DataError.
"""

from __future__ import annotations

import gc
import os
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any

from bulletin import yamlfile
from bulletin.errors import BulletinError, DataError, Msg, Problem, UsageError, field_path
from bulletin.models import (
    EVIDENCE_FOLDER,
    MONTH_FILES,
    Context,
    Month,
    MonthInfo,
    Project,
    Strict,
    YearMonth,
    month_numbers,
    month_of,
)
from bulletin.validation import suggestion, validate

PROJECT_FILE = "project.yaml"
ENV_DATA = "BULLETIN_DATA"
_IGNORED = re.compile(r"(^\.|~$|\.(md|txt|bak|swp)$)", re.IGNORECASE)


# ---------------------------------------------------------------- finding things


def find_data_dir(explicit: Path | None = None, cwd: Path | None = None) -> Path:
    """Locate the data folder: --data, $BULLETIN_DATA, or upwards from cwd as git finds .git."""
    if explicit is None and os.environ.get(ENV_DATA):
        explicit = Path(os.environ[ENV_DATA])
    if explicit is not None:
        if (explicit / PROJECT_FILE).is_file():
            return explicit
        if (explicit / "data" / PROJECT_FILE).is_file():
            return explicit / "data"
        raise UsageError(Msg("no_data_dir", {"cwd": explicit}), Msg("hint_data_dir"))
    start = (cwd or Path.cwd()).resolve()
    found = search_project(start)
    if found is None:
        raise UsageError(Msg("no_data_dir", {"cwd": start}), Msg("hint_data_dir"))
    return found


def search_project(start: Path) -> Path | None:
    """The data folder found from `start` upwards (a folder holding project.yaml, or a data/
    folder holding one), as git finds .git; None when there is none."""
    start = start.resolve()
    for folder in (start, *start.parents):
        for candidate in (folder, folder / "data"):
            if (candidate / PROJECT_FILE).is_file():
                return candidate
    return None


def parse_month(text: str) -> YearMonth:
    """Parse a month argument (2020-02, or as the data may write it: 2020/2, 2020年2月);
    raises UsageError."""
    month = month_of(text)
    if month is None:
        raise UsageError(Msg("bad_month_arg", {"value": text}))
    return month


def months_named(data_dir: Path, items: list[str]) -> list[YearMonth] | None:
    """The months that `check` arguments name: months (2020-02), or files and folders of the
    data, as a commit hook passes them. As `pipeline.check` reads it: None means every month
    (no arguments, or a file every month depends on: project.yaml, a template); [] means
    none (only files outside the data folder or generated schemas, which are skipped)."""
    if not items:
        return None
    months: set[YearMonth] = set()
    root = data_dir.resolve()
    for item in items:
        if month_numbers(item) is not None:  # written as a month: 2020-02, 2020年2月, 2020-13
            months.add(parse_month(item))
            continue
        path = Path(item)
        if not path.exists():
            raise UsageError(Msg("bad_check_arg", {"value": item}))
        try:
            parts = path.resolve().relative_to(root).parts
        except ValueError:
            continue
        if parts and YearMonth.of_folder(parts[0]):
            months.add(YearMonth.parse(parts[0]))
        elif parts and parts[0] == "schemas":
            continue  # generated for editors; the data does not depend on them
        else:
            return None
    return sorted(months)


# Something a person may have meant as a month folder: a year, a separator or none, a month,
# and perhaps more (`2020-2`, `２０２０-０２`, `2020_02`, `2020.02`, `2020年2月`, `2020-02 copy`).
_MONTH_LIKE = re.compile(
    r"\s*(\d{4})\s*(?:[-_./\s年]\s*)?(\d{1,2})(?!\d)\s*(?:月份?)?(.*)", re.DOTALL
)


def _lookalike(name: str) -> Msg | None:
    """The message for a folder name that looks like a month but is not exactly YYYY-MM."""
    m = _MONTH_LIKE.fullmatch(unicodedata.normalize("NFKC", name))
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        return Msg("not_a_month_folder", {"name": name})
    expected = f"{year:04d}-{month:02d}"
    return Msg("month_lookalike", {"name": name, "month": expected})


def list_months(data_dir: Path) -> list[YearMonth]:
    """The months that have a folder in `data_dir`, in order. A folder that looks like a
    month but is not named YYYY-MM is an error: its data would otherwise be skipped."""
    months, problems = [], []
    for child in data_dir.iterdir():
        if child.name.startswith(".") or not child.is_dir():
            continue
        if month := YearMonth.of_folder(child.name):
            months.append(month)
            continue
        if message := _lookalike(child.name):
            hint = Msg("hint_month_folder", {"month": message.params.get("month", "YYYY-MM")})
            problems.append(Problem(child, 0, "", message, hint))
    if problems:
        raise DataError(problems)
    return sorted(months)


def latest_month(data_dir: Path) -> YearMonth:
    """The newest month that has a folder; an error when there is none yet."""
    months = list_months(data_dir)
    if not months:
        raise BulletinError(Msg("stats_no_months"), Msg("hint_new_first"))
    return months[-1]


def _read(
    path: Path, key: str | None, empty_ok: bool = False
) -> tuple[yamlfile.Located | None, list[Problem]]:
    """Parse one file; check that its top level is a mapping (with `key` holding a list).
    With `empty_ok`, a file of comments only reads as an empty mapping."""
    try:
        located, slips = yamlfile.load(path), []
    except yamlfile.YamlProblems as exc:
        if exc.located is None:
            return None, exc.problems
        located, slips = exc.located, exc.problems  # read as meant: check the rest too
    value = located.value
    if value is None and empty_ok:
        return yamlfile.Located({}, {(): 1}), slips
    if value is None:
        hint = Msg("hint_empty", {"key": key}) if key else None
        return None, [*slips, Problem(path, 1, "", Msg("yaml_empty"), hint)]
    if not isinstance(value, dict):
        message = Msg("yaml_top_shape", {"key": key}) if key else Msg("yaml_project_shape")
        return None, [*slips, Problem(path, located.line(()), "", message)]
    return located, slips


# ---------------------------------------------------------------- project and months


def load_project(data_dir: Path) -> Project:
    """Read and validate project.yaml; raises DataError."""
    path = data_dir / PROJECT_FILE
    if not path.is_file():
        raise DataError([Problem(path, 0, "", Msg("file_missing"))])
    located, problems = _read(path, None)
    if located is not None:
        project, found = validate(Project, located, path, None)
        if project is not None and not problems:
            return project
        problems += found
    raise DataError(problems)


def _main_key(model: type[Strict]) -> str | None:
    fields = list(model.model_fields)
    return fields[0] if model is not MonthInfo else None


@contextmanager
def collector_paused() -> Iterator[None]:
    """Hold Python's cycle collector while a month is read. Parsing and validating a busy
    month makes hundreds of thousands of small objects and no reference cycles, yet each
    of them wakes the collector, which then walks every object alive (the month's nodes
    so far, the imported libraries): a quarter of the CPU time of `check` over many months.
    Whatever cycles the month leaves are collected once it has been read. A command that
    goes on to build a large output from the months (the ledger's rows, the report) holds
    it over that work too: the collector would otherwise walk every month's objects again
    and again while the output is made (a fifth of the ledger's time over 36 busy months)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def load_month(project: Project, data_dir: Path, month: YearMonth) -> Month:
    """Read and validate every file of one month folder; raises DataError with all problems."""
    with collector_paused():
        return _load_month(project, data_dir, month)


def _load_month(project: Project, data_dir: Path, month: YearMonth) -> Month:
    folder = data_dir / str(month)
    if not folder.is_dir():
        hint = Msg("hint_new_month", {"month": str(month)})
        for child in sorted(data_dir.iterdir()):
            found = _lookalike(child.name) if child.is_dir() else None
            if found is not None and found.params.get("month") == str(month):
                hint = Msg("hint_lookalike_found", {"name": child.name, "month": str(month)})
        raise DataError([Problem(folder, 0, "", Msg("month_missing", {"month": str(month)}), hint)])
    ctx = Context(
        month=month,
        towns=tuple(project.towns),
        sections=tuple(project.sections),
        folder=folder,
        titles=tuple(project.titles),
    )
    problems: list[Problem] = []
    parsed: dict[str, Any] = {}
    located_files: dict[str, yamlfile.Located] = {}
    problems += _unknown_files(folder)
    for name, model in MONTH_FILES.items():
        path = folder / name
        if not (path.is_symlink() or path.exists()):
            parsed[name] = model()
            continue
        if not path.is_file():  # a folder, a broken link, a device: never skipped unread
            key = (
                "file_broken_link"
                if path.is_symlink() and not path.exists()
                else "file_not_regular"
            )
            problems.append(Problem(path, 0, "", Msg(key)))
            continue
        located, found = _read(path, _main_key(model), empty_ok=model is MonthInfo)
        if located is not None:
            located_files[name] = located
            instance, more = validate(model, located, path, ctx)
            parsed[name] = instance
            found += more
        problems += found
    if month < project.first_month and not (
        parsed.get("month.yaml") and parsed["month.yaml"].issue
    ):
        problems.append(
            Problem(
                folder / "month.yaml",
                0,
                "issue",
                Msg("month_before_first", {"month": str(month), "first": project.first_issue}),
            )
        )
    problems += _check_ids(folder, parsed, located_files.get("events.yaml"))
    problems += _check_public(folder, parsed, located_files)
    if problems:
        known = parsed.get("events.yaml") is not None
        raise MonthProblems(
            problems, _month(month, folder, parsed, located_files), located_files, known
        )
    warnings = tuple(_duplicates(folder, parsed, located_files))
    return _month(month, folder, parsed, located_files, warnings)


class MonthProblems(DataError):
    """A month's problems, and the month as far as it could be read (a file with problems
    counts as empty), with the article bodies as typed: so that the articles' placeholders
    are checked in the same run as the fields."""

    def __init__(
        self,
        problems: list[Problem],
        month: Month,
        located: dict[str, yamlfile.Located],
        activities_known: bool,
    ):
        super().__init__(problems)
        self.month = month
        self.bodies: list[tuple[int, str, int]] = []  # (index, text, line of its first line)
        articles = located.get("articles.yaml")
        for i, article in enumerate(_records(articles, "articles")):
            if articles is not None and isinstance(body := article.get("body"), str):
                line = articles.text_line(("articles", i, "body"), body)
                self.bodies.append((i, body.strip(), line))  # stripped, as the model reads it
        # Whether events.yaml was read without problems: placeholders cite activities by id.
        self.activities_known = activities_known


def _records(located: yamlfile.Located | None, key: str) -> list[dict[str, Any]]:
    """The records of a file's list `key` as typed (mappings only)."""
    value = located.value if located is not None else None
    records = value.get(key) if isinstance(value, dict) else None
    return [r for r in records if isinstance(r, dict)] if isinstance(records, list) else []


def _month(
    month: YearMonth,
    folder: Path,
    parsed: dict[str, Any],
    located_files: dict[str, yamlfile.Located],
    warnings: tuple[Problem, ...] = (),
) -> Month:
    """The Month of the files read; a file that could not be read counts as empty."""
    files = {name: parsed.get(name) or model() for name, model in MONTH_FILES.items()}
    events = files["events.yaml"]
    articles = files["articles.yaml"].articles
    located = located_files.get("articles.yaml")
    body_lines = (
        tuple(
            located.text_line(("articles", i, "body"), located.value["articles"][i]["body"])
            for i in range(len(articles))
        )
        if located and parsed.get("articles.yaml") is not None
        else ()
    )
    return Month(
        month=month,
        folder=folder,
        info=files["month.yaml"],
        visits=files["visits.yaml"].visits,
        wishes=files["wishes.yaml"].wishes,
        activities=events.activities,
        services=events.services,
        consultations=files["consultations.yaml"].consultations,
        plans=files["plans.yaml"].plans,
        articles=articles,
        body_lines=body_lines,
        lines={name: located.lines for name, located in located_files.items()},
        warnings=warnings,
    )


# The lists whose records are counted: the same record twice is counted twice.
_COUNTED = (
    ("visits.yaml", "visits"),
    ("wishes.yaml", "wishes"),
    ("events.yaml", "activities"),
    ("events.yaml", "services"),
    ("consultations.yaml", "consultations"),
    ("plans.yaml", "plans"),
)


def _duplicates(
    folder: Path, parsed: dict[str, Any], located: dict[str, yamlfile.Located]
) -> list[Problem]:
    """A warning for each record written exactly like an earlier one of its list (the same
    keys and values as typed; validation has already passed)."""
    warnings = []
    for name, key in _COUNTED:
        if name not in located or not getattr(parsed[name], key):
            continue
        path = folder / name
        records = located[name].value.get(key) or []
        first: dict[object, int] = {}  # a record as written -> the index of its first copy
        for i, record in enumerate(records):
            same = _as_written(record)
            if same in first:
                line = located[name].line((key, i))
                earlier = located[name].line((key, first[same]))
                message = Msg("duplicate_record", {"first": earlier})
                hint = Msg("hint_duplicate_record")
                warnings.append(Problem(path, line, f"{key}[{i}]", message, hint))
            else:
                first[same] = i
    return warnings


def _as_written(record: Any) -> object:
    """A key that two records share exactly when they hold the same keys and values as read
    (text, yes/no or empty; a list of texts): the pairs as a set, or their text when a value
    is something else (a list of rows)."""
    if not isinstance(record, dict):
        return repr(record)
    try:
        return frozenset(record.items())  # most records: texts only
    except TypeError:  # a list among the values
        pass
    try:
        return frozenset((k, tuple(v) if v.__class__ is list else v) for k, v in record.items())
    except TypeError:  # unhashable: a list holding mappings or lists
        return repr(sorted(record.items()))


def _unknown_files(folder: Path) -> list[Problem]:
    """YAML files of a month folder that the tool does not read. `.yml` is not read: the
    hint names the `.yaml` file it should be (one spelling, so a file is never read twice)."""
    problems = []
    for child in sorted(folder.iterdir()):
        if child.name in MONTH_FILES or _IGNORED.search(child.name):
            continue
        if child.suffix.lower() not in (".yaml", ".yml") or child.is_dir():
            continue
        right = child.stem.lower() + ".yaml"
        if right in MONTH_FILES:
            key = "hint_merge_into" if (folder / right).exists() else "hint_rename_to"
            hint: Msg | None = Msg(key, {"value": right})
        else:
            hint = suggestion(right, MONTH_FILES)
        problems.append(Problem(child, 0, "", Msg("unknown_file", {"name": child.name}), hint))
    return problems


def _check_ids(
    folder: Path, parsed: dict[str, Any], located: yamlfile.Located | None
) -> list[Problem]:
    """Activity ids must be unique: articles and plan follow-through refer to them."""
    problems: list[Problem] = []
    events = parsed.get("events.yaml")
    if events is None or located is None:
        return problems
    seen: dict[str, int] = {}
    for i, activity in enumerate(events.activities):
        if activity.id is None:
            continue
        line = located.line(("activities", i, "id"))
        if activity.id in seen:
            problems.append(
                Problem(
                    folder / "events.yaml",
                    line,
                    field_path(("activities", i, "id")),
                    Msg("duplicate_id", {"value": activity.id, "first": seen[activity.id]}),
                )
            )
        seen.setdefault(activity.id, line)
    return problems


def evidence_of(
    visits: list[Any], wishes: list[Any], activities: list[Any], articles: list[Any]
) -> Iterator[tuple[str, tuple[str | int, ...], Any]]:
    """Every evidence file a month's records list: (file name, path of keys to the entry,
    the models.EvidenceFile), in the order of the files and of the records."""
    for i, visit in enumerate(visits):
        for k, e in enumerate(visit.evidence):
            yield "visits.yaml", ("visits", i, "evidence", k), e
    for i, wish in enumerate(wishes):
        for k, e in enumerate(wish.evidence):
            yield "wishes.yaml", ("wishes", i, "evidence", k), e
    for i, activity in enumerate(activities):
        for j, session in enumerate(activity.sessions):
            for k, e in enumerate(session.evidence):
                yield "events.yaml", ("activities", i, "sessions", j, "evidence", k), e
    for i, article in enumerate(articles):
        for k, e in enumerate(article.evidence):
            yield "articles.yaml", ("articles", i, "evidence", k), e


def same_file(path: str) -> str:
    """A path as a comparable key: separators and case as the file system would ignore."""
    return PurePosixPath(path.replace("\\", "/")).as_posix().casefold()


def _check_public(
    folder: Path, parsed: dict[str, Any], located_files: dict[str, yamlfile.Located]
) -> list[Problem]:
    """The privacy rule: the bulletin and its HTML edition are public, so an article never
    prints a file kept as evidence for the evaluator (in the month's evidence/ folder, or
    listed under `evidence:` by any record of the month). See README, "Evaluation evidence"."""
    articles = parsed.get("articles.yaml")
    located = located_files.get("articles.yaml")
    if articles is None or located is None:
        return []
    listed: dict[str, str] = {}
    lists = (
        getattr(parsed.get(name), key, [])
        for name, key in (
            ("visits.yaml", "visits"),
            ("wishes.yaml", "wishes"),
            ("events.yaml", "activities"),
            ("articles.yaml", "articles"),
        )
    )
    for name, path, item in evidence_of(*lists):
        line = located_files[name].line(path) if name in located_files else 0
        listed.setdefault(same_file(item.file), f"{name}:{line}")
    problems: list[Problem] = []
    for i, article in enumerate(articles.articles):
        for j, image in enumerate(article.images):
            key = same_file(image.path)
            if PurePosixPath(key).parts[:1] == (EVIDENCE_FOLDER,):
                why = Msg("why_evidence_folder")
            elif key in listed:
                why = Msg("why_evidence_listed", {"where": listed[key]})
            else:
                continue
            at = ("articles", i, "images", j, "path")
            problems.append(
                Problem(
                    folder / "articles.yaml",
                    located.line(at),
                    field_path(at),
                    Msg("image_is_evidence", {"value": image.path, "why": why}),
                    Msg("hint_image_is_evidence"),
                )
            )
    return problems
