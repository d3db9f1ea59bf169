"""The period report (季度/年度/中期/结项): what a range of months achieved, for the funder.

Every figure comes from `stats.collect` (totals per month), `progress` (the indicators)
and `ledger` (its totals rows): nothing is counted here. The words around the figures live
in the Word template (templates/report.docx), which a centre restyles like the bulletin's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bulletin import figures
from bulletin.errors import DataError, Msg, Problem, UsageError
from bulletin.i18n import t
from bulletin.loader import list_months, load_month, load_project
from bulletin.models import Project, YearMonth
from bulletin.progress import STATUSES, expected_by, measure, number, status
from bulletin.stats import Stats, collect, follow_through
from bulletin.summary import summarize

# The figures of the monthly table, in its column order.
MONTH_FIGURES = (
    "visits",
    "activity_sessions",
    "activity_participants",
    "counselling_people",
    "counselling_hours",
    "wishes_collected",
    "wishes_fulfilled",
    "people_served",
)


@dataclass
class ReportContext:
    """What the report template reads; all text is Simplified Chinese."""

    name: str
    organisation: str
    title: str  # e.g. 2020年第一季度
    span: str  # 2020年1月 至 2020年3月
    dated: datetime
    headers: list[str]
    months: list[list[str]]  # per month: label, then MONTH_FIGURES
    total: list[str]
    period: str = ""  # the contract period, when the range lies inside one
    indicators: list[dict[str, str]] = field(default_factory=list)
    activities: list[dict[str, str]] = field(default_factory=list)
    plans: list[dict[str, str]] = field(default_factory=list)
    articles: list[dict[str, str]] = field(default_factory=list)
    ledger: list[dict[str, str]] = field(default_factory=list)
    missing: str = ""  # months without data, in words
    chart: bytes = b""


def _month_text(m: YearMonth) -> str:
    return f"{m.year}年{m.month}月"


def _fmt(value: float | int | None) -> str:
    return "" if value is None else str(number(value))


def parse_period(
    project: Project, text: str | None, first: str | None, last: str | None
) -> tuple[YearMonth, YearMonth, str]:
    """A quarter (2020-Q1), a year (2020), a contract period by name, or --from/--to;
    returns the first and last month and the report's title."""
    from bulletin.loader import parse_month

    if text and (first or last):
        raise UsageError(Msg("period_or_range"))
    if text is None:
        if not (first and last):
            raise UsageError(Msg("report_needs_period"))
        lo, hi = parse_month(first), parse_month(last)
        if lo > hi:
            raise UsageError(Msg("range_empty", {"first": lo, "last": hi}))
        return lo, hi, f"{_month_text(lo)}至{_month_text(hi)}"
    if m := re.fullmatch(r"(\d{4})-?[Qq]([1-4])", text.strip()):
        year, q = int(m.group(1)), int(m.group(2))
        names = "一二三四"
        return YearMonth(year, 3 * q - 2), YearMonth(year, 3 * q), f"{year}年第{names[q - 1]}季度"
    if re.fullmatch(r"\d{4}", text.strip()):
        year = int(text)
        return YearMonth(year, 1), YearMonth(year, 12), f"{year}年度"
    period = project.period_named(text)
    if period is None:
        periods = "、".join(p.name for p in project.contract) or "-"
        raise UsageError(Msg("report_period_unknown", {"value": text, "periods": periods}))
    return period.start, period.end, period.name


def _indicators(data_dir: Path, project: Project, stats: Stats) -> tuple[str, list[dict]]:
    """The indicators of the contract period that holds the range, as of its last month."""
    period = project.period_of(stats.last)
    if period is None or not period.indicators:
        return "", []
    values, _stats, _notes = measure(data_dir, period.indicators, period.start, stats.last)
    rows = []
    for indicator, actual in zip(period.indicators, values, strict=True):
        expected = expected_by(indicator, period, stats.last)
        rows.append(
            {
                "name": indicator.name,
                "target": _fmt(indicator.target),
                "actual": _fmt(actual),
                "percent": f"{actual / indicator.target * 100:.1f}%",
                "expected": _fmt(round(expected, 2)),
                "status": t(STATUSES[status(actual, indicator.target, expected)], "zh"),
            }
        )
    label = f"{period.name}（{period.start} 至 {period.end}），截至 {_month_text(stats.last)}"
    return label, rows


