"""The period report (季度/年度/中期/结项): what a range of months achieved, for the funder.

Every figure comes from `stats.figures_of` (totals per month), `progress` (the indicators)
and `ledger` (its totals rows): nothing is counted here. The words around the figures live
in the Word template (templates/report.docx) and the phrases of templates/wording.yaml (the
title, the months, the totals row, …), which a centre restyles like the bulletin's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bulletin import figures, period
from bulletin.errors import Msg, UsageError
from bulletin.i18n import t
from bulletin.loader import collector_paused, load_project
from bulletin.models import Project, YearMonth
from bulletin.prose import cn_number
from bulletin.ranges import Range
from bulletin.stats import Stats, figures_of, require_data
from bulletin.summary import summarize
from bulletin.tables import cell_text, figure_cell, number_text, percent_text
from bulletin.wording import Wording, load_wording

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
    "satisfaction",
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
    as_of: str = ""  # the latest month with data: what the report is as of
    to_come: str = ""  # the range's months after it, in words: still to come, not missing
    after: str = ""  # with --as-of, the range's months after that month (left out as asked)
    chart: bytes = b""


class Phrases:
    """The project's phrases for the report: each given project.* and the names it needs."""

    def __init__(self, wording: Wording, project: Project):
        self._wording = wording
        self._names = {"project": project.model_dump()}
        self.words = wording.bind(self._names)  # months, days, lists

    def __call__(self, key: str, **names: object) -> str:
        return self._wording.say(key, **self._names, **names)

    def listed(self, items: list[str]) -> str:
        """A list as the bulletin writes it: list_text is given its items alone."""
        return self._wording.say("list_text", items=items)


def title_of(wanted: Range, say: Phrases) -> str:
    """The report's title in the project's phrases: a quarter, a year, a range of months, or
    a contract period's own name."""
    if wanted.period is not None:
        return wanted.period.name
    kind, names = wanted.kind
    if kind == "quarter":
        q = names["quarter"]
        return say("report_quarter", year=names["year"], quarter=q, quarter_cn=cn_number(q))
    if kind == "year":
        return say("report_year", year=names["year"])
    month = say.words.month
    return say("report_range", first=month(wanted.first), last=month(wanted.last))


def _indicators(span: period.Span, last: YearMonth, say: Phrases) -> tuple[str, list[dict]]:
    """The indicators of the contract period that holds the range's last month, as
    `bulletin progress` gives them for that month (counted from the period's start)."""
    from bulletin.progress import STATUSES, progress, shown

    contract = span.project.period_of(last)
    if contract is None or not contract.indicators:
        return "", []
    report = progress(span.data_dir, last, span=span)
    rows = [
        {
            "name": r.indicator.name,
            "target": shown(r.indicator.figure, r.indicator.target),
            "actual": shown(r.indicator.figure, r.actual) or "—",
            "percent": percent_text(r.percent) if r.percent is not None else "—",
            "expected": shown(r.indicator.figure, r.expected),
            "status": t(STATUSES[r.status], "zh"),
        }
        for r in report.rows
    ]
    named = {"name": contract.name, "start": str(contract.start), "end": str(contract.end)}
    label = say("report_period", period=named, as_of=say.words.month(last))
    return label, rows


def report_context(
    data_dir: Path,
    first: YearMonth,
    last: YearMonth,
    title: str,
    project: Project,
    wording: Wording,
    until: YearMonth | None = None,
) -> ReportContext:
    """Everything the report prints for [first, last], from the months read once, in the
    project's phrases (`wording`: those of its templates folders)."""
    from bulletin.stats import to_chart

    ctx, stats = _contents(data_dir, first, last, title, project, wording, until)
    # Drawn once the months are freed: importing matplotlib leaves reference cycles through
    # the frames on the stack, which would hold every month read (half a million objects
    # over 36 busy months) until the cycle collector walks them all.
    ctx.chart = to_chart(stats)
    return ctx


def _contents(
    data_dir: Path,
    first: YearMonth,
    last: YearMonth,
    title: str,
    project: Project,
    wording: Wording,
    until: YearMonth | None,
) -> tuple[ReportContext, Stats]:
    """The report without its chart, and the figures the chart draws."""
    from bulletin.ledger import build_ledger, ledger_total

    span = period.read(data_dir, until or last, project=project)
    say = Phrases(wording, project)
    month_text = say.words.month
    if span.as_of(first, until or last) is None:  # no month of the range has data
        require_data(figures_of(span, first, until or last), data_dir)  # says which have
    # As of the range's latest month with data: the months after it are still to come (not
    # missing, never charted); those before the project's first issue are outside it.
    start = max(first, span.start)
    as_of = until or span.as_of(start, last)
    assert as_of is not None  # some month of the range has data
    stats = figures_of(span, start, as_of)
    book = build_ledger(span, stats=stats)  # over the figures' months
    months_rows = [
        [
            month_text(r.month),
            *(
                _figure_text(k, r.values.get(k)) if r.present or r.values.get(k) else "—"
                for k in MONTH_FIGURES
            ),
        ]
        for r in stats.months
    ]
    period_label, indicators = _indicators(span, as_of, say)
    ctx = ReportContext(
        name=project.name,
        organisation=project.organisation,
        title=title,
        span=say("report_span", first=month_text(first), last=month_text(last)),
        dated=datetime(as_of.next().year, as_of.next().month, 1, tzinfo=UTC),
        headers=[say("report_month_column"), *(figures.label(k, "zh") for k in MONTH_FIGURES)],
        months=months_rows,
        total=[say("report_total"), *(_figure_text(k, stats.total.get(k)) for k in MONTH_FIGURES)],
        period=period_label,
        indicators=indicators,
        missing=say.listed([month_text(r.month) for r in stats.months if not r.present]),
        as_of=say("report_as_of", month=month_text(as_of)),
        to_come=_months_text(as_of.next(), last, say) if as_of < last and not until else "",
        after=_months_text(as_of.next(), last, say) if as_of < last and until else "",
    )
    _by_month(span, start, as_of, ctx, say)
    for sheet in book.sheets[1:]:
        # a figure under its column's name (户次 27, 满意度 85.3%); a worded one as it is
        # (收集 12)
        texts = [
            (head, number_text(value) if isinstance(value, int | float) else value)
            for head, value in zip(sheet.headers, sheet.totals or [], strict=False)
            if value not in (None, "", ledger_total())
        ]
        totals = [text if text[:1].isalpha() else f"{head} {text}" for head, text in texts]
        ctx.ledger.append(
            {
                "sheet": sheet.title,
                "rows": str(len(sheet.rows)),
                "totals": say("report_ledger_totals", items=totals),
            }
        )
    return ctx, stats


