"""Totals across months, from the same summaries the bulletin prints.

Months are read one at a time and reduced to a row of figures, so memory does not grow
with the number of months. Nothing here counts records itself: every figure comes from
`summary.summarize`.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bulletin import figures, period, tables
from bulletin.errors import BuildError, BulletinError, Msg
from bulletin.i18n import t
from bulletin.loader import list_months, load_month
from bulletin.models import YearMonth
from bulletin.plans import PlanReport
from bulletin.wording import list_text

# Breakdown columns: JSON key -> the catalogue key of its header.
BREAKDOWN_HEADERS: dict[str, str] = {
    "town": "stats_column_town",
    "topic": "stats_column_topic",
    "kind": "stats_column_kind",
    "visits": "stats_column_visits",
    "people": "stats_column_people",
    "activities": "stats_column_activities",
    "sessions": "stats_column_sessions",
    "participants": "stats_column_participants",
    "satisfaction_responses": "stats_column_satisfaction_responses",
    "satisfaction": "stats_column_satisfaction",
}
BREAKDOWN_SHEETS = {
    "town": "stats_sheet_town",
    "topic": "stats_sheet_topic",
    "activity": "stats_sheet_activity",
}
# The notes of the JSON document (in English, as the rest of its keys).
JSON_NOTES = {
    "towns": "stats_note_towns",
    "services": "stats_note_services",
    "people_served": "stats_note_people_served",
    "counselling_sessions": "stats_note_counselling_sessions",
    "wishes_fulfilled": "stats_note_wishes_fulfilled",
    "satisfaction": "stats_note_satisfaction",
}


@dataclass
class MonthFigures:
    month: YearMonth
    present: bool  # the month has data (a month with invalid data stops stats instead)
    values: dict[str, float | int | None] = field(default_factory=dict)


@dataclass
class Stats:
    """Per-month figures, their totals and an optional breakdown, for a range of months."""

    first: YearMonth
    last: YearMonth
    months: list[MonthFigures]
    total: dict[str, float | int | None]
    by: str | None = None
    breakdown: list[dict[str, Any]] = field(default_factory=list)


def _span(first: YearMonth, last: YearMonth) -> str:
    return str(first) if first == last else f"{first} – {last}"


def collect(
    data_dir: Path,
    first: YearMonth | None = None,
    last: YearMonth | None = None,
    by: str | None = None,
) -> Stats:
    """Totals per month and overall for [first, last] (default: every month in the data).
    Raises DataError with every problem if any month read is invalid."""
    return figures_of(period.read(data_dir, last, totals_only=True), first, last, by)


def figures_of(
    span: period.Span,
    first: YearMonth | None = None,
    last: YearMonth | None = None,
    by: str | None = None,
) -> Stats:
    """Every figure of the registry per month and over [first, last], from months read once."""
    # Months before the project's first issue are outside it: not listed, not "missing".
    first = max(first or span.found[0], span.start)
    last = last or span.last
    rows = []
    for month in span.months(first, last):
        present = span.present(month)
        values = {k: span.month_value(k, month) for k in figures.all_keys()}
        if not present:  # only what counts in a month without a folder (wishes fulfilled)
            values = {k: v for k, v in values.items() if v}
        rows.append(MonthFigures(month, present, values))
    total = {k: span.total(k, first, last) for k in figures.all_keys()}
    return Stats(first, last, rows, total, by, _breakdown(span, first, last, by))


def require_data(stats: Stats, data_dir: Path) -> Stats:
    """`stats` itself, or an error naming the months with data when no month in its range
    has any (a report of empty months would read as a year of zeros)."""
    if not any(r.present for r in stats.months):
        found = list_months(data_dir)
        raise BulletinError(
            Msg("stats_no_data", {"first": stats.first, "last": stats.last}),
            Msg("hint_from_month", {"months": _span(found[0], found[-1])}),
        )
    return stats


def _breakdown(
    span: period.Span, first: YearMonth, last: YearMonth, by: str | None
) -> list[dict[str, Any]]:
    """The rows of `--by`, from the same records as the figures."""
    if by is None:
        return []
    counts: Counter[str] = Counter()
    if by == "town":
        for r in span.records("visits", first, last):
            counts[r.town or ""] += r.value
        return [{"town": k, "visits": counts[k]} for k in _order(counts)]
    if by == "topic":
        for r in span.records("counselling_people", first, last):
            for topic in r.topics:
                counts[topic] += r.value
        return [{"topic": k, "people": counts[k]} for k in _order(counts)]
    sessions: Counter[str] = Counter()
    groups: dict[str, set[str]] = {}
    for r in span.records("activity_participants", first, last):
        counts[r.kind or ""] += r.value
    for r in span.records("activity_sessions", first, last):
        sessions[r.kind or ""] += r.value  # a session each, or sessions folded into one
        groups.setdefault(r.kind or "", set()).add(r.group)
    asked: dict[str, list] = {}
    for r in span.records("satisfaction", first, last):
        asked.setdefault(r.kind or "", []).append(r)
    return [
        {
            "kind": k,
            "activities": len(groups.get(k, ())),
            "sessions": sessions[k],
            "participants": counts[k],
            # the kind's questionnaires: the rows a `kind:` indicator on them equals
            "satisfaction_responses": figures.value("satisfaction_responses", asked.get(k, [])),
            "satisfaction": figures.value("satisfaction", asked.get(k, [])),
        }
        for k in _order(counts)
    ]


def _order(counts: Counter[str]) -> list[str]:
    return sorted(counts, key=lambda k: (-counts[k], k))


# ---------------------------------------------------------------- output


def headers(lang: str) -> list[str]:
    """The figures' column headers in `lang`."""
    return [f.label(lang) for f in figures.FIGURES]


