"""The records behind a figure of `bulletin stats`, each with its file and line, and the
arithmetic that gives the figure.

The figure itself comes from `stats.collect`; the records listed here are the ones the
summary counts (tests assert that they add up to the same figure for every key).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bulletin import figures
from bulletin.errors import DataError, Msg, Problem, UsageError, display_path
from bulletin.i18n import t
from bulletin.loader import list_months, load_month, load_project
from bulletin.models import Month, YearMonth
from bulletin.stats import collect, follow_through


@dataclass(frozen=True)
class Record:
    """One record counted into a figure."""

    file: Path
    line: int
    month: YearMonth
    text: str
    value: float | int = 1
    part: str = ""  # for a figure made of others (people_served): the figure it belongs to


@dataclass
class Explanation:
    figure: str
    first: YearMonth
    last: YearMonth
    total: float | int | None
    records: list[Record] = field(default_factory=list)
    parts: list[tuple[str, float | int]] = field(default_factory=list)  # (figure, value)
    distinct: list[str] = field(default_factory=list)  # towns or services, each counted once


# Figures made of others: people_served = activity participants + visits + people counselled.
PARTS = {"people_served": ("activity_participants", "visits", "counselling_people")}


def check_figure(key: str) -> str:
    """`key` if it is a figure of stats; else a UsageError with the closest key."""
    if key in figures.all_keys():
        return key
    from bulletin.validation import suggestion

    hint = suggestion(key, figures.all_keys(), Msg("hint_figures"))
    raise UsageError(Msg("figure_unknown", {"value": key}), hint)


def _num(value: float | int) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _records(key: str, m: Month) -> Iterator[Record]:
    """The records of month `m` that the summary counts into figure `key` (for that month)."""

    def rec(name: str, path: tuple, text: str, value: float | int = 1) -> Record:
        return Record(m.folder / name, m.line(name, path), m.month, text, value)

    if key in ("visits", "phone_visits", "home_visits", "towns"):
        mode = {"phone_visits": "电访", "home_visits": "走访"}.get(key)
        for i, v in enumerate(m.visits):
            if mode is None or v.mode == mode:
                yield rec("visits.yaml", ("visits", i), f"{v.date} {v.name} {v.town} {v.mode}")
    elif key == "wishes_collected":
        for i, w in enumerate(m.wishes):
            yield rec("wishes.yaml", ("wishes", i), f"{w.name} {w.wish}")
    elif key == "activity_sessions":
        for i, a in enumerate(m.activities):
            for j, s in enumerate(a.sessions):
                yield rec(
                    "events.yaml", ("activities", i, "sessions", j), f"{a.name} {s.date} {s.venue}"
                )
    elif key == "activity_participants":
        for i, a in enumerate(m.activities):
            if a.participants is not None:
                path: tuple = ("activities", i, "participants")
                yield rec("events.yaml", path, a.name, a.participants)
                continue
            for j, s in enumerate(a.sessions):
                path = ("activities", i, "sessions", j, "participants")
                yield rec("events.yaml", path, f"{a.name} {s.date}", s.participants or 0)
    elif key == "services":
        for i, s in enumerate(m.services):
            yield rec("events.yaml", ("services", i), f"{s.name} {s.place}")
    elif key in ("counselling_people", "counselling_hours", "counselling_sessions"):
        attr = key.removeprefix("counselling_")
        for i, c in enumerate(m.consultations):
            value = getattr(c, attr)
            if value is not None:
                text = f"{c.counsellor} {c.channel}" + (f" {c.date}" if c.date else "")
                yield rec("consultations.yaml", ("consultations", i, attr), text, value)
    elif key == "planned":
        for i, p in enumerate(m.plans):
            for j, row in enumerate(p.rows):
                yield rec("plans.yaml", ("plans", i, "rows", j), f"{p.name} {row.target}")


def _months(data_dir: Path, first: YearMonth, last: YearMonth, before: bool) -> Iterator[Month]:
    """Valid months in [first, last] (with `before`, every month up to `last`)."""
    project = load_project(data_dir)
    problems: list[Problem] = []
    for month in list_months(data_dir):
        if month > last or (month < first and not before):
            continue
        try:
            yield load_month(project, data_dir, month)
        except DataError as exc:
            problems += exc.problems
    if problems:
        raise DataError(problems)


def explain(
    data_dir: Path, key: str, first: YearMonth | None = None, last: YearMonth | None = None
) -> Explanation:
    """Every record behind figure `key` over [first, last] (default: all months)."""
    check_figure(key)
    stats = collect(data_dir, first, last)
    result = Explanation(key, stats.first, stats.last, stats.total.get(key))
    first, last = stats.first, stats.last
    if key in PARTS:
        for part in PARTS[key]:
            inner = explain(data_dir, part, first, last)
            result.parts.append((part, inner.total or 0))
            result.records += [
                Record(r.file, r.line, r.month, r.text, r.value, part) for r in inner.records
            ]
        return result
    if key == "wishes_fulfilled":
        for m in _months(data_dir, first, last, before=True):
            for i, w in enumerate(m.wishes):
                if w.fulfilled and first <= YearMonth(w.fulfilled.year, w.fulfilled.month) <= last:
                    line = m.line("wishes.yaml", ("wishes", i, "fulfilled"))
                    text = f"{w.name} {w.wish} {w.fulfilled}"
                    result.records.append(Record(m.folder / "wishes.yaml", line, m.month, text))
        return result
    if key in ("plan_done", "plan_items"):
        previous: Month | None = None
        for m in _months(data_dir, first.prev(), last, before=False):
            if previous is not None and previous.month == m.month.prev() and m.month >= first:
                report = follow_through(previous.plans, _summary(data_dir, m))
                done = {id(item): names for item, names in report.done}
                for i, item in enumerate(previous.plans):
                    if key == "plan_done" and id(item) not in done:
                        continue
                    text = item.name + (
                        f" ← {'、'.join(done[id(item)])}" if id(item) in done else ""
                    )
                    line = previous.line("plans.yaml", ("plans", i))
                    result.records.append(
                        Record(previous.folder / "plans.yaml", line, m.month, text)
                    )
            previous = m
        return result
    for m in _months(data_dir, first, last, before=False):
        records = list(_records(key, m))
        if key in ("towns", "services"):  # the first visit to each town, listing of a service
            names = [v.town for v in m.visits] if key == "towns" else [s.name for s in m.services]
            for name, r in zip(names, records, strict=True):
                if name not in result.distinct:
                    result.distinct.append(name)
                    result.records.append(r)
            continue
        result.records += records
    return result


def _summary(data_dir: Path, month: Month):
    from bulletin.summary import summarize

    return summarize(load_project(data_dir), month, keep_rows=False)


def arithmetic(ex: Explanation, lang: str = "en") -> str:
    """How the records make the figure, e.g. '159 = 134 + 14 + 11'."""
    total = "-" if ex.total is None else _num(ex.total)
    if ex.parts:
        return f"{total} = " + " + ".join(_num(v) for _k, v in ex.parts)
    if ex.distinct:
        names = "、".join(ex.distinct)
        key = "explain_distinct" if ex.figure == "towns" else "explain_distinct_services"
        return f"{total} = " + t(key, lang, n=len(ex.distinct), towns=names)
    if not ex.records:
        return f"{total} = 0"
    if all(r.value == 1 for r in ex.records) or len(ex.records) > 30:
        months: dict[YearMonth, float | int] = {}
        for r in ex.records:
            months[r.month] = months.get(r.month, 0) + r.value
        terms = [_num(round(v, 2) if isinstance(v, float) else v) for v in months.values()]
        if len(terms) == 1 and all(r.value == 1 for r in ex.records):
            return f"{total} = {len(ex.records)} × 1"
        return f"{total} = " + " + ".join(terms)
    return f"{total} = " + " + ".join(_num(r.value) for r in ex.records)


def _where(r: Record) -> str:
    return f"{display_path(r.file)}:{r.line}"


def lines(ex: Explanation, lang: str) -> list[str]:
    """The explanation as text: a title, the records (grouped by part), the arithmetic."""
    total = "-" if ex.total is None else _num(ex.total)
    out = [
        t(
            "explain_title",
            lang,
            figure=ex.figure,
            label=figures.label(ex.figure, lang),
            first=ex.first,
            last=ex.last,
            total=total,
        )
    ]
    groups = [(k, [r for r in ex.records if r.part == k]) for k, _v in ex.parts] or [
        ("", ex.records)
    ]
    for part, records in groups:
        if part:
            value = dict(ex.parts)[part]
            label = figures.label(part, lang)
            out.append(t("explain_part", lang, figure=part, label=label, value=_num(value)))
        for r in records:
            out.append(f"  {_where(r)}  {r.text}  {_num(r.value)}")
        if not records:
            out.append("  " + t("none", lang))
    out.append(arithmetic(ex, lang))
    return out


def to_json(ex: Explanation) -> str:
    """A stable document: see README, "bulletin stats --explain"."""
    doc = {
        "format": "bulletin-explain/1",
        "figure": ex.figure,
        "from": str(ex.first),
        "to": str(ex.last),
        "total": ex.total,
        "parts": dict(ex.parts),
        "records": [
            {
                "file": display_path(r.file),
                "line": r.line,
                "month": str(r.month),
                "text": r.text,
                "value": r.value,
                **({"part": r.part} if r.part else {}),
            }
            for r in ex.records
        ],
        "arithmetic": arithmetic(ex),
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