def report_context(data_dir: Path, first: YearMonth, last: YearMonth, title: str) -> ReportContext:
    """Everything the report prints for [first, last]."""
    from bulletin.ledger import build_ledger

    project = load_project(data_dir)
    stats = collect(data_dir, first, last)
    book = build_ledger(data_dir, first, last)
    months_rows = [
        [
            _month_text(r.month),
            *(_fmt(r.values.get(k)) if r.present else "—" for k in MONTH_FIGURES),
        ]
        for r in stats.months
    ]
    period_label, indicators = _indicators(data_dir, project, stats)
    ctx = ReportContext(
        name=project.name,
        organisation=project.organisation,
        title=title,
        span=f"{_month_text(first)} 至 {_month_text(last)}",
        dated=datetime(last.next().year, last.next().month, 1, tzinfo=UTC),
        headers=["月份", *(figures.label(k, "zh") for k in MONTH_FIGURES)],
        months=months_rows,
        total=["合计", *(_fmt(stats.total.get(k)) for k in MONTH_FIGURES)],
        period=period_label,
        indicators=indicators,
        missing="、".join(_month_text(r.month) for r in stats.months if not r.present),
    )
    _by_month(data_dir, project, first, last, ctx)
    for sheet in book.sheets[1:]:
        totals = [
            f"{head} {value}" if not str(value)[:1].isalpha() or head == "" else str(value)
            for head, value in zip(sheet.headers, sheet.totals or [], strict=False)
            if value not in (None, "", "合计")
        ]
        ctx.ledger.append(
            {"sheet": sheet.title, "rows": str(len(sheet.rows)), "totals": "；".join(totals)}
        )
    from bulletin.stats import to_chart

    ctx.chart = to_chart(stats)
    return ctx


def _by_month(
    data_dir: Path, project: Project, first: YearMonth, last: YearMonth, ctx: ReportContext
) -> None:
    """Activities, plan follow-through and article titles, month by month."""
    problems: list[Problem] = []
    previous = None
    for month in list_months(data_dir):
        if month < first.prev() or month > last:
            continue
        try:
            m = load_month(project, data_dir, month)
        except DataError as exc:
            problems += exc.problems
            continue
        before, previous = previous, m
        if month < first:
            continue
        summary = summarize(project, m)
        for a in summary.activities:
            days = sorted({s.date for s in a.source.sessions}) if a.source else []
            dates = [f"{d.month}月{d.day}日" for d in days]
            ctx.activities.append(
                {
                    "month": _month_text(month),
                    "name": a.name,
                    "kind": a.kind,
                    "dates": "、".join(dates),
                    "sessions": str(a.sessions),
                    "participants": str(a.participants),
                }
            )
        if before is not None and before.month == month.prev():
            plan = follow_through(before.plans, summary)
            ctx.plans.append(
                {
                    "month": _month_text(month),
                    "planned": str(len(plan.done) + len(plan.not_done)),
                    "done": str(len(plan.done)),
                    "not_done": str(len(plan.not_done)),
                    "not_done_items": "、".join(item.name for item in plan.not_done) or "无",
                }
            )
        for article in m.articles:
            ctx.articles.append({"month": _month_text(month), "title": article.title})
    if problems:
        raise DataError(problems)


def write_report(
    data_dir: Path,
    period: str | None,
    first: str | None,
    last: str | None,
    out: Path | None,
    templates: Path | None = None,
) -> Path:
    """Compute and write the report of a period (see `parse_period`); returns its path
    (default: build/报告-TITLE.docx). Writes nothing when anything fails."""
    from bulletin.output import write_atomically
    from bulletin.render import render_report
    from bulletin.template_search import REPORT_TEMPLATE, find_template

    project = load_project(data_dir)
    lo, hi, title = parse_period(project, period, first, last)
    template = find_template(REPORT_TEMPLATE, project, data_dir, templates)
    payload = render_report(report_context(data_dir, lo, hi, title), template)
    out = out or Path("build") / f"报告-{title}.docx"
    write_atomically(payload, out)
    return out
