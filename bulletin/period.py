"""The period engine: the months of a range read once, and every figure over them.

`read` loads project.yaml and every month folder up to the range's last month (earlier ones
too: a wish collected then may be fulfilled inside the range, and a month's plan figures need
the month before), validates them all and reports every problem at once. Every command that
looks across months (`stats`, `progress`, `ledger`, `report`, `--explain`), the bulletin's
indicator table and `bulletin new` take its result; none reads a month file itself.

Figures come from the registry (`bulletin.figures`): a month's value and a range's total are
made from the records the registry lists, so every output shows the same number.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bulletin import figures
from bulletin.errors import DataError, Problem
from bulletin.loader import collector_paused, latest_month, list_months, load_month, load_project
from bulletin.models import Month, Project, YearMonth
from bulletin.plans import PlanReport, follow_through
from bulletin.records import Record, folded, month_records
from bulletin.summary import summarize


@dataclass
class MonthView:
    """One month read: its data, and how it carried out last month's plan."""

    data: Month | None  # None when read for totals only
    plan: PlanReport | None  # None when the month before has no folder, or totals only
    followed: bool = False  # the month before has a folder: its plan is followed up here


@dataclass
class Span:
    """Every month folder up to `last`, read once, with the records of every figure."""

    data_dir: Path
    project: Project
    found: list[YearMonth]  # every month folder of the data, also those after `last`
    last: YearMonth
    views: dict[YearMonth, MonthView] = field(default_factory=dict)
    # figure -> month it counts in -> records, in month order then as typed
    _records: dict[str, dict[YearMonth, list[Record]]] = field(default_factory=dict)

    def present(self, month: YearMonth) -> bool:
        return month in self.views

    @property
    def start(self) -> YearMonth:
        """The project's first month: its first issue, or an earlier folder given an issue
        number. Months before it are outside the project, never "missing"."""
        first = self.project.first_month
        return min(first, self.found[0]) if self.found else first

    def as_of(self, first: YearMonth, last: YearMonth) -> YearMonth | None:
        """The latest month of [first, last] with data: what a report is "as of"."""
        inside = [m for m in self.views if first <= m <= last]
        return max(inside) if inside else None

    def months(self, first: YearMonth, last: YearMonth) -> list[YearMonth]:
        """Every calendar month of [first, last], with or without a folder."""
        out, m = [], first
        while m <= last:
            out.append(m)
            m = m.next()
        return out

    def records(
        self,
        key: str,
        first: YearMonth,
        last: YearMonth,
        towns: list[str] | None = None,
        kind: str | None = None,
    ) -> list[Record]:
        """The records figure `key` counts over [first, last] (of its parts, for a figure made
        of others), restricted to `towns` and an activity `kind` when given."""
        out: list[Record] = []
        for base in figures.base_keys(key):
            fig = figures.BY_KEY[base]
            by_month = self._records.get(fig.source or base, {})
            for month in sorted(m for m in by_month if first <= m <= last):
                if fig.mode is None:
                    out += by_month[month]
                else:
                    out += [r for r in by_month[month] if r.mode == fig.mode]
        if towns is not None:
            allowed = set(towns)
            out = [r for r in out if r.town in allowed]
        if kind is not None:
            out = [r for r in out if r.kind == kind]
        return out

    def known(self, key: str, month: YearMonth) -> bool:
        """Whether a "known" figure is given in `month` (see figures.Figure.total)."""
        fig = figures.BY_KEY[key]
        view = self.views.get(month)
        if fig.needs_plan:
            return view is not None and view.followed
        return bool(self._records.get(key, {}).get(month))

    def month_value(self, key: str, month: YearMonth) -> float | int | None:
        """Figure `key` in one month: None when the month has no folder and no record counts
        in it, when a "known" figure is not given, or a rate has no record."""
        fig = figures.BY_KEY[key]
        if fig.total == "known" and not self.known(key, month):
            return None
        records = self.records(key, month, month)
        if not self.present(month) and not records:
            return None
        return figures.value(key, records)

    def total(
        self,
        key: str,
        first: YearMonth,
        last: YearMonth,
        towns: list[str] | None = None,
        kind: str | None = None,
    ) -> float | int | None:
        """Figure `key` over [first, last]: None for a "known" figure no month gives, or a
        rate no record counts in (the records pooled: figures.value)."""
        fig = figures.BY_KEY[key]
        if fig.total == "known" and not any(self.known(key, m) for m in self.months(first, last)):
            return None
        return figures.value(key, self.records(key, first, last, towns, kind))


def read(
    data_dir: Path,
    last: YearMonth | None = None,
    *,
    project: Project | None = None,
    loaded: dict[YearMonth, Month] | None = None,
    totals_only: bool = False,
) -> Span:
    """Read every month folder up to `last` (default: the latest) once; raises DataError with
    every problem of every month read. `loaded` months are taken as they are, not read again.

    `totals_only` (stats, progress): each month's data is let go once its records are made,
    and its records are folded (`records.folded`), so memory does not grow with the months
    read; the span then answers every figure, total and restriction, but its views hold no
    data and its records name no line."""
    with collector_paused():  # many small objects, none of them garbage: no cycle search
        return _read(data_dir, last, project, loaded or {}, totals_only)


def _read(
    data_dir: Path,
    last: YearMonth | None,
    project: Project | None,
    loaded: dict[YearMonth, Month],
    totals_only: bool = False,
) -> Span:
    project = project or load_project(data_dir)
    found = list_months(data_dir)
    if not found:
        latest_month(data_dir)  # the error that says the data has no month folder
    last = last or found[-1]
    span = Span(data_dir, project, found, last)
    problems: list[Problem] = []
    records: dict[str, dict[YearMonth, list[Record]]] = defaultdict(lambda: defaultdict(list))
    previous: Month | None = None
    for month in found:
        if month > last:
            break
        try:
            data = loaded.get(month) or load_month(project, data_dir, month)
        except DataError as exc:
            problems += exc.problems
            previous = None
            continue
        summary = summarize(project, data, keep_rows=False)
        before = previous if previous is not None and previous.month == month.prev() else None
        plan = follow_through(before.plans, summary) if before is not None else None
        made = month_records(data, plan, before)
        if totals_only:
            made = folded(made)
            span.views[month] = MonthView(None, None, plan is not None)
            # What reading the month left in reference cycles is freed now, before the next
            # month: a collection of the youngest generation, which holds just this month's
            # objects while the collector is paused (a cost paid once per object).
            gc.collect(0)
        else:
            span.views[month] = MonthView(data, plan, plan is not None)
        for r in made:
            records[r.figure][r.month].append(r)
        previous = data
    if problems:
        raise DataError(problems)
    span._records = {k: dict(v) for k, v in records.items()}
    return span