def _figure_text(key: str, value: float | int | None) -> str:
    """A figure in the report's tables: by the number rule, a rate as a per cent (95.8%);
    empty where there is none (a month without a questionnaire has no 满意度)."""
    return cell_text(figure_cell(key, value))


def _months_text(first: YearMonth, last: YearMonth, say: Phrases) -> str:
    """A run of months in words: 2027年1月, or 2027年1月至2027年11月."""
    month = say.words.month
    if first == last:
        return month(first)
    return say("report_range", first=month(first), last=month(last))


def _by_month(
    span: period.Span, first: YearMonth, last: YearMonth, ctx: ReportContext, say: Phrases
) -> None:
    """Activities, plan follow-through and article titles, month by month."""
    month_text = say.words.month
    for month, view in span.views.items():
        if not first <= month <= last:
            continue
        summary = summarize(span.project, view.data)
        questionnaires = span.records("satisfaction", month, month)
        for i, a in enumerate(summary.activities):
            mine = [r for r in questionnaires if r.group == f"{month}/{i}"]
            days = sorted({s.date for s in view.data.activities[i].sessions})
            dates = [say.words.day(d) for d in days]
            ctx.activities.append(
                {
                    "month": month_text(month),
                    "name": a.name,
                    "kind": a.kind,
                    "dates": say.listed(dates),
                    "sessions": str(a.sessions),
                    "participants": str(a.participants),
                    "satisfaction": _figure_text(
                        "satisfaction", figures.value("satisfaction", mine)
                    ),
                }
            )
        plan = view.plan
        if plan is not None:
            ctx.plans.append(
                {
                    "month": month_text(month),
                    "planned": str(plan.items),
                    "done": str(len(plan.done)),
                    "not_done": str(len(plan.not_done)),
                    "not_done_items": say.listed([item.name for item in plan.not_done])
                    or say("report_nothing"),
                }
            )
        for article in view.data.articles:
            ctx.articles.append({"month": month_text(month), "title": article.title})


def _report_docx(
    data_dir: Path,
    wanted: Range,
    title: str,
    project: Project,
    wording: Wording,
    until: YearMonth | None,
    template: Path,
) -> bytes:
    """The report's document; the months read for it are freed when this returns."""
    from bulletin.render import render_report

    assert wanted.first is not None and wanted.last is not None
    context = report_context(data_dir, wanted.first, wanted.last, title, project, wording, until)
    return render_report(context, template)


def write_report(
    data_dir: Path,
    period: str | None,
    first: str | None,
    last: str | None,
    out: Path | None,
    templates: Path | None = None,
    as_of: str | None = None,
) -> Path:
    """Compute and write the report of a period (see `ranges.of_period`), as of its latest
    month with data or `as_of`; returns its path (default: build/ and the phrase
    report_file). Writes nothing when anything fails."""
    from bulletin.output import write_atomically
    from bulletin.ranges import default_output

    name, payload = make_report(data_dir, period, first, last, templates, as_of)
    out = out or default_output(Path(name).stem, ".docx")
    write_atomically(payload, out)
    return out


def make_report(
    data_dir: Path,
    period: str | None,
    first: str | None,
    last: str | None,
    templates: Path | None = None,
    as_of: str | None = None,
) -> tuple[str, bytes]:
    """The report of a period as (its default file name, the .docx's bytes)."""
    from bulletin.ranges import month, of_period, safe_name
    from bulletin.template_search import REPORT_TEMPLATE, find_template

    project = load_project(data_dir)
    wording = load_wording(project, data_dir, templates)
    wanted = of_period(project, period, first, last)
    if wanted.first is None or wanted.last is None:
        raise UsageError(Msg("report_needs_period"))
    say = Phrases(wording, project)
    title = title_of(wanted, say)
    template = find_template(REPORT_TEMPLATE, project, data_dir, templates)
    until = None
    if as_of is not None:
        until = month(as_of)
        if not wanted.first <= until <= wanted.last:
            raise UsageError(
                Msg("as_of_outside", {"month": until, "first": wanted.first, "last": wanted.last})
            )
    with collector_paused():  # the months' objects, none of them garbage, are walked once
        payload = _report_docx(data_dir, wanted, title, project, wording, until, template)
    return safe_name(say("report_file", title=title)) + ".docx", payload
