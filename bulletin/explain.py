"""The records behind a figure of `bulletin stats`, each with its file and line, and the
arithmetic that gives the figure.

The records and the figure both come from the period engine and the figure registry, so the
arithmetic cannot disagree with `stats`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from bulletin import figures, period, tables
from bulletin.errors import Msg, UsageError, display_path
from bulletin.i18n import t
from bulletin.models import YearMonth
from bulletin.records import Record
from bulletin.tables import Sheet, number_text, to_csv, to_xlsx
from bulletin.wording import list_text


@dataclass
class Explanation:
    figure: str
    first: YearMonth
    last: YearMonth
    total: float | int | None
    records: list[Record] = field(default_factory=list)
    parts: list[tuple[str, float | int]] = field(default_factory=list)  # (figure, value)
    distinct: list[str] = field(default_factory=list)  # towns or services, each counted once


def check_figure(name: str) -> str:
    """The key of the figure `name` names (its key or its Chinese name); else a UsageError
    with the closest key."""
    key = figures.resolve(name) if name.strip() else None
    if key is not None:
        return key
    from bulletin.validation import suggestion

    names = [*figures.all_keys(), *(f.zh for f in figures.FIGURES)]
    hint = suggestion(name, names, Msg("hint_figures"))
    raise UsageError(Msg("figure_unknown", {"value": name}), hint)


def _num(value: float | int) -> str:
    return number_text(value)


def explain(
    data_dir: Path,
    key: str,
    first: YearMonth | None = None,
    last: YearMonth | None = None,
    span: period.Span | None = None,
) -> Explanation:
    """Every record behind figure `key` over [first, last] (default: all months): the very
    records the engine adds up, so the total is the one `stats` prints."""
    key = check_figure(key)
    span = span or period.read(data_dir, last)
    first = first or span.found[0]
    last = last or span.last
    result = Explanation(key, first, last, span.total(key, first, last))
    fig = figures.BY_KEY[key]
    if fig.parts:
        for part in fig.parts:
            result.parts.append((part, span.total(part, first, last) or 0))
            result.records += span.records(part, first, last)
        return result
    result.records = behind(span, key, first, last)
    if fig.total == "distinct":
        result.distinct = [r.key for r in result.records]
    return result


def behind(
    span: period.Span,
    key: str,
    first: YearMonth,
    last: YearMonth,
    towns: list[str] | None = None,
    kind: str | None = None,
) -> list[Record]:
    """The records figure `key` is made of over [first, last], as `--explain` and the
    evaluation pack list them: a distinct figure's each town or service by its earliest
    record, any other figure's every record (of its parts, part by part)."""
    records = span.records(key, first, last, towns, kind)
    if figures.BY_KEY[key].total != "distinct":
        return records
    earliest: dict[str, Record] = {}
    for r in sorted(records, key=_when):
        earliest.setdefault(r.key, r)
    return list(earliest.values())


def _when(r: Record) -> date:
    return r.date or date(r.month.year, r.month.month, 1)


def _total(ex: Explanation) -> str:
    """The figure as the tables print it: 159, 95.8%, or - when there is none."""
    return "-" if ex.total is None else tables.cell_text(tables.figure_cell(ex.figure, ex.total))


def arithmetic(ex: Explanation, lang: str = "en") -> str:
    """How the records make the figure, e.g. '159 = 134 + 14 + 11', or for a rate '50% =
    10 ÷ 20 × 100%': the satisfied answers of all questionnaires over all their responses."""
    total = _total(ex)
    if figures.is_rate(ex.figure):
        return _rate_arithmetic(ex, total, lang)
    if ex.parts:
        return f"{total} = " + " + ".join(_num(v) for _k, v in ex.parts)
    if ex.distinct:
        names = list_text(ex.distinct)
        key = "explain_distinct" if ex.figure == "towns" else "explain_distinct_services"
        return f"{total} = " + t(key, lang, n=len(ex.distinct), towns=names)
    if not ex.records:
        return f"{total} = 0"
    months: dict[YearMonth, float | int] = {}
    for r in ex.records:
        months[r.month] = months.get(r.month, 0) + r.value
    if len(months) > 1 or len(ex.records) > 30:  # over several months: month by month
        return f"{total} = " + " + ".join(_num(v) for v in months.values())
    if all(r.value == 1 for r in ex.records):
        return f"{total} = {len(ex.records)} × 1"
    return f"{total} = " + " + ".join(_num(r.value) for r in ex.records)


def _rate_arithmetic(ex: Explanation, total: str, lang: str) -> str:
    """'50% = 10 ÷ 20 × 100%', then each questionnaire's (or, over several months or many
    records, each month's) satisfied answers of its responses."""
    if not ex.records:
        return t("explain_rate_none", lang)
    pairs: dict[object, list[float | int]] = {}
    many = len({r.month for r in ex.records}) > 1 or len(ex.records) > 30
    for n, r in enumerate(ex.records):
        pair = pairs.setdefault(r.month if many else n, [0, 0])
        pair[0] += r.part
        pair[1] += r.value
    satisfied = sum(r.part for r in ex.records)
    responses = sum(r.value for r in ex.records)
    each = " + ".join(f"{_num(s)}/{_num(n)}" for s, n in pairs.values())
    key = "explain_rate_months" if many else "explain_rate"
    return t(
        key,
        lang,
        total=total,
        satisfied=_num(satisfied),
        responses=_num(responses),
        each=each,
    )


def _where(r: Record) -> str:
    return f"{_shown(r.file)}:{r.line}"


@lru_cache(maxsize=256)
def _shown(file: Path) -> str:
    """A record's file as messages show it (one per month and kind: worked out once)."""
    return display_path(file)


def lines(ex: Explanation, lang: str) -> list[str]:
    """The explanation as text: a title, the records (grouped by part), the arithmetic."""
    total = _total(ex)
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
    groups = [(k, [r for r in ex.records if r.figure == k]) for k, _v in ex.parts] or [
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
                "file": _shown(r.file),
                "line": r.line,
                "month": str(r.month),
                "text": r.text,
                "value": r.value,
                **({"part": r.figure} if ex.parts else {}),
                **({"satisfied": r.part} if figures.is_rate(ex.figure) else {}),
            }
            for r in ex.records
        ],
        "arithmetic": arithmetic(ex),
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def sheet(ex: Explanation, lang: str) -> Sheet:
    """The records as a table: file, line, month, record, value (and the part they count in)."""
    heads = t("explain_headers", lang).split("|")
    rows = [[_shown(r.file), r.line, str(r.month), r.text, r.value] for r in ex.records]
    if ex.parts:  # the part each record counts in, by the figure's name
        rows = [
            [*row, figures.label(r.figure, lang)] for row, r in zip(rows, ex.records, strict=True)
        ]
    else:
        heads = heads[:-1]
    total = tables.figure_cell(ex.figure, ex.total)
    totals = [t("stats_total", lang), "", "", arithmetic(ex, lang), total]
    # the sheet's tab named as the figure is in the bulletin; the records' text wraps
    return Sheet(figures.label(ex.figure, lang), heads, rows, totals[: len(heads)], {3: 60})


def export(ex: Explanation, kind: str, lang: str) -> str | bytes:
    """The explanation as `kind`: table (text lines), csv, json or xlsx."""
    if kind == "table":
        return "\n".join(lines(ex, lang)) + "\n"
    if kind == "json":
        return to_json(ex).encode("utf-8")
    if kind == "csv":
        return to_csv(sheet(ex, lang))
    return to_xlsx([sheet(ex, lang)], ex.last)
