"""Contract indicators: how far each is reached, from the figures `bulletin stats` computes.

An indicator names a stats figure by its key, optionally restricted (visits in some towns,
activities of one kind); the restricted figures are the rows of `stats --by town|activity`.
Nothing is counted here.

Status rule (README, "Contract indicators"), as of a month (the latest with data, or the one
asked for): expected = target × months elapsed ÷ months from the period's start to the due
month (the period's end unless `due:` says otherwise), the whole target from the due month
on; pace = actual ÷ expected as a per cent to one decimal, the figure printed; reached when
actual ≥ target, whenever that is; else overdue once the due month has passed; else ahead at
a pace of 110 or more, on track at 90 or more, behind below that.

A rate (满意度, a per cent pooled over the questionnaires from the period's start) does not
accumulate over the months, so it has its own rule: expected = the target from the first
month on; no data yet while no questionnaire is recorded; reached when the rate ≥ the target;
else overdue once the due month has passed; else behind.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bulletin import figures, period
from bulletin.errors import BuildError, Msg, UsageError
from bulletin.i18n import t
from bulletin.loader import list_months, load_project
from bulletin.models import ContractPeriod, Indicator, Project, YearMonth
from bulletin.tables import (
    Sheet,
    cell_text,
    figure_cell,
    number,
    percent,
    percent_text,
    rounded,
)
from bulletin.wording import list_text

AHEAD = 110  # per cent of expected
ON_TRACK = 90
# Each status and its words in the message catalogue.
STATUSES = {
    "reached": "status_reached",
    "ahead": "status_ahead",
    "on_track": "status_on_track",
    "behind": "status_behind",
    "overdue": "status_overdue",
    "no_data": "status_no_data",
}


@dataclass(frozen=True)
class IndicatorProgress:
    indicator: Indicator
    actual: float | int | None  # None: a rate with no questionnaire yet
    due: YearMonth
    expected: float
    status: str

    @property
    def percent(self) -> float | None:
        if self.actual is None:
            return None
        return percent(self.actual, self.indicator.target)

    @property
    def pace(self) -> float | None:
        """Actual as a per cent of expected, to one decimal: what the status is decided on."""
        if self.actual is None:
            return None
        return pace(self.actual, self.expected)


@dataclass
class Progress:
    """Each indicator of a period as of a month, with the stats they were taken from."""

    period: ContractPeriod
    month: YearMonth
    rows: list[IndicatorProgress]
    notes: list[Msg] = field(default_factory=list)

    @property
    def elapsed(self) -> int:
        return self.month.index() - self.period.start.index() + 1


def pace(actual: float, expected: float) -> float:
    """Actual as a per cent of where it should be, to one decimal (the printed figure)."""
    return rounded(actual / expected * 100, 1)


def status(actual: float, target: float, expected: float, overdue: bool = False) -> str:
    """One of STATUSES, by the rule in the module's docstring; `overdue`: the due month has
    passed."""
    if actual >= target:
        return "reached"
    if overdue:
        return "overdue"
    # Decided on the pace as printed, so a reader can check every status from the table.
    p = pace(actual, expected)
    if p >= AHEAD:
        return "ahead"
    if p >= ON_TRACK:
        return "on_track"
    return "behind"


def rate_status(actual: float | None, target: float, overdue: bool = False) -> str:
    """The status of a rate (满意度), by the rule in the module's docstring: it does not
    accumulate, so it is compared with the whole target from the first month on."""
    if actual is None:
        return "no_data"
    if actual >= target:
        return "reached"
    return "overdue" if overdue else "behind"


def expected_by(indicator: Indicator, period: ContractPeriod, month: YearMonth) -> float:
    """Where the indicator should be by the end of `month` if spread evenly to its due month
    (the whole target from the due month on); a rate's target from the first month on."""
    if figures.is_rate(indicator.figure):
        return indicator.target
    due = indicator.due or period.end
    span = due.index() - period.start.index() + 1
    elapsed = min(month.index() - period.start.index() + 1, span)
    return indicator.target * elapsed / span


