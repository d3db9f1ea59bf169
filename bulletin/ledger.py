"""The service ledger (服务台账): one row per record of a range of months, one sheet per kind,
in the order an evaluator reads them, with the file and line each row comes from.

Each sheet ends with a totals row whose figures are those of `bulletin stats` for the same
range (the tests check that the rows add up to them); the first sheet holds the range, the
contract indicators and every stats figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from bulletin import figures, period
from bulletin.errors import display_path
from bulletin.i18n import t
from bulletin.loader import collector_paused
from bulletin.models import Month, Project, YearMonth
from bulletin.plans import PlanReport
from bulletin.ranges import Range
from bulletin.stats import Stats, figures_of
from bulletin.tables import Sheet, figure_cell, number
from bulletin.wording import list_text

WIDE = 40  # characters of a column that wraps (names, contents, evidence)


def _zh(key: str, **values: Any) -> str:
    """A word of the ledger: a Chinese document whatever the command's language."""
    return t(key, "zh", **values)


def ledger_total() -> str:
    """The first cell of each sheet's totals row."""
    return _zh("ledger_total")


def _heads(*names: str) -> list[str]:
    """Column headers, from their catalogue keys."""
    return [_zh(name) for name in names]


@dataclass
class Ledger:
    first: YearMonth
    last: YearMonth
    stats: Stats
    sheets: list[Sheet]


def _source(m: Month, name: str, path: tuple) -> str:
    return f"{_shown(m.folder, name)}:{m.line(name, path)}"


@lru_cache(maxsize=64)
def _shown(folder: Path, name: str) -> str:
    return display_path(folder / name, folder.parent)


def _staff(plan: PlanReport | None) -> dict[str, str]:
    """Activity name -> the staff of the plan item it carried out (from last month's plan)."""
    if plan is None:
        return {}
    staff: dict[str, str] = {}
    for item, names in plan.done:
        people: list[str] = []
        for row in item.rows:
            for person in row.staff or []:
                if person not in people:
                    people.append(person)
        for name in names:
            staff.setdefault(name, list_text(people))
    return staff


def _evidence(m: Month, name: str, ident: str | None) -> str:
    """Pictures of the month's articles that name the activity, and image files whose name
    begins with the activity's id; as paths relative to the data folder."""
    found: list[str] = []
    for article in m.articles:
        words = " ".join(filter(None, (article.title, article.subtitle, article.body)))
        if name in words:
            found += [image.path for image in article.images]
    images = m.folder / "images"
    if ident and images.is_dir():
        found += [f"images/{p.name}" for p in sorted(images.iterdir()) if p.name.startswith(ident)]
    return "\n".join(f"{m.month}/{p}" for p in dict.fromkeys(found))


def _satisfaction(records: list, whole: bool = False) -> str:
    """A row's questionnaires: their 满意度 with satisfied answers of responses, e.g.
    95.8%（满意 23/24 份）; `whole`: the activity's own questionnaire, on its first row."""
    if not records:
        return ""
    rate = figure_cell("satisfaction", figures.value("satisfaction", records))
    satisfied = sum(r.part for r in records)
    responses = sum(r.value for r in records)
    key = "ledger_satisfaction_whole" if whole else "ledger_satisfaction_value"
    return _zh(key, rate=rate, satisfied=satisfied, responses=responses)


def _numbered(rows: list[tuple[Any, list[Any]]]) -> list[list[Any]]:
    """The rows in date order (a stable sort: one day's records as typed), numbered 1, 2, …"""
    ordered = sorted(rows, key=lambda r: r[0])
    return [[n, *row] for n, (_day, row) in enumerate(ordered, 1)]