def breakdown_headers(stats: Stats, lang: str) -> list[str]:
    """The breakdown's column headers in `lang` (its JSON keys stay English)."""
    keys = list(stats.breakdown[0]) if stats.breakdown else [stats.by or ""]
    return [t(BREAKDOWN_HEADERS[k], lang) for k in keys]


def _missing(lang: str) -> str:
    return t("stats_missing", lang)


def table_rows(stats: Stats, lang: str) -> list[list[Any]]:
    """Rows for a table: month label, then every column; a month without data says so in
    its first column (and shows only the wishes fulfilled in it, if any)."""
    rows: list[list[Any]] = []
    for r in stats.months:
        values = [tables.figure_cell(k, r.values.get(k)) for k in figures.all_keys()]
        if not r.present:
            values[0] = _missing(lang)
        rows.append([str(r.month), *values])
    total = [tables.figure_cell(k, stats.total.get(k)) for k in figures.all_keys()]
    rows.append([t("stats_total", lang), *total])
    return rows


def to_text(stats: Stats, lang: str, width: int) -> str:
    """The terminal table: figures as rows, months as columns, in blocks that fit `width`
    columns, so no figure is ever cut; a legend says which totals are not sums."""
    if stats.by:
        return _text_breakdown(stats, lang)
    one_year = stats.first.year == stats.last.year
    labels = [(f"{r.month.month:02d}" if one_year else str(r.month)) for r in stats.months]
    labels.append(t("stats_total", lang))
    marks = {"distinct": "*", "known": "**", "rate": "***"}
    names = [f.label(lang) + marks.get(f.total, "") for f in figures.FIGURES]
    columns = [
        [
            tables.cell_text(tables.figure_cell(k, r.values.get(k)))
            if r.present or k in r.values
            else "-"
            for k in figures.all_keys()
        ]
        for r in stats.months
    ]
    columns.append(
        [tables.cell_text(tables.figure_cell(k, stats.total.get(k))) for k in figures.all_keys()]
    )
    head = max(tables.width(n) for n in names)
    widths = [
        max(tables.width(x) for x in [label, *col])
        for label, col in zip(labels, columns, strict=True)
    ]
    out = [_span(stats.first, stats.last)]
    i = 0
    while i < len(columns):
        room, j = width - head, i
        while j < len(columns) and (j == i or room >= widths[j] + 2):
            room -= widths[j] + 2
            j += 1
        out.append("")
        out.append(
            " " * head + "".join("  " + tables.pad(labels[k], widths[k], True) for k in range(i, j))
        )
        for n, name in enumerate(names):
            out.append(
                tables.pad(name, head)
                + "".join("  " + tables.pad(columns[k][n], widths[k], True) for k in range(i, j))
            )
        i = j
    out.append("")
    out += _legend(stats, lang, one_year)
    return "\n".join(line.rstrip() for line in out) + "\n"


def _legend(stats: Stats, lang: str, one_year: bool) -> list[str]:
    keys = ["stats_legend_not_sum", "stats_legend_known", "stats_legend_rate"]
    keys.append("stats_legend_missing")
    keys.append("stats_legend_served")
    lines = [t(k, lang) for k in keys]
    if one_year:
        lines.insert(0, t("stats_legend_year", lang, year=stats.first.year))
    return lines