def _periods_text(project: Project) -> str:
    return list_text(f"{p.name} {p.start}…{p.end}" for p in project.contract)


def choose_period(
    project: Project, data_dir: Path, month: YearMonth | None = None, name: str | None = None
) -> tuple[ContractPeriod, YearMonth]:
    """The period named, or the one containing `month` (default: the latest month with data);
    and the month to report up to. Raises BuildError / UsageError."""
    if not project.contract:
        raise BuildError(Msg("no_contract"), Msg("hint_contract"))
    if name is not None:
        named = project.period_named(name)
        if named is None:
            raise UsageError(
                Msg("period_unknown", {"value": name, "periods": _periods_text(project)})
            )
        if month is None:  # as of its latest month with data
            inside = [m for m in list_months(data_dir) if named.contains(m)]
            if not inside:
                raise BuildError(
                    Msg("stats_no_data", {"first": named.start, "last": named.end}),
                    Msg("hint_period_no_data"),
                )
            month = inside[-1]
        elif not named.contains(month):
            raise UsageError(
                Msg(
                    "month_outside_period",
                    {"month": month, "period": named.name, "start": named.start, "end": named.end},
                )
            )
        return named, month
    if month is None:
        found = list_months(data_dir)
        if not found:
            raise BuildError(Msg("progress_no_months", {"path": data_dir}), Msg("hint_no_months"))
        month = found[-1]
    found_period = project.period_of(month)
    if found_period is None:
        raise UsageError(
            Msg("month_outside_periods", {"month": month, "periods": _periods_text(project)})
        )
    return found_period, month


def measure(
    span: period.Span, indicators: list[Indicator], first: YearMonth, last: YearMonth
) -> tuple[list[float | int | None], list[Msg]]:
    """Each indicator's figure over [first, last] with its restrictions, and notes; None for
    a rate with no record (no questionnaire), never 0."""
    notes: list[Msg] = []
    values: list[float | int | None] = []
    for indicator in indicators:
        value = span.total(indicator.figure, first, last, indicator.towns, indicator.kind)
        values.append(value if figures.is_rate(indicator.figure) else value or 0)
        if indicator.kind is not None:
            kinds = {r.kind: None for r in span.records("activity_sessions", first, last) if r.kind}
            if indicator.kind not in kinds:
                notes.append(
                    Msg(
                        "progress_kind_unmatched",
                        {
                            "name": indicator.name,
                            "kind": indicator.kind,
                            "kinds": list_text(kinds) or "-",
                        },
                    )
                )
    # Months before the project's first issue are outside it: neither missing nor zero.
    missing = [str(m) for m in span.months(max(first, span.start), last) if not span.present(m)]
    if missing:
        notes.insert(0, Msg("progress_missing", {"months": list_text(missing)}))
    return values, notes


def progress(
    data_dir: Path,
    month: YearMonth | None = None,
    period_name: str | None = None,
    span: period.Span | None = None,
) -> Progress:
    """Every indicator of the period containing `month` (or named), as of `month`; from
    `span` when the months are read already."""
    project = span.project if span else load_project(data_dir)
    chosen, month = choose_period(project, data_dir, month, period_name)
    if span is None or span.last < month:
        span = period.read(data_dir, month, project=project, totals_only=True)
    values, notes = measure(span, chosen.indicators, chosen.start, month)
    rows = []
    for indicator, actual in zip(chosen.indicators, values, strict=True):
        expected = expected_by(indicator, chosen, month)
        due = indicator.due or chosen.end
        if figures.is_rate(indicator.figure):
            state = rate_status(actual, indicator.target, overdue=month > due)
        else:
            assert actual is not None  # only a rate has no value
            state = status(actual, indicator.target, expected, overdue=month > due)
        rows.append(IndicatorProgress(indicator, actual, due, expected, state))
    return Progress(chosen, month, rows, notes)