def build_ledger(
    span: period.Span,
    first: YearMonth | None = None,
    last: YearMonth | None = None,
    stats: Stats | None = None,
) -> Ledger:
    """The ledger of [first, last] (default: every month with data) from the months read;
    with `stats` when the figures are worked out already, over their months."""
    stats = stats or figures_of(span, first, last)
    first, last = stats.first, stats.last
    total = stats.total
    months = [v.data for m, v in span.views.items() if m <= last]
    # Each sheet is in date order; records of the same day keep the order they were typed in
    # (months in order, then lines), so the sort key is the date alone and the sort stable.
    visits: list[tuple[Any, list[Any]]] = []
    sessions: list[tuple[Any, list[Any]]] = []
    services: list[tuple[Any, list[Any]]] = []
    counselling: list[tuple[Any, list[Any]]] = []
    wishes: list[tuple[Any, list[Any]]] = []
    for m in months:
        whole = date(m.month.year, m.month.month, 1)  # a record dated by its month only
        for i, w in enumerate(m.wishes):
            done = w.fulfilled and first <= YearMonth(w.fulfilled.year, w.fulfilled.month) <= last
            if first <= m.month or done:
                row = [
                    str(m.month),
                    w.name,
                    w.town or "",
                    w.wish,
                    w.situation,
                    str(w.fulfilled) if w.fulfilled else "",
                    w.donor or "",
                    _source(m, "wishes.yaml", ("wishes", i)),
                ]
                wishes.append((whole, row))
        if m.month < first:
            continue
        for i, v in enumerate(m.visits):
            row = [str(v.date), v.town, v.name, v.mode, 1, _source(m, "visits.yaml", ("visits", i))]
            visits.append((v.date, row))
        staff = _staff(span.views[m.month].plan)
        questionnaires = span.records("satisfaction", m.month, m.month)
        for i, a in enumerate(m.activities):
            evidence = _evidence(m, a.name, a.id)
            common = [list_text(a.partners), staff.get(a.name, ""), evidence]
            mine = [r for r in questionnaires if r.group == f"{m.month}/{i}"]
            if a.participants is not None:
                # Participants given for the whole activity: one row for all its sessions, so
                # no session reads as one with nobody.
                days = sorted({s.date for s in a.sessions})
                row = [
                    list_text([str(d) for d in days]),
                    list_text(list(dict.fromkeys(s.venue for s in a.sessions))),
                    a.name,
                    _zh("ledger_whole_activity", n=len(a.sessions)),
                    a.kind,
                    len(a.sessions),
                    a.participants,
                    _satisfaction(mine),
                    *common,
                    _source(m, "events.yaml", ("activities", i, "participants")),
                ]
                sessions.append((days[0], row))
                continue
            for j, s in enumerate(a.sessions):
                # the session's questionnaire; one for the whole activity on its first row
                here = ("activities", i, "sessions", j, "satisfaction")
                own = [r for r in mine if r.at == here]
                if j == 0 and a.satisfaction is not None:
                    own = mine
                row = [
                    str(s.date),
                    s.venue,
                    a.name,
                    s.title if s.title and s.title != a.name else "",
                    a.kind,
                    1,
                    s.participants,
                    _satisfaction(own, whole=a.satisfaction is not None),
                    *common,
                    _source(m, "events.yaml", ("activities", i, "sessions", j)),
                ]
                sessions.append((s.date, row))
        for i, s in enumerate(m.services):
            row = [
                str(s.date or m.month),
                s.place,
                s.name,
                _source(m, "events.yaml", ("services", i)),
            ]
            services.append((s.date or whole, row))
        for i, c in enumerate(m.consultations):
            row = [
                str(c.date or m.month),
                c.channel,
                list_text(c.topics),
                c.people,
                c.hours,
                c.sessions,
                c.counsellor,
                _source(m, "consultations.yaml", ("consultations", i)),
            ]
            counselling.append((c.date or whole, row))
    visits, sessions, services, counselling, wishes = (
        _numbered(rows) for rows in (visits, sessions, services, counselling, wishes)
    )
    label = ledger_total()
    sheets = [
        Sheet(
            _zh("ledger_sheet_visits"),
            _heads(
                "ledger_number",
                "ledger_date",
                "ledger_town",
                "ledger_client",
                "ledger_mode",
                "ledger_households",
                "ledger_source",
            ),
            visits,
            [label, "", "", "", "", total["visits"], ""],
            {3: WIDE},
        ),
        Sheet(
            _zh("ledger_sheet_activities"),
            _heads(
                "ledger_number",
                "ledger_date",
                "ledger_venue",
                "ledger_activity",
                "ledger_content",
                "ledger_kind",
                "ledger_sessions",
                "ledger_participants",
                "ledger_satisfaction",
                "ledger_partners",
                "ledger_staff",
                "ledger_evidence",
                "ledger_source",
            ),
            sessions,
            [
                label,
                "",
                "",
                "",
                "",
                "",
                total["activity_sessions"],
                total["activity_participants"],
                figure_cell("satisfaction", total["satisfaction"]) or "",
                "",
                "",
                "",
                "",
            ],
            {2: WIDE, 3: WIDE, 4: WIDE, 9: WIDE, 11: WIDE},
        ),
        Sheet(
            _zh("ledger_sheet_services"),
            _heads(
                "ledger_number", "ledger_date", "ledger_venue", "ledger_service", "ledger_source"
            ),
            services,
            [label, "", "", total["services"], ""],
            {3: WIDE},
        ),
        Sheet(
            _zh("ledger_sheet_counselling"),
            _heads(
                "ledger_number",
                "ledger_date",
                "ledger_mode",
                "ledger_topics",
                "ledger_people",
                "ledger_hours",
                "ledger_times",
                "ledger_counsellor",
                "ledger_source",
            ),
            counselling,
            [
                label,
                "",
                "",
                "",
                total["counselling_people"],
                total["counselling_hours"],
                total["counselling_sessions"],
                "",
                "",
            ],
            {3: WIDE},
        ),
        Sheet(
            _zh("ledger_sheet_wishes"),
            _heads(
                "ledger_number",
                "ledger_collected_month",
                "ledger_worker",
                "ledger_town",
                "ledger_wish",
                "ledger_situation",
                "ledger_fulfilled_date",
                "ledger_donor",
                "ledger_source",
            ),
            wishes,
            [
                label,
                _zh("ledger_collected", count=total["wishes_collected"]),
                "",
                "",
                "",
                "",
                _zh("ledger_fulfilled", count=total["wishes_fulfilled"]),
                "",
                "",
            ],
            {4: WIDE, 5: WIDE},
        ),
    ]
    for sheet in sheets:
        sheet.source = len(sheet.headers) - 1  # the source: a message names the row's file:line
    return Ledger(first, last, stats, [_summary_sheet(span, stats), *sheets])