def _text_breakdown(stats: Stats, lang: str) -> str:
    heads = breakdown_headers(stats, lang)
    rows = [
        [tables.cell_text(tables.figure_cell(k, v)) for k, v in row.items()]
        for row in stats.breakdown
    ]
    widths = [max(tables.width(x) for x in [h, *(r[i] for r in rows)]) for i, h in enumerate(heads)]
    out = [_span(stats.first, stats.last)]
    out.append(
        "  ".join(
            tables.pad(h, w, i > 0) for i, (h, w) in enumerate(zip(heads, widths, strict=True))
        )
    )
    for row in rows:
        out.append(
            "  ".join(
                tables.pad(c, w, i > 0) for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    if not rows:
        out.append(t("none", lang))
    return "\n".join(out) + "\n"


def to_json(stats: Stats) -> str:
    """A stable document: see README, "bulletin stats --format json"."""
    doc = {
        "format": "bulletin-stats/1",
        "from": str(stats.first),
        "to": str(stats.last),
        "columns": figures.all_keys(),
        "months": [
            {
                "month": str(r.month),
                "present": r.present,
                **r.values,  # every figure for a month with data (in the columns' order)
            }
            for r in stats.months
        ],
        "total": stats.total,
        "notes": {k: t(key, "en") for k, key in JSON_NOTES.items()},
    }
    if stats.by:
        doc["breakdown"] = {"by": stats.by, "rows": stats.breakdown}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def sheets(stats: Stats, lang: str) -> list[tables.Sheet]:
    """The figures (months as rows), then the breakdown if any, as tables."""
    rows = table_rows(stats, lang)
    main = tables.Sheet(
        t("stats_sheet", lang),
        [t("stats_month_column", lang), *headers(lang)],
        rows[:-1],
        rows[-1],
        freeze="B2",
        hours={1 + figures.all_keys().index("counselling_hours")},
    )
    if not stats.by:
        return [main]
    extra = tables.Sheet(
        t(BREAKDOWN_SHEETS[stats.by], lang),
        breakdown_headers(stats, lang),
        [[tables.figure_cell(k, v) for k, v in row.items()] for row in stats.breakdown],
    )
    return [main, extra]


def to_csv(stats: Stats, lang: str) -> bytes:
    """The figures, or the breakdown with --by, as CSV (see tables.to_csv)."""
    return tables.to_csv(sheets(stats, lang)[-1])


def to_xlsx(stats: Stats, lang: str) -> bytes:
    """A workbook: the figures, plus the breakdown with --by."""
    return tables.to_xlsx(sheets(stats, lang), stats.last)


def export(stats: Stats, kind: str, lang: str, width: int) -> str | bytes:
    """`stats` as `kind`: table (text for a terminal), csv, json or xlsx."""
    if kind == "table":
        return to_text(stats, lang, width)
    if kind == "xlsx":
        return to_xlsx(stats, lang)
    if kind == "csv":
        return to_csv(stats, lang)
    return to_json(stats).encode("utf-8")


CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "AR PL UMing CN",
    "Noto Sans CJK JP",
    # Windows (the .ttf ones come first: matplotlib reads only the first face of a .ttc)
    "DengXian",
    "KaiTi",
    "FangSong",
    "SimSun",
    # macOS
    "Hiragino Sans GB",
    "STHeiti",
    "Heiti TC",
    "Songti SC",
    "Arial Unicode MS",
)


# No program name or date in the file: the same data draw the same bytes.
_CHART_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
}


def to_chart(stats: Stats, fmt: str = "png") -> bytes:
    """Monthly bars of participants (人次) and counselling hours, labelled in Chinese, as
    png, svg or pdf."""
    from matplotlib import pyplot as plt

    fig = chart_figure(stats)
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=120, metadata=_CHART_METADATA[fmt])
    plt.close(fig)
    return buffer.getvalue()


