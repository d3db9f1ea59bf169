"""Totals across months, from the same summaries the bulletin prints.

Months are read one at a time and reduced to a row of figures, so memory does not grow
with the number of months. Nothing here counts records itself: every figure comes from
`summary.summarize`.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bulletin.errors import BuildError, DataError, Msg, Problem
from bulletin.figures import COLUMNS
from bulletin.loader import list_months, load_month, load_project
from bulletin.models import PlanItem, YearMonth
from bulletin.summary import Summary, summarize


@dataclass
class MonthFigures:
    month: YearMonth
    present: bool  # the month has data (a month with invalid data stops stats instead)
    values: dict[str, float | int | None] = field(default_factory=dict)
    towns: frozenset[str] = frozenset()


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


def follow_through(plans: list[PlanItem], summary: Summary) -> PlanReport:
    """Match last month's plan items to this month's activities and services, by an explicit
    `plan:` on the activity, by id, or by name (ignoring punctuation and spaces)."""
    done: list[tuple[PlanItem, list[str]]] = []
    not_done: list[PlanItem] = []
    used: set[str] = set()
    doings = [(a.name, a.id, a.plan) for a in summary.activities]
    doings += [(s.name, None, None) for s in summary.services]
    for item in plans:
        keys = {_norm(item.name)} | ({_norm(item.id)} if item.id else set())
        matched = [
            name
            for name, ident, plan in doings
            if (plan and _norm(plan) in keys)
            or (ident and _norm(ident) in keys)
            or _norm(name) in keys
        ]
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
        "counselling_sessions": c.sessions,
        "counselling_hours": c.hours,
        "people_served": summary.people_served,
        "planned": summary.plan_rows,
        "plan_done": len(plan.done) if plan else None,
        "plan_items": len(plan.done) + len(plan.not_done) if plan else None,
    }
    return MonthFigures(summary.month, True, values, frozenset(summary.visits.by_town))


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
    found = list_months(data_dir)
    if not found and (first is None or last is None):
        first = last = first or last or YearMonth(2020, 1)
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
            result.append(MonthFigures(month, present=False))  # no folder for this month
            continue
        row.values["wishes_fulfilled"] = fulfilled_by_month.get(month, 0)
        result.append(row)
    return Stats(first, last, result, _total(result), by, _breakdown(by, breakdown, extra))


def _total(rows: list[MonthFigures]) -> dict[str, float | int | None]:
    total: dict[str, float | int | None] = {}
    present = [r for r in rows if r.present]
    for key, _en, _zh, how in COLUMNS:
        values = [r.values.get(key) for r in present]
        known = [v for v in values if v is not None]
        if how == "distinct":
            total[key] = len(frozenset().union(*(r.towns for r in present)))
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
    return [zh if lang == "zh" else en for _k, en, zh, _h in COLUMNS]


def table_rows(stats: Stats, lang: str) -> list[list[Any]]:
    """Rows for a table: month label, then every column; missing months say so."""
    missing = "缺少数据" if lang == "zh" else "missing"
    rows: list[list[Any]] = []
    for r in stats.months:
        if not r.present:
            rows.append([str(r.month), *([missing] + [None] * (len(COLUMNS) - 1))])
        else:
            rows.append([str(r.month), *(r.values.get(k) for k, *_ in COLUMNS)])
    rows.append(["合计" if lang == "zh" else "total", *(stats.total.get(k) for k, *_ in COLUMNS)])
    return rows


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
                **({k: r.values.get(k) for k, *_ in COLUMNS} if r.values else {}),
            }
            for r in stats.months
        ],
        "total": stats.total,
        "notes": {
            "towns": "distinct towns reached over the range, not a sum",
            "people_served": "activity participants + households visited + people counselled (人次)",
            "counselling_sessions": "sum over the lines that give a number of sessions",
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
        rows = stats.breakdown
        writer.writerow(list(rows[0]) if rows else [stats.by])
        for row in rows:
            writer.writerow(list(row.values()))
    else:
        writer.writerow(["月份" if lang == "zh" else "month", *headers(lang)])
        for row in table_rows(stats, lang):
            writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(stats: Stats, lang: str) -> bytes:
    """A workbook with a header row and typed number cells (one sheet, plus the breakdown)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "统计" if lang == "zh" else "stats"
    ws.append(["月份" if lang == "zh" else "month", *headers(lang)])
    for row in table_rows(stats, lang):
        ws.append(row)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "B2"
    if stats.by and stats.breakdown:
        sheet = wb.create_sheet(stats.by)
        sheet.append(list(stats.breakdown[0]))
        for row in stats.breakdown:
            sheet.append(list(row.values()))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


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
)


def to_chart(stats: Stats) -> bytes:
    """Monthly bars of participants (人次) and counselling hours, labelled in Chinese."""
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
        if not r.values:
            top.annotate("缺少数据", (x, 0), ha="center", va="bottom", fontsize=8, color="gray")
    plt.setp(bottom.get_xticklabels(), rotation=45, ha="right")
    fig.suptitle(f"工作量统计 {stats.first} 至 {stats.last}")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=120, metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def plan_report(data_dir: Path, month: YearMonth) -> PlanReport:
    """Compare the plan published with month-1 against what month records."""
    project = load_project(data_dir)
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
