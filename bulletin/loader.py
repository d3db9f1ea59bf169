"""Find the data folder, read its YAML files and validate them into models.

Every problem of a run is collected and raised at once as a DataError.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from bulletin import figures, yamlfile
from bulletin.errors import DataError, Msg, Problem, UsageError
from bulletin.models import (
    MONTH_FILES,
    Context,
    Month,
    MonthInfo,
    Project,
    Strict,
    YearMonth,
)

PROJECT_FILE = "project.yaml"
ENV_DATA = "BULLETIN_DATA"
_MONTH_DIR = re.compile(r"[0-9]{4}-[0-9]{2}")  # ASCII digits: ２０２０-０２ is a look-alike
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
    for folder in (start, *start.parents):
        for candidate in (folder, folder / "data"):
            if (candidate / PROJECT_FILE).is_file():
                return candidate
    raise UsageError(Msg("no_data_dir", {"cwd": start}), Msg("hint_data_dir"))


def parse_month(text: str) -> YearMonth:
    """Parse a month argument such as 2020-02; raises UsageError."""
    try:
        return YearMonth.parse(text)
    except ValueError:
        raise UsageError(Msg("bad_month_arg", {"value": text})) from None


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
        if re.fullmatch(r"\s*\d{4}-\d{1,2}\s*", item):
            months.add(parse_month(item))
            continue
        path = Path(item)
        if not path.exists():
            raise UsageError(Msg("bad_check_arg", {"value": item}))
        try:
            parts = path.resolve().relative_to(root).parts
        except ValueError:
            continue
        if parts and _MONTH_DIR.fullmatch(parts[0]):
            try:
                months.add(YearMonth.parse(parts[0]))
            except ValueError:
                continue
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
        if _MONTH_DIR.fullmatch(child.name):
            try:
                months.append(YearMonth.parse(child.name))
                continue
            except ValueError:
                pass
        if message := _lookalike(child.name):
            hint = Msg("hint_month_folder", {"month": message.params.get("month", "YYYY-MM")})
            problems.append(Problem(child, 0, "", message, hint))
    if problems:
        raise DataError(problems)
    return sorted(months)


# ---------------------------------------------------------------- pydantic errors


def _model_at(model: type[BaseModel], loc: Iterable[Any]) -> type[BaseModel] | None:
    """Follow `loc` through the model's fields to the model that holds the last key."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _inner_model(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    """The model inside list[Model], Model | None and the like, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    meta = getattr(annotation, "__origin__", None)
    return _inner_model(meta) if meta not in (None, annotation) else None


def _suggest(value: str, choices: Iterable[str]) -> str | None:
    """The choice the user most likely meant. Chinese typed with a pinyin input method goes
    wrong by homophones (东风镇 for 东凤镇), so sound comes first, then spelling."""
    choices = [c for c in choices if c != value]
    if not choices or not value:
        return None
    if any("\u4e00" <= ch <= "\u9fff" for ch in value):
        from pypinyin import lazy_pinyin  # only needed on the error path

        sound = " ".join(lazy_pinyin(value))
        same = [c for c in choices if " ".join(lazy_pinyin(c)) == sound]
        if same:
            return same[0]
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.5)
    return close[0] if close else None