def chart_figure(stats: Stats):
    """The chart's matplotlib figure: a bar per month in each panel; a month without data
    has no bar but 缺少数据 written upright in its slot of both panels, so a zero is not
    read as a month without service."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt
    from matplotlib.ticker import MaxNLocator

    from bulletin.prose import month_text  # the chart path only: prose imports jinja2

    names = {f.name for f in font_manager.fontManager.ttflist}
    font = next((f for f in CJK_FONTS if f in names), None)
    if font is None:
        raise BuildError(Msg("chart_no_font"), Msg("hint_cjk_font"))
    plt.rcParams["font.family"] = font
    plt.rcParams["svg.hashsalt"] = "bulletin"
    plt.rcParams["pdf.fonttype"] = 42  # embed TrueType, so the Chinese labels stay text
    rows = [r for r in stats.months]
    labels = [month_text(r.month) for r in rows]
    served = [r.values.get("people_served") or 0 for r in rows]
    hours = [r.values.get("counselling_hours") or 0 for r in rows]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(max(6, len(rows) * 0.6), 6), sharex=True)
    top.bar(labels, served, color="#c00000")
    top.set_title(t("chart_served", "zh"))
    top.set_ylabel(t("chart_served_unit", "zh"))
    bottom.bar(labels, hours, color="#1f4e79")
    bottom.set_title(t("chart_hours", "zh"))
    bottom.set_ylabel(t("chart_hours_unit", "zh"))
    for axes in (top, bottom):  # from nought up, a month of nothing included: no ticks below 0
        axes.set_ylim(0, max(axes.get_ylim()[1], 1))
    # 人次 are whole: no 0.5 on their axis
    top.yaxis.set_major_locator(MaxNLocator("auto", steps=[1, 2, 5, 10], integer=True))
    # Written down a column, one character a line: a month's slot is narrower than the words.
    no_data = "\n".join(t("stats_missing", "zh"))
    for r, x in zip(rows, labels, strict=True):
        if not r.present:
            for axes in (top, bottom):
                axes.annotate(
                    no_data,
                    (x, 0),
                    xytext=(0, 2),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=8,
                    linespacing=1.2,
                    color="gray",
                )
    plt.setp(bottom.get_xticklabels(), rotation=45, ha="right")
    fig.suptitle(t("chart_title", "zh", first=stats.first, last=stats.last))
    fig.tight_layout()
    return fig


def plan_report(data_dir: Path, month: YearMonth) -> PlanReport:
    """Compare the plan published with month-1 against what month records."""
    span = period.read(data_dir, month)
    if month <= span.project.first_month:
        raise BulletinError(
            Msg("plan_first_issue", {"month": month, "first": span.project.first_month})
        )
    for m in (month.prev(), month):
        if not span.present(m):
            load_month(span.project, data_dir, m)  # raises the missing month's message
    plan = span.views[month].plan
    assert plan is not None  # both months are present
    return plan


def _plan_rows(report: PlanReport, lang: str) -> list[list[str]]:
    """One row per plan item and unplanned activity: status, name, what carried it out."""
    done, not_done, extra = (t(k, lang) for k in ("plan_done", "plan_not_done", "plan_unplanned"))
    rows = [[done, item.name, list_text(names)] for item, names in report.done]
    rows += [[not_done, item.name, ""] for item in report.not_done]
    rows += [[extra, "", name] for name in report.unplanned]
    return rows


def plan_text(report: PlanReport, lang: str) -> str:
    """The follow-through as text: done, not done, done but not planned."""
    out = [t("plan_title", lang, prev=report.month.prev(), month=report.month)]
    sections = [
        ("plan_done", [f"✓ {i.name} ← {list_text(n)}" for i, n in report.done]),
        ("plan_not_done", [f"✗ {i.name}" for i in report.not_done]),
        ("plan_unplanned", [f"+ {n}" for n in report.unplanned]),
    ]
    for key, lines in sections:
        out += ["", f"{t(key, lang)}:", *(f"  {line}" for line in lines or [t("none", lang)])]
    return "\n".join(out) + "\n"


def plan_json(report: PlanReport) -> str:
    """The follow-through as a stable document (README, "stats --plan")."""
    doc = {
        "format": "bulletin-plan/1",
        "month": str(report.month),
        "plan_of": str(report.month.prev()),
        "done": [{"item": i.name, "matched": names} for i, names in report.done],
        "not_done": [i.name for i in report.not_done],
        "unplanned": report.unplanned,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def plan_sheet(report: PlanReport, lang: str) -> tables.Sheet:
    """The follow-through as a table, one row per item."""
    headers = t("plan_headers", lang).split("|")
    return tables.Sheet(t("plan_sheet", lang), headers, _plan_rows(report, lang))


def plan_csv(report: PlanReport, lang: str) -> bytes:
    return tables.to_csv(plan_sheet(report, lang))


def plan_xlsx(report: PlanReport, lang: str) -> bytes:
    return tables.to_xlsx([plan_sheet(report, lang)], report.month)


def plan_export(report: PlanReport, kind: str, lang: str) -> str | bytes:
    """The follow-through as `kind`: table, csv, json or xlsx."""
    if kind == "table":
        return plan_text(report, lang)
    if kind == "xlsx":
        return plan_xlsx(report, lang)
    if kind == "csv":
        return plan_csv(report, lang)
    return plan_json(report).encode("utf-8")