def indicator_rows(span: period.Span, month: YearMonth) -> tuple[str, list]:
    """The period's name and the rows of the bulletin's 指标进度 table as of `month`."""
    from bulletin.context import IndicatorRow

    report = progress(span.data_dir, month, span=span)
    rows = [
        IndicatorRow(
            i,
            r.indicator.name,
            shown(r.indicator.figure, r.indicator.target),
            shown(r.indicator.figure, r.actual),
            percent_text(r.percent) if r.percent is not None else "",
            t(STATUSES[r.status], "zh"),
        )
        for i, r in enumerate(report.rows, 1)
    ]
    return report.period.name, rows


# ---------------------------------------------------------------- output

# (key, the catalogue key of its header)
COLUMNS = [
    ("indicator", "progress_column_indicator"),
    ("figure", "progress_column_figure"),
    ("restriction", "progress_column_restriction"),
    ("target", "progress_column_target"),
    ("actual", "progress_column_actual"),
    ("percent", "progress_column_percent"),
    ("expected", "progress_column_expected"),
    ("pace", "progress_column_pace"),
    ("status", "progress_column_status"),
    ("due", "progress_column_due"),
]


def headers(lang: str) -> list[str]:
    return [t(header, lang) for _key, header in COLUMNS]


def shown(figure: str, value: float | int | None) -> str:
    """A target, actual or expected value of an indicator as a document prints it: by the
    number rule, a rate's as a per cent (90%); empty for none."""
    return cell_text(figure_cell(figure, None if value is None else number(value)))


def _cell(figure: str, value: float | int | None) -> Any:
    """The same in a table: a number stays a number, a rate is its per-cent text."""
    return figure_cell(figure, None if value is None else number(value))


def rows(report: Progress, lang: str) -> list[list[Any]]:
    """One row per indicator, in the order of `COLUMNS`."""
    return [
        [
            r.indicator.name,
            figures.label(r.indicator.figure, lang),
            r.indicator.restriction,
            _cell(r.indicator.figure, r.indicator.target),
            _cell(r.indicator.figure, r.actual),
            None if r.percent is None else number(r.percent),
            _cell(r.indicator.figure, r.expected),
            None if r.pace is None else number(r.pace),
            t(STATUSES[r.status], lang),
            str(r.due),
        ]
        for r in report.rows
    ]


def title(report: Progress, lang: str) -> str:
    p = report.period
    return t(
        "progress_title",
        lang,
        period=p.name,
        start=p.start,
        end=p.end,
        month=report.month,
        elapsed=report.elapsed,
        total=p.months,
    )


def sheet(report: Progress, lang: str) -> Sheet:
    """The table for a file: a spreadsheet is sent on, away from the title that says as of
    which month its expected values, pace and status hold, so each row says it."""
    month = str(report.month)
    return Sheet(
        t("progress_sheet", lang),
        [*headers(lang), t("progress_column_as_of", lang)],
        [[*row, month] for row in rows(report, lang)],
    )


def to_json(report: Progress) -> str:
    """A stable document: see README, "bulletin progress --format json"."""
    p = report.period
    doc = {
        "format": "bulletin-progress/1",
        "period": {"name": p.name, "start": str(p.start), "end": str(p.end), "months": p.months},
        "as_of": str(report.month),
        "months_elapsed": report.elapsed,
        "indicators": [
            {
                "name": r.indicator.name,
                "figure": r.indicator.figure,
                "towns": r.indicator.towns,
                "kind": r.indicator.kind,
                "target": number(r.indicator.target),
                "actual": None if r.actual is None else number(r.actual),
                "percent": None if r.percent is None else number(r.percent),
                "expected": number(r.expected),
                "pace": None if r.pace is None else number(r.pace),
                **({"rate": True} if figures.is_rate(r.indicator.figure) else {}),
                "status": r.status,
                "due": str(r.due),
            }
            for r in report.rows
        ],
        "notes": [note.text("en") for note in report.notes],
        "status_rule": t("progress_rule", "en"),
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def export(report: Progress, kind: str, lang: str) -> bytes:
    """The indicators as csv, json or xlsx (the table for a terminal is the command's)."""
    from bulletin import tables

    if kind == "xlsx":
        return tables.to_xlsx([sheet(report, lang)], report.month)
    if kind == "csv":
        return tables.to_csv(sheet(report, lang))
    return to_json(report).encode("utf-8")