def _field_text(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _translate(
    error: dict[str, Any], model: type[Strict], ctx: Context | None
) -> tuple[tuple[Any, ...], Msg, Msg | None]:
    """Turn one pydantic error into (loc, message, hint) in our catalog."""
    kind = error["type"]
    loc = tuple(error["loc"])
    value = error.get("input")
    extra = dict(error.get("ctx") or {})
    if "field" in extra:
        loc = (*loc, *str(extra.pop("field")).replace("[0]", ".0").split("."))
        loc = tuple(int(p) if isinstance(p, str) and p.isdigit() else p for p in loc)
    shown = value if isinstance(value, str | int | float) else ""
    if kind == "extra_forbidden":
        key = str(loc[-1])
        holder = _model_at(model, loc[:-1])
        fields = list(holder.model_fields) if holder else []
        best = _suggest(key, fields)
        hint = (
            Msg("did_you_mean", {"value": best})
            if best
            else Msg("known_keys", {"value": ", ".join(fields)})
            if fields
            else None
        )
        return loc, Msg("unknown_key", {"key": key}), hint
    if kind == "missing":
        return loc, Msg("missing"), None
    if kind in ("date_format",):
        return loc, Msg("date_format", {"value": shown}), Msg("hint_date_forms")
    if kind == "date_invalid":
        return loc, Msg("date_invalid", extra), Msg("hint_date_forms")
    if kind == "month_format":
        return loc, Msg("month_format", {"value": shown}), Msg("hint_month_forms")
    if kind == "date_outside_month":
        return loc, Msg("date_outside_month", extra), None
    if kind == "plan_outside_month":
        return loc, Msg("date_outside_month", extra), Msg("hint_plan_month", extra)
    if kind == "date_before_month":
        return loc, Msg("date_before_month", extra), None
    if kind == "town_unknown":
        best = _suggest(str(value), ctx.towns if ctx else ())
        hint = Msg("did_you_mean", {"value": best}) if best else Msg("hint_towns")
        return loc, Msg("town_unknown", {"value": value}), hint
    if kind == "section_unknown":
        sections = ctx.sections if ctx else ()
        best = _suggest(str(value), sections)
        hint = (
            Msg("did_you_mean", {"value": best})
            if best
            else Msg("hint_sections", {"value": "、".join(sections)})
        )
        return loc, Msg("section_unknown", {"value": value}), hint
    if kind == "figure_unknown":
        best = _suggest(str(value), figures.all_keys())
        hint = Msg("did_you_mean", {"value": best}) if best else Msg("hint_figures")
        return loc, Msg("figure_unknown", {"value": value}), hint
    if kind == "indicator_town":
        best = _suggest(str(extra["value"]), extra.pop("choices"))
        hint = Msg("did_you_mean", {"value": best}) if best else Msg("hint_towns")
        return loc, Msg("town_unknown", extra), hint
    if kind in ("restriction_figure", "period_order", "due_outside_period", "period_overlap"):
        return loc, Msg(kind, extra), None
    if kind == "greater_than" and extra.get("gt") == 0:
        return loc, Msg("not_positive", {"value": shown}), None
    if kind in ("greater_than_equal", "greater_than"):
        return loc, Msg("not_negative", {"value": shown}), None
    if kind in ("float_parsing", "float_type", "int_type", "decimal_parsing"):
        return loc, Msg("not_a_number", {"value": shown}), None
    if kind in ("int_parsing", "int_from_float"):
        return loc, Msg("not_whole_number", {"value": shown}), None
    if kind == "string_type":
        return loc, Msg("not_text", {"value": repr(value)}), None
    if kind == "list_type":
        return loc, Msg("not_list"), None
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return loc, Msg("not_mapping"), None
    if kind in ("string_too_short",):
        return loc, Msg("empty_text"), None
    if kind == "too_short":  # a text field with a validator reports this kind too
        return loc, Msg("empty_text" if isinstance(value, str) else "list_empty"), None
    if kind in ("string_too_long", "too_long"):
        length = len(value) if isinstance(value, str | list) else 0
        return loc, Msg("text_too_long", {"length": length, "limit": extra.get("max_length")}), None
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(extra.get("expected", "")))
        best = _suggest(str(value), choices)
        hint = Msg("did_you_mean", {"value": best}) if best else None
        return loc, Msg("choice", {"value": shown, "choices": " / ".join(choices)}), hint
    if kind == "less_than_equal":
        return loc, Msg("text_too_long", {"length": shown, "limit": extra.get("le")}), None
    if kind in ("image_path_outside", "image_missing", "image_not_picture", "image_heic"):
        folder = str(ctx.folder) if ctx and ctx.folder else "."
        hint = (
            Msg("hint_images", {"folder": folder})
            if kind in ("image_path_outside", "image_missing")
            else None
        )
        hint = Msg("hint_heic") if kind == "image_heic" else hint
        return loc, Msg(kind, extra), hint
    if kind in ("client_name",):
        return loc, Msg(kind, extra), Msg("hint_client_name")
    if kind in ("participants_where", "participants_missing", "id_format"):
        return loc, Msg(kind, extra), None
    # Any other kind: say which value is wrong and what the field takes, in the user's words.
    holder = _model_at(model, loc[:-1]) if loc else None
    field = holder.model_fields.get(str(loc[-1])) if holder else None
    hint = (
        Msg("hint_expected", {"value": field.description}) if field and field.description else None
    )
    return loc, Msg("invalid_value", {"value": shown}), hint