def _summary_sheet(span: period.Span, stats: Stats) -> Sheet:
    """The first sheet: the range, the contract indicators over it, every stats figure."""
    from bulletin.progress import measure

    project = span.project
    span_text = _zh("ledger_range_value", first=stats.first, last=stats.last)
    rows: list[list[Any]] = [[_zh("ledger_range"), span_text, "", ""]]
    as_of = span.as_of(stats.first, stats.last)
    if as_of is not None:  # the latest month with data: what the totals are as of
        rows.append([_zh("ledger_as_of"), str(as_of), "", ""])
    bold: set[int] = set()
    contract = project.period_of(stats.first)
    if contract and contract.indicators and contract.contains(stats.last):
        values, _notes = measure(span, contract.indicators, stats.first, stats.last)
        named = _zh(
            "ledger_contract_value", name=contract.name, start=contract.start, end=contract.end
        )
        rows.append([_zh("ledger_contract"), named, "", ""])
        rows.append(["", "", "", ""])
        bold.add(len(rows))
        rows.append(_heads("ledger_indicator", "ledger_figure", "ledger_target", "ledger_actual"))
        for indicator, value in zip(contract.indicators, values, strict=True):
            rows.append(
                [
                    indicator.name,
                    figures.label(indicator.figure, "zh"),
                    figure_cell(indicator.figure, number(indicator.target)),
                    figure_cell(indicator.figure, value),
                ]
            )
    rows.append(["", "", "", ""])
    bold.add(len(rows))
    rows.append([*_heads("ledger_figure", "ledger_key"), ledger_total(), ""])
    for f in figures.FIGURES:
        rows.append([f.zh, f.key, figure_cell(f.key, stats.total.get(f.key)), ""])
    title = [_zh("ledger_title"), "", "", ""]
    sheet = Sheet(_zh("ledger_sheet_summary"), title, rows, None, {0: WIDE, 1: WIDE})
    sheet.bold = bold
    return sheet


def write_ledger(
    data_dir: Path,
    wanted: Range,
    kind: str,
    output: Path | None,
    project: Project | None = None,
) -> tuple[Path, dict[Path, bytes]]:
    """The ledger of `wanted` as files to write: (where it goes, {file: bytes}); one .xlsx, or
    a folder with a .csv per sheet (default build/, named by the ledger_file key). Raises when no month
    of the range has data: an empty ledger would read as a period without service."""
    with collector_paused():  # the months' objects, none of them garbage, are walked once
        return _ledger_files(data_dir, wanted, kind, output, project)


def _ledger_files(
    data_dir: Path, wanted: Range, kind: str, output: Path | None, project: Project | None
) -> tuple[Path, dict[Path, bytes]]:
    from bulletin import tables
    from bulletin.ranges import default_output
    from bulletin.stats import require_data

    span = period.read(data_dir, wanted.last, project=project)
    book = build_ledger(span, wanted.first, wanted.last)
    require_data(book.stats, data_dir)
    suffix = ".xlsx" if kind == "xlsx" else ""
    out = output or default_output(_zh("ledger_file", first=book.first, last=book.last), suffix)
    if kind == "xlsx":
        return out, {out: tables.to_xlsx(book.sheets, book.last)}
    return out, {out / f"{sheet.title}.csv": tables.to_csv(sheet) for sheet in book.sheets}
