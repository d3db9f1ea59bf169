"""The figure registry: every figure the tool reports over months, defined once.

A figure has a stable key (the JSON export's column, the `figure:` of a contract indicator),
a name in each language (the Chinese name is accepted wherever a key is), how a range's total
is made, the restrictions it takes, and the records it counts. Each month's value and each
range's total is made from those records by `value`, so `stats`, `progress`, the ledger's
totals, the report, the bulletin's indicator table and `--explain` cannot disagree: they all
read the records (`bulletin.records`) through the period engine (`bulletin.period`).

How a total is made:
  sum       the records' values added up
  known     added up over the months that give the figure (null when none does)
  distinct  what the records name (towns, services), each counted once over the range
  rate      a per cent of the records pooled: what they count in (a questionnaire's satisfied
            answers) over their values added up (its responses), never an average of the
            months' or the records' rates; null when no record counts

A module of its own, importing no other module of the package at load time, so that the data
models can check an indicator's `figure:` without importing the engine.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Figure:
    key: str
    en: str
    zh: str
    total: str  # sum | known | distinct | rate
    restrict: tuple[str, ...] = ()  # restrictions an indicator may add: towns, kind
    parts: tuple[str, ...] = ()  # a figure made of others: their sum
    needs_plan: bool = False  # known only in a month whose previous month has a folder
    source: str = ""  # counts the records of another figure (visits by mode, towns visited)
    mode: str | None = None  # only the records of this visit mode
    evidenced: bool = False  # its records may list evidence files (README, "Evaluation evidence")

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


PHONE, HOME = "电访", "走访"  # the visit modes of visits.yaml

FIGURES: tuple[Figure, ...] = (
    Figure("visits", "households visited", "探访户数", "sum", ("towns",), evidenced=True),
    Figure("phone_visits", "by phone", "电访", "sum", ("towns",), source="visits", mode=PHONE),
    Figure("home_visits", "in person", "走访", "sum", ("towns",), source="visits", mode=HOME),
    Figure("towns", "towns reached", "覆盖镇区", "distinct", source="visits"),
    Figure("wishes_collected", "wishes collected", "收集心愿", "sum", ("towns",), evidenced=True),
    Figure("wishes_fulfilled", "wishes fulfilled", "完成心愿", "sum", ("towns",), evidenced=True),
    Figure(
        "activity_sessions",
        "activity sessions (场次)",
        "活动场次",
        "sum",
        ("kind",),
        evidenced=True,
    ),
    Figure(
        "activity_participants",
        "activity participants (人次)",
        "活动人次",
        "sum",
        ("kind",),
        evidenced=True,
    ),
    Figure("services", "ongoing services", "持续服务", "distinct"),
    Figure("counselling_people", "people counselled", "咨询人数", "sum"),
    Figure("counselling_sessions", "counselling sessions", "咨询次数", "known"),
    Figure("counselling_hours", "counselling hours", "咨询小时", "sum"),
    Figure(
        "people_served",
        "people served (人次)",
        "服务人次",
        "sum",
        parts=("activity_participants", "visits", "counselling_people"),
    ),
    Figure(
        "satisfaction_responses",
        "questionnaires returned",
        "问卷份数",
        "sum",
        ("kind",),
        evidenced=True,
    ),
    Figure(
        "satisfaction", "satisfaction", "满意度", "rate", ("kind",), source="satisfaction_responses"
    ),
    Figure("planned", "plan rows for next month", "下月计划行数", "sum"),
    Figure("plan_done", "last month's plan items done", "上月计划完成项", "known", needs_plan=True),
    Figure("plan_items", "last month's plan items", "上月计划项", "known", needs_plan=True),
)
BY_KEY: dict[str, Figure] = {f.key: f for f in FIGURES}
# Keys and Chinese names, both accepted wherever a figure is named.
_NAMES: dict[str, str] = {**{f.zh: f.key for f in FIGURES}, **{f.key: f.key for f in FIGURES}}


def all_keys() -> list[str]:
    """Every figure's key, in the order of the stats table."""
    return [f.key for f in FIGURES]


def resolve(name: str) -> str | None:
    """The key of the figure `name` names (its key or its Chinese name), or None."""
    text = name.strip()
    return _NAMES.get(text) or _NAMES.get(text.lower())


def label(key: str, lang: str) -> str:
    """The figure's header, e.g. 探访户数 for visits."""
    return BY_KEY[key].label(lang)


def restrictable(restriction: str) -> list[str]:
    """The figures that take `restriction` (towns or kind)."""
    return [f.key for f in FIGURES if restriction in f.restrict]


def base_keys(key: str) -> tuple[str, ...]:
    """The figures whose records make `key`: its parts, or itself."""
    return BY_KEY[key].parts or (key,)


def is_rate(key: str) -> bool:
    """Whether figure `key` is a per cent (printed 95.8%, never added up over months)."""
    return BY_KEY[key].total == "rate"


def rate(part: float | int, whole: float | int) -> float | None:
    """`part` as a per cent of `whole`, by the per-cent rule of every output (one decimal, a
    half up); None when `whole` is 0."""
    from bulletin.numbers import percent  # the per-cent rule, a module of no imports

    return percent(part, whole) if whole else None


def value(key: str, records: Iterable[Any]) -> float | int | None:
    """The figure `key` made of `records` (records.Record, of that figure or of its parts);
    None for a rate no record counts in."""
    fig = BY_KEY[key]
    if fig.total == "distinct":
        return len({r.key for r in records})
    if fig.total == "rate":
        pooled = list(records)
        return rate(sum(r.part for r in pooled), sum(r.value for r in pooled))
    total = sum(r.value for r in records)
    return round(total, 2) if isinstance(total, float) else total