def validate(
    model: type[Strict], located: yamlfile.Located, path: Path, ctx: Context | None
) -> tuple[Any, list[Problem]]:
    """Validate a parsed file against `model`; return (instance or None, problems)."""
    try:
        return model.model_validate(located.value, context={"bulletin": ctx}), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            loc, message, hint = _translate(error, model, ctx)
            problems.append(Problem(path, located.line(loc), _field_text(loc), message, hint))
        return None, problems


def _read(
    path: Path, key: str | None, empty_ok: bool = False
) -> tuple[yamlfile.Located | None, list[Problem]]:
    """Parse one file; check that its top level is a mapping (with `key` holding a list).
    With `empty_ok`, a file of comments only reads as an empty mapping."""
    try:
        located = yamlfile.load(path)
    except yamlfile.YamlProblems as exc:
        return None, exc.problems
    value = located.value
    if value is None and empty_ok:
        return yamlfile.Located({}, {(): 1}), []
    if value is None:
        hint = Msg("hint_empty", {"key": key}) if key else None
        return None, [Problem(path, 1, "", Msg("yaml_empty"), hint)]
    if not isinstance(value, dict):
        message = Msg("yaml_top_shape", {"key": key}) if key else Msg("yaml_project_shape")
        return None, [Problem(path, located.line(()), "", message)]
    return located, []


# ---------------------------------------------------------------- project and months


def load_project(data_dir: Path) -> Project:
    """Read and validate project.yaml; raises DataError."""
    path = data_dir / PROJECT_FILE
    if not path.is_file():
        raise DataError([Problem(path, 0, "", Msg("file_missing"))])
    located, problems = _read(path, None)
    if located is not None:
        project, problems = validate(Project, located, path, None)
        if project is not None:
            return project
    raise DataError(problems)


def _main_key(model: type[Strict]) -> str | None:
    fields = list(model.model_fields)
    return fields[0] if model is not MonthInfo else None


def load_month(project: Project, data_dir: Path, month: YearMonth) -> Month:
    """Read and validate every file of one month folder; raises DataError with all problems."""
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
            instance, found = validate(model, located, path, ctx)
            parsed[name] = instance
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
    if problems:
        raise DataError(problems)
    events = parsed["events.yaml"]
    articles = parsed["articles.yaml"].articles
    located = located_files.get("articles.yaml")
    body_lines = (
        tuple(
            located.line(("articles", i, "body")) + ("\n" in article.body)
            for i, article in enumerate(articles)
        )
        if located
        else ()
    )
    return Month(
        month=month,
        folder=folder,
        info=parsed["month.yaml"],
        visits=parsed["visits.yaml"].visits,
        wishes=parsed["wishes.yaml"].wishes,
        activities=events.activities,
        services=events.services,
        consultations=parsed["consultations.yaml"].consultations,
        plans=parsed["plans.yaml"].plans,
        articles=articles,
        body_lines=body_lines,
    )


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
            best = _suggest(right, MONTH_FILES)
            hint = Msg("did_you_mean", {"value": best}) if best else None
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
                    f"activities[{i}].id",
                    Msg("duplicate_id", {"value": activity.id, "first": seen[activity.id]}),
                )
            )
        seen.setdefault(activity.id, line)
    return problems
