"""Totals across months, from the same summaries the bulletin prints.

Months are read one at a time and reduced to a row of figures, so memory does not grow
with the number of months. Nothing here counts records itself: every figure comes from
`summary.summarize`.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bulletin.errors import BuildError, BulletinError, DataError, Msg, Problem
from bulletin.figures import COLUMNS
from bulletin.i18n import t
from bulletin.loader import latest_month, list_months, load_month, load_project
from bulletin.models import PlanItem, YearMonth
from bulletin.summary import Summary, summarize

# Breakdown columns: JSON key -> (English header, Chinese header).
BREAKDOWN_HEADERS: dict[str, tuple[str, str]] = {
    "town": ("town", "镇区"),
    "topic": ("topic", "问题类型"),
    "kind": ("activity kind", "活动类别"),
    "visits": ("households visited", "探访户数"),
    "people": ("people counselled", "咨询人数"),
    "activities": ("activities", "活动数"),
    "sessions": ("sessions (场次)", "场次"),
    "participants": ("participants (人次)", "人次"),
}
BREAKDOWN_SHEETS = {
    "town": ("by town", "按镇区"),
    "topic": ("by topic", "按问题类型"),
    "activity": ("by activity kind", "按活动类别"),
}


@dataclass
class MonthFigures:
    month: YearMonth
    present: bool  # the month has data (a month with invalid data stops stats instead)
    values: dict[str, float | int | None] = field(default_factory=dict)
    towns: frozenset[str] = frozenset()
    services: frozenset[str] = frozenset()


@dataclass
class Stats:
    """Per-month figures, their totals and an optional breakdown, for a range of months."""

    first: YearMonth
    last: YearMonth
    months: list[MonthFigures]
    total: dict[str, float | int | None]
    by: str | None = None
    breakdown: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class PlanReport:
    """How month M carried out the plan published with month M-1."""

    month: YearMonth
    done: list[tuple[PlanItem, list[str]]]  # plan item, names of what matched it
    not_done: list[PlanItem]
    unplanned: list[str]


def _norm(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum()).lower()


def plan_matches(
    item: PlanItem, name: str, ident: str | None = None, plan: str | None = None
) -> bool:
    """Whether an activity or ongoing service (its name, id and `plan:`) carries out a plan
    item: by the explicit `plan:`, by id, or by name, ignoring punctuation and spaces. The one
    rule for `bulletin new`, the bulletin and `stats --plan`."""
    keys = {_norm(item.name)} | ({_norm(item.id)} if item.id else set())
    return bool(
        (plan and _norm(plan) in keys) or (ident and _norm(ident) in keys) or _norm(name) in keys
    )


def service_carries_out(item: PlanItem, service: str) -> bool:
    """Whether an ongoing service carries out a plan item: the item names it with `service:`,
    or the service matches it as an activity would (by name or id)."""
    named = item.service is not None and _norm(item.service) == _norm(service)
    return named or plan_matches(item, service)


def follow_through(plans: list[PlanItem], summary: Summary) -> PlanReport:
    """Match last month's plan items to this month's activities (an explicit `plan:` on the
    activity, id, or name, ignoring punctuation and spaces) and ongoing services (the plan
    item's `service:`, or name)."""
    done: list[tuple[PlanItem, list[str]]] = []
    not_done: list[PlanItem] = []
    used: set[str] = set()
    for item in plans:
        matched = [
            a.name for a in summary.activities if plan_matches(item, a.name, a.id, a.plan)
        ] + [s.name for s in summary.services if service_carries_out(item, s.name)]
        if matched:
            done.append((item, matched))
            used.update(matched)
        else:
            not_done.append(item)
    unplanned = [a.name for a in summary.activities if a.name not in used]
    return PlanReport(summary.month, done, not_done, unplanned)


def _figures(summary: Summary, plan: PlanReport | None, fulfilled: int) -> MonthFigures:
    c = summary.counselling
    values: dict[str, float | int | None] = {
        "visits": summary.visits.households,
        "phone_visits": summary.visits.by_mode.get("电访", 0),
        "home_visits": summary.visits.by_mode.get("走访", 0),
        "towns": len(summary.visits.by_town),
        "wishes_collected": summary.wishes.collected,
        "wishes_fulfilled": fulfilled,
        "activity_sessions": summary.activity_sessions,
        "activity_participants": summary.activity_participants,
        "services": len(summary.services),
        "counselling_people": c.people,
        "counselling_sessions": c.sessions_given,
        "counselling_hours": c.hours,
        "people_served": summary.people_served,
        "planned": summary.plan_rows,
        "plan_done": len(plan.done) if plan else None,
        "plan_items": len(plan.done) + len(plan.not_done) if plan else None,
    }
    return MonthFigures(
        summary.month,
        True,
        values,
        frozenset(summary.visits.by_town),
        frozenset(s.name for s in summary.services),
    )


def _span(first: YearMonth, last: YearMonth) -> str:
    return str(first) if first == last else f"{first} – {last}"


def _range(first: YearMonth, last: YearMonth) -> list[YearMonth]:
    months, m = [], first
    while m <= last:
        months.append(m)
        m = m.next()
    return months


def collect(
    data_dir: Path,
    first: YearMonth | None = None,
    last: YearMonth | None = None,
    by: str | None = None,
) -> Stats:
    """Totals per month and overall for [first, last] (default: every month in the data).
    Raises DataError with every problem if any month in the range is invalid."""
    project = load_project(data_dir)
    latest_month(data_dir)  # an error when there is no month at all
    found = list_months(data_dir)
    first = first or found[0]
    last = last or found[-1]
    fulfilled_by_month: Counter[YearMonth] = Counter()
    problems: list[Problem] = []
    rows: list[MonthFigures] = []
    breakdown: Counter[str] = Counter()
    extra: dict[str, Counter[str]] = {"sessions": Counter(), "activities": Counter()}
    previous_plans: dict[YearMonth, list[PlanItem]] = {}
    # Months before the range are read too: their wishes may be fulfilled inside it.
    to_read = [m for m in found if m <= last]
    for month in to_read:
        try:
            data = load_month(project, data_dir, month)
        except DataError as exc:
            problems += exc.problems
            continue
        summary = summarize(project, data, keep_rows=False)
        for day in summary.fulfilled_wishes:
            fulfilled_by_month[YearMonth(day.year, day.month)] += 1
        previous_plans[month] = list(summary.plans)
        previous_plans.pop(month.prev().prev(), None)  # keep one month of look-back
        if month < first:
            continue
        if by == "town":
            breakdown.update(summary.visits.by_town)
        elif by == "topic":
            breakdown.update(summary.counselling.by_topic)
        elif by == "activity":
            for a in summary.activities:
                breakdown[a.kind] += a.participants
                extra["sessions"][a.kind] += a.sessions
                extra["activities"][a.kind] += 1
        plans_before = previous_plans.get(month.prev())
        plan = follow_through(plans_before, summary) if plans_before is not None else None
        rows.append(_figures(summary, plan, 0))  # wishes fulfilled are filled in below
    if problems:
        raise DataError(problems)
    by_month = {r.month: r for r in rows}
    result = []
    for month in _range(first, last):
        row = by_month.get(month)
        if row is None:
            # A wish fulfilled in a month without a folder still counts in that month.
            row = MonthFigures(month, False)
            if fulfilled_by_month.get(month):
                row.values["wishes_fulfilled"] = fulfilled_by_month[month]
            result.append(row)
            continue
        row.values["wishes_fulfilled"] = fulfilled_by_month.get(month, 0)
        result.append(row)
    return Stats(first, last, result, _total(result), by, _breakdown(by, breakdown, extra))


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


def _total(rows: list[MonthFigures]) -> dict[str, float | int | None]:
    total: dict[str, float | int | None] = {}
    for key, _en, _zh, how in COLUMNS:
        known = [v for r in rows if (v := r.values.get(key)) is not None]
        if how == "towns":
            total[key] = len(frozenset().union(*(r.towns for r in rows)))
        elif how == "services":
            total[key] = len(frozenset().union(*(r.services for r in rows)))
        elif key == "counselling_hours":
            total[key] = round(sum(known), 2)
        else:
            total[key] = sum(known) if known or how == "sum" else None
    return total


def _breakdown(
    by: str | None, counts: Counter[str], extra: dict[str, Counter[str]]
) -> list[dict[str, Any]]:
    if by is None:
        return []
    order = sorted(counts, key=lambda k: (-counts[k], k))
    if by == "town":
        return [{"town": k, "visits": counts[k]} for k in order]
    if by == "topic":
        return [{"topic": k, "people": counts[k]} for k in order]
    return [
        {
            "kind": k,
            "activities": extra["activities"][k],
            "sessions": extra["sessions"][k],
            "participants": counts[k],
        }
        for k in order
    ]


# ---------------------------------------------------------------- output


def headers(lang: str) -> list[str]:
    """The figures' column headers in `lang`."""
    return [zh if lang == "zh" else en for _k, en, zh, _h in COLUMNS]


def breakdown_headers(stats: Stats, lang: str) -> list[str]:
    """The breakdown's column headers in `lang` (its JSON keys stay English)."""
    keys = list(stats.breakdown[0]) if stats.breakdown else [stats.by or ""]
    pick = 1 if lang == "zh" else 0
    return [BREAKDOWN_HEADERS.get(k, (k, k))[pick] for k in keys]


def _missing(lang: str) -> str:
    return t("stats_missing", lang)


def table_rows(stats: Stats, lang: str) -> list[list[Any]]:
    """Rows for a table: month label, then every column; a month without data says so in
    its first column (and shows only the wishes fulfilled in it, if any)."""
    rows: list[list[Any]] = []
    for r in stats.months:
        values = [r.values.get(k) for k, *_ in COLUMNS]
        if not r.present:
            values[0] = _missing(lang)
        rows.append([str(r.month), *values])
    rows.append([t("stats_total", lang), *(stats.total.get(k) for k, *_ in COLUMNS)])
    return rows


def _width(text: str) -> int:
    """Columns `text` takes on a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    space = " " * (width - _width(text))
    return space + text if right else text + space


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def to_text(stats: Stats, lang: str, width: int = 80) -> str:
    """The terminal table: figures as rows, months as columns, in blocks that fit `width`
    columns, so no figure is ever cut; a legend says which totals are not sums."""
    if stats.by:
        return _text_breakdown(stats, lang)
    one_year = stats.first.year == stats.last.year
    labels = [(f"{r.month.month:02d}" if one_year else str(r.month)) for r in stats.months]
    labels.append(t("stats_total", lang))
    marks = {"towns": "*", "services": "*", "known": "**"}
    names = [h + marks.get(c[3], "") for h, c in zip(headers(lang), COLUMNS, strict=True)]
    columns = [
        [_cell(r.values.get(k)) if r.present or k in r.values else "-" for k, *_ in COLUMNS]
        for r in stats.months
    ]
    columns.append([_cell(stats.total.get(k)) for k, *_ in COLUMNS])
    head = max(_width(n) for n in names)
    widths = [
        max(_width(x) for x in [label, *col]) for label, col in zip(labels, columns, strict=True)
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
            _pad("", head, False)
            + "".join("  " + _pad(labels[k], widths[k], True) for k in range(i, j))
        )
        for n, name in enumerate(names):
            out.append(
                _pad(name, head, False)
                + "".join("  " + _pad(columns[k][n], widths[k], True) for k in range(i, j))
            )
        i = j
    out.append("")
    out += _legend(stats, lang, one_year)
    return "\n".join(line.rstrip() for line in out) + "\n"


def _legend(stats: Stats, lang: str, one_year: bool) -> list[str]:
    keys = ["stats_legend_not_sum", "stats_legend_known", "stats_legend_missing"]
    keys.append("stats_legend_served")
    lines = [t(k, lang) for k in keys]
    if one_year:
        lines.insert(0, t("stats_legend_year", lang, year=stats.first.year))
    return lines


def _text_breakdown(stats: Stats, lang: str) -> str:
    heads = breakdown_headers(stats, lang)
    rows = [[_cell(v) for v in row.values()] for row in stats.breakdown]
    widths = [max(_width(x) for x in [h, *(r[i] for r in rows)]) for i, h in enumerate(heads)]
    out = [_span(stats.first, stats.last)]
    out.append(
        "  ".join(_pad(h, w, i > 0) for i, (h, w) in enumerate(zip(heads, widths, strict=True)))
    )
    for row in rows:
        out.append(
            "  ".join(_pad(c, w, i > 0) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
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
        "columns": [k for k, *_ in COLUMNS],
        "months": [
            {
                "month": str(r.month),
                "present": r.present,
                **({k: r.values.get(k) for k, *_ in COLUMNS} if r.present else r.values),
            }
            for r in stats.months
        ],
        "total": stats.total,
        "notes": {
            "towns": "distinct towns reached over the range, not a sum",
            "services": "distinct ongoing services (by name) over the range, not a sum",
            "people_served": "activity participants + households visited + people counselled (人次)",
            "counselling_sessions": "sum over the lines that give a number of sessions; "
            "null when no line does",
            "wishes_fulfilled": "counted in the month of the fulfilled date, also a month "
            "without a folder",
        },
    }
    if stats.by:
        doc["breakdown"] = {"by": stats.by, "rows": stats.breakdown}
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def to_csv(stats: Stats, lang: str) -> bytes:
    """CSV that Excel opens with Chinese intact: UTF-8 with a BOM, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if stats.by:
        writer.writerow(breakdown_headers(stats, lang))
        for row in stats.breakdown:
            writer.writerow(list(row.values()))
    else:
        writer.writerow(["月份" if lang == "zh" else "month", *headers(lang)])
        for row in table_rows(stats, lang):
            writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(stats: Stats, lang: str) -> bytes:
    """A workbook with a header row and typed number cells (one sheet, plus the breakdown)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "统计" if lang == "zh" else "stats"
    ws.append(["月份" if lang == "zh" else "month", *headers(lang)])
    for row in table_rows(stats, lang):
        ws.append(row)
    hours = 1 + next(i for i, (k, *_) in enumerate(COLUMNS, 1) if k == "counselling_hours")
    _style_sheet(ws, hours_column=hours)
    if stats.by:
        sheet = wb.create_sheet(BREAKDOWN_SHEETS[stats.by][1 if lang == "zh" else 0])
        sheet.append(breakdown_headers(stats, lang))
        for row in stats.breakdown:
            sheet.append(list(row.values()))
        _style_sheet(sheet)
    from bulletin.tables import workbook_bytes

    return workbook_bytes(wb, stats.last)


def _style_sheet(ws, hours_column: int | None = None) -> None:
    """Bold frozen header row and first column, widths from the content, hours as 0.0#."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "B2"
    for i, column in enumerate(ws.iter_cols(), 1):
        widest = max(_width(_cell(c.value)) for c in column)
        ws.column_dimensions[get_column_letter(i)].width = widest + 2
        if i == hours_column:
            for c in column[1:]:
                c.number_format = "0.0#"


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


# Written down a column, one character a line: a month's slot is narrower than the words.
NO_DATA_LABEL = "\n".join("缺少数据")


def to_chart(stats: Stats, fmt: str = "png") -> bytes:
    """Monthly bars of participants (人次) and counselling hours, labelled in Chinese, as
    png, svg or pdf."""
    from matplotlib import pyplot as plt

    fig = chart_figure(stats)
    buffer = io.BytesIO()
    metadata = {"Creator": None, "Producer": None, "CreationDate": None} if fmt == "pdf" else {}
    if fmt == "svg":
        metadata = {"Date": None}
    if fmt == "png":
        metadata = {"Software": None}
    fig.savefig(buffer, format=fmt, dpi=120, metadata=metadata)
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
    top.set_title("每月服务人次")
    top.set_ylabel("人次")
    bottom.bar(labels, hours, color="#1f4e79")
    bottom.set_title("每月心理咨询时长")
    bottom.set_ylabel("小时")
    for r, x in zip(rows, labels, strict=True):
        if not r.present:
            for axes in (top, bottom):
                axes.annotate(
                    NO_DATA_LABEL,
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
    fig.suptitle(f"工作量统计 {stats.first} 至 {stats.last}")
    fig.tight_layout()
    return fig


def plan_report(data_dir: Path, month: YearMonth) -> PlanReport:
    """Compare the plan published with month-1 against what month records."""
    project = load_project(data_dir)
    if month <= project.first_month:
        raise BulletinError(Msg("plan_first_issue", {"month": month, "first": project.first_month}))
    problems: list[Problem] = []
    try:
        before = load_month(project, data_dir, month.prev())
    except DataError as exc:
        problems += exc.problems
    try:
        now = load_month(project, data_dir, month)
    except DataError as exc:
        problems += exc.problems
    if problems:
        raise DataError(problems)
    return follow_through(before.plans, summarize(project, now, keep_rows=False))


def _plan_rows(report: PlanReport, lang: str) -> list[list[str]]:
    """One row per plan item and unplanned activity: status, name, what carried it out."""
    done, not_done, extra = (t(k, lang) for k in ("plan_done", "plan_not_done", "plan_unplanned"))
    rows = [[done, item.name, "、".join(names)] for item, names in report.done]
    rows += [[not_done, item.name, ""] for item in report.not_done]
    rows += [[extra, "", name] for name in report.unplanned]
    return rows


def plan_text(report: PlanReport, lang: str) -> str:
    """The follow-through as text: done, not done, done but not planned."""
    out = [t("plan_title", lang, prev=report.month.prev(), month=report.month)]
    sections = [
        ("plan_done", [f"✓ {i.name} ← {'、'.join(n)}" for i, n in report.done]),
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


def plan_csv(report: PlanReport, lang: str) -> bytes:
    """The follow-through as CSV (UTF-8 with a BOM, CRLF), one row per item."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(t("plan_headers", lang).split("|"))
    writer.writerows(_plan_rows(report, lang))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def plan_xlsx(report: PlanReport, lang: str) -> bytes:
    """The follow-through as a workbook, one row per item."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "计划对照" if lang == "zh" else "plan"
    ws.append(t("plan_headers", lang).split("|"))
    for row in _plan_rows(report, lang):
        ws.append(row)
    _style_sheet(ws)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
