"""Validate a parsed file against its model and say each problem in the catalogue's words.

An error has one home: the code that finds it names a catalogue key and its values. Our own
validators (models.py) raise a PydanticCustomError whose type is that key and whose context
holds the values; pydantic's built-in kinds are mapped to a key by the table below. The words
live only in the catalogue (bulletin/locale).
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from bulletin import figures, yamlfile
from bulletin.errors import Msg, Problem, field_path
from bulletin.i18n import has_message
from bulletin.models import Context, Strict

# pydantic's own error kinds -> the catalogue key that says it in a social worker's words.
BUILTIN_KINDS: dict[str, str] = {
    "missing": "missing",
    "extra_forbidden": "unknown_key",
    "greater_than_equal": "not_negative",
    "greater_than": "not_positive",  # the one such limit is gt=0 (an indicator's target)
    "less_than_equal": "too_large",
    "int_parsing": "not_whole_number",
    "int_from_float": "not_whole_number",
    "int_type": "not_whole_number",
    "float_parsing": "not_a_number",
    "float_type": "not_a_number",
    "bool_parsing": "not_yes_no",
    "bool_type": "not_yes_no",
    "string_type": "not_text",
    "string_too_short": "empty_text",
    "string_too_long": "text_too_long",
    "too_short": "list_empty",
    "list_type": "not_list",
    "model_type": "not_mapping",
    "dict_type": "not_mapping",  # a questionnaire's scores
    "literal_error": "choice",
}
# Any other kind (none that the models raise today) says the same: which value is wrong and
# what the field takes.
FALLBACK_KEY = "invalid_value"


@dataclass(frozen=True)
class _Error:
    """One pydantic error, with what a hint may need to know."""

    kind: str
    loc: tuple[str | int, ...]
    value: Any
    values: dict[str, object]
    model: type[Strict]
    ctx: Context | None


def suggest(value: str, choices: Iterable[str]) -> str | None:
    """The choice the user most likely meant. Chinese typed with a pinyin input method goes
    wrong by homophones (东风镇 for 东凤镇), so sound comes first, then spelling."""
    # Worked out once per distinct value: 50,000 rows with the same slip ask 50,000 times.
    return _suggest_once(value, tuple(choices))


@functools.lru_cache(maxsize=4096)
def _suggest_once(value: str, choices: tuple[str, ...]) -> str | None:
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


def suggestion(value: str, choices: Iterable[str], otherwise: Msg | None = None) -> Msg | None:
    """'did you mean X?' when one of `choices` is close to `value`, else `otherwise`."""
    best = suggest(value, choices)
    return Msg("did_you_mean", {"value": best}) if best else otherwise


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


def _known_fields(e: _Error) -> Msg | None:
    holder = _model_at(e.model, e.loc[:-1])
    fields = list(holder.model_fields) if holder else []
    known = Msg("known_keys", {"value": ", ".join(fields)}) if fields else None
    return suggestion(str(e.loc[-1]), fields, known)


def _town(e: _Error) -> Msg | None:
    # The month's towns come from the project; project.yaml's own checks pass its towns.
    towns = e.values.get("towns") or (e.ctx.towns if e.ctx else ())
    return suggestion(str(e.values["value"]), towns, Msg("hint_towns"))  # type: ignore[arg-type]


def _figure(e: _Error) -> Msg | None:
    return suggestion(str(e.value), figures.all_keys(), Msg("hint_figures"))


def _section(e: _Error) -> Msg | None:
    sections = e.ctx.sections if e.ctx else ()
    return suggestion(str(e.value), sections, Msg("hint_sections", {"value": "、".join(sections)}))


def _choice(e: _Error) -> Msg | None:
    return suggestion(str(e.value), str(e.values["choices"]).split(" / "))


def _images(e: _Error) -> Msg | None:
    folder = str(e.ctx.folder) if e.ctx and e.ctx.folder else "."
    return Msg("hint_images", {"folder": folder})


def _evidence(e: _Error) -> Msg | None:
    folder = e.ctx.folder / "evidence" if e.ctx and e.ctx.folder else Path("evidence")
    return Msg("hint_evidence_missing", {"folder": str(folder)})


def _expected(e: _Error) -> Msg | None:
    holder = _model_at(e.model, e.loc[:-1]) if e.loc else None
    field = holder.model_fields.get(str(e.loc[-1])) if holder else None
    return (
        Msg("hint_expected", {"value": field.description}) if field and field.description else None
    )


def _date_forms(e: _Error) -> Msg | None:
    """The date forms, shown with a day of the month being edited (plans: the next month)."""
    from bulletin.models import YearMonth

    month = e.ctx.month if e.ctx else YearMonth(2020, 2)
    if e.ctx and "Plan" in e.model.__name__:
        month = month.next()
    y, m = month.year, month.month
    example = {"iso": f"{y}-{m:02d}-25", "slash": f"{y}/{m}/25", "zh": f"{y}年{m}月25日"}
    return Msg("hint_date_forms", example | {"short": f"{m}月25日"})


# Catalogue key of a message -> its hint: a catalogue key (given the message's values) or a
# function of the error that finds a suggestion.
HINTS: dict[str, str | Callable[[_Error], Msg | None]] = {
    "unknown_key": _known_fields,
    "date_format": _date_forms,
    "date_invalid": _date_forms,
    "month_format": "hint_month_forms",
    "month_value_format": "hint_month_value_forms",
    "plan_outside_month": "hint_plan_month",
    "town_unknown": _town,
    "figure_unknown": _figure,
    "section_unknown": _section,
    "choice": _choice,
    "image_path_outside": _images,
    "image_missing": _images,
    "image_name_differs": "hint_image_name_differs",
    "image_cannot_open": "hint_cannot_open",
    "image_heic": "hint_heic",
    "evidence_outside": _evidence,
    "evidence_ending": "hint_evidence_ending",
    "evidence_missing": _evidence,
    "evidence_name_differs": "hint_image_name_differs",
    "evidence_cannot_open": "hint_cannot_open",
    "evidence_wrong_content": "hint_evidence_wrong_content",
    "evidence_unknown_content": "hint_evidence_wrong_content",
    "evidence_too_large": "hint_evidence_too_large",
    "image_is_evidence": "hint_image_is_evidence",
    "period_same_name": "hint_period_same_name",
    "indicators_empty": "hint_indicators_empty",
    "indicator_same_name": "hint_indicator_twice",
    "indicator_same_count": "hint_indicator_twice",
    "client_name": "hint_client_name",
    "client_full_name": "hint_client_full_name",
    "client_no_surname": "hint_client_no_surname",
    "invisible_char": "hint_invisible_char",
    "satisfaction_where": "hint_satisfaction_where",
    "satisfaction_both": "hint_satisfaction_counts",
    "satisfaction_no_counts": "hint_satisfaction_counts",
    "satisfaction_score_unknown": "hint_satisfaction_counts",
    "satisfaction_over_responses": "hint_satisfaction_over_responses",
    "satisfaction_over_participants": "hint_satisfaction_over_participants",
    "satisfaction_no_responses": "hint_satisfaction_no_responses",
    "target_percent_not_rate": "hint_target_percent",
    "target_rate_above_100": "hint_target_rate",
    FALLBACK_KEY: _expected,
}


def _values(value: Any, loc: tuple[str | int, ...], context: dict[str, Any]) -> dict[str, object]:
    """The values a message may show: the value as written, the key it is under, and what
    pydantic or our validator reports."""
    values: dict[str, object] = {
        "key": loc[-1] if loc else "",
        "value": value if isinstance(value, str | int | float) else "",
        "written": repr(value),
        "length": len(value) if isinstance(value, str | list) else 0,
    }
    if "expected" in context:  # literal_error: "'电访' or '走访'"
        values["choices"] = " / ".join(re.findall(r"'([^']*)'", str(context["expected"])))
    return values | context


def translate(
    error: dict[str, Any], model: type[Strict], ctx: Context | None
) -> tuple[tuple[str | int, ...], Msg, Msg | None]:
    """Turn one pydantic error into (loc, message, hint)."""
    kind = error["type"]
    context = dict(error.get("ctx") or {})
    # A check on a whole entry names the field it is about, as a tuple of keys and indexes.
    loc = (*error["loc"], *context.pop("at", ()))
    if kind in BUILTIN_KINDS:
        key = BUILTIN_KINDS[kind]
    else:  # our validators' kinds are catalogue keys
        key = kind if has_message(kind) else FALLBACK_KEY
    value = error.get("input")
    e = _Error(kind, loc, value, _values(value, loc, context), model, ctx)
    hint = HINTS.get(key)
    hint_msg = Msg(hint, e.values) if isinstance(hint, str) else hint(e) if hint else None
    return loc, Msg(key, e.values), hint_msg


def validate(
    model: type[Strict], located: yamlfile.Located, path: Path, ctx: Context | None
) -> tuple[Any, list[Problem]]:
    """Validate a parsed file against `model`; return (instance or None, problems)."""
    try:
        return model.model_validate(located.value, context={"bulletin": ctx}), []
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    slips = [e for e in errors if _colon_slip(e)]
    problems = []
    if slips:  # `{town:民众镇}`: one slip, reported as such, and the record checked as meant
        value = located.value
        for error in slips:
            value = _as_meant(value, error["loc"])
            *at, key = error["loc"]
            m = _COLON_KEY.fullmatch(key)
            name, colon = m.group(1), m.group(2)
            slip = "yaml_colon_space" if colon == ":" else "yaml_fullwidth_colon"
            problems.append(
                Problem(
                    path,
                    located.line(error["loc"]),
                    field_path((*at, name)),
                    Msg(slip, {"key": name}),
                    Msg(
                        "hint_colon_space" if colon == ":" else "hint_fullwidth_colon",
                        {"key": name},
                    ),
                )
            )
        try:
            model.model_validate(value, context={"bulletin": ctx})
            errors = []
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
    for error in errors:
        loc, message, hint = translate(error, model, ctx)
        problems.append(Problem(path, located.line(loc), field_path(loc), message, hint))
    return None, problems


# A key with its value run into it (`town:民众镇` inside { }, or `name　：黄小姐` with the input
# method's space before a full-width colon): YAML reads one key, no value.
_COLON_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*([:：])\s*(.+)", re.DOTALL)


def _colon_slip(error: dict[str, Any]) -> bool:
    loc = error["loc"]
    return (
        error["type"] == "extra_forbidden"
        and error.get("input") is None
        and bool(loc)
        and isinstance(loc[-1], str)
        and _COLON_KEY.fullmatch(loc[-1]) is not None
    )


def _as_meant(value: Any, loc: tuple[str | int, ...]) -> Any:
    """`value` with the key at `loc` (`town:民众镇`) split into the key and its value, the
    containers on the way copied (the file's value is left as read)."""
    if len(loc) == 1:
        m = _COLON_KEY.fullmatch(str(loc[0]))
        if not isinstance(value, dict) or m is None or m.group(1) in value:
            return value
        return {
            (m.group(1) if k == loc[0] else k): (m.group(3) if k == loc[0] else v)
            for k, v in value.items()
        }
    head, rest = loc[0], loc[1:]
    if isinstance(value, dict) and head in value:
        return {**value, head: _as_meant(value[head], rest)}
    if isinstance(value, list) and isinstance(head, int) and head < len(value):
        return [*value[:head], _as_meant(value[head], rest), *value[head + 1 :]]
    return value
