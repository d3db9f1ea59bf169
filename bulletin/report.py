"""The period report (季度/年度/中期/结项): what a range of months achieved, for the funder.

Every figure comes from `stats.collect` (totals per month), `progress` (the indicators)
and `ledger` (its totals rows): nothing is counted here. The words around the figures live
in the Word template (templates/report.docx), which a centre restyles like the bulletin's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bulletin import figures, period
from bulletin.errors import Msg, UsageError
from bulletin.i18n import t
from bulletin.loader import load_project
from bulletin.models import Project, YearMonth
from bulletin.stats import figures_of, require_data
from bulletin.summary import summarize
from bulletin.tables import number_text, percent_text

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


def _indicators(span: period.Span, last: YearMonth) -> tuple[str, list[dict]]:
    """The indicators of the contract period that holds the range's last month, as
    `bulletin progress` gives them for that month (counted from the period's start)."""
    from bulletin.progress import STATUSES, progress

    contract = span.project.period_of(last)
    if contract is None or not contract.indicators:
        return "", []
    report = progress(span.data_dir, last, span=span)
    rows = [
        {
            "name": r.indicator.name,
            "target": number_text(r.indicator.target),
            "actual": number_text(r.actual),
            "percent": percent_text(r.percent),
            "expected": number_text(r.expected),
            "status": t(STATUSES[r.status], "zh"),
        }
        for r in report.rows
    ]
    label = f"{contract.name}（{contract.start} 至 {contract.end}），截至 {_month_text(last)}"
    return label, rows


def report_context(
    data_dir: Path,
    first: YearMonth,
    last: YearMonth,
    title: str,
    project: Project | None = None,
) -> ReportContext:
    """Everything the report prints for [first, last], from the months read once."""
    from bulletin.ledger import build_ledger

    span = period.read(data_dir, last, project=project)
    project = span.project
    stats = require_data(figures_of(span, first, last), data_dir)
    book = build_ledger(data_dir, first, last, span)
    months_rows = [
        [
            _month_text(r.month),
            *(
                number_text(r.values.get(k)) if r.present or r.values.get(k) else "—"
                for k in MONTH_FIGURES
            ),
        ]
        for r in stats.months
    ]
    period_label, indicators = _indicators(span, last)
    ctx = ReportContext(
        name=project.name,
        organisation=project.organisation,
        title=title,
        span=f"{_month_text(first)} 至 {_month_text(last)}",
        dated=datetime(last.next().year, last.next().month, 1, tzinfo=UTC),
        headers=["月份", *(figures.label(k, "zh") for k in MONTH_FIGURES)],
        months=months_rows,
        total=["合计", *(number_text(stats.total.get(k)) for k in MONTH_FIGURES)],
        period=period_label,
        indicators=indicators,
        missing="、".join(_month_text(r.month) for r in stats.months if not r.present),
    )
    _by_month(span, first, last, ctx)
    for sheet in book.sheets[1:]:
        totals = [
            f"{head} {number_text(value) if isinstance(value, int | float) else value}"
            if not str(value)[:1].isalpha() or head == ""
            else str(value)
            for head, value in zip(sheet.headers, sheet.totals or [], strict=False)
            if value not in (None, "", "合计")
        ]
        ctx.ledger.append(
            {"sheet": sheet.title, "rows": str(len(sheet.rows)), "totals": "；".join(totals)}
        )
    from bulletin.stats import to_chart

    ctx.chart = to_chart(stats)
    return ctx


def _by_month(span: period.Span, first: YearMonth, last: YearMonth, ctx: ReportContext) -> None:
    """Activities, plan follow-through and article titles, month by month."""
    for month, view in span.views.items():
        if not first <= month <= last:
            continue
        summary = summarize(span.project, view.data)
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
        plan = view.plan
        if plan is not None:
            ctx.plans.append(
                {
                    "month": _month_text(month),
                    "planned": str(plan.items),
                    "done": str(len(plan.done)),
                    "not_done": str(len(plan.not_done)),
                    "not_done_items": "、".join(item.name for item in plan.not_done) or "无",
                }
            )
        for article in view.data.articles:
            ctx.articles.append({"month": _month_text(month), "title": article.title})


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
    from bulletin.ranges import default_output, of_period
    from bulletin.render import render_report
    from bulletin.template_search import REPORT_TEMPLATE, find_template

    project = load_project(data_dir)
    wanted = of_period(project, period, first, last)
    if wanted.first is None or wanted.last is None:
        raise UsageError(Msg("report_needs_period"))
    template = find_template(REPORT_TEMPLATE, project, data_dir, templates)
    ctx = report_context(data_dir, wanted.first, wanted.last, wanted.title, project)
    payload = render_report(ctx, template)
    out = out or default_output(f"报告-{wanted.title}", ".docx")
    write_atomically(payload, out)
    return out
