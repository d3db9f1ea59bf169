"""Sign-in sheets (签到表): one page per session of a month, to be signed by hand.

The sessions are those of the plan published with the month before (服务预告: each row of a
plan item is a session: its target is the place or the people, its due the day or the whole
month, its staff who follows it up) and those the month's events.yaml records (each session
of an activity: its day, venue and participants). A plan item that a recorded activity
carries out (the one rule of bulletin.plans) prints as its recorded sessions, not twice; one
that an ongoing service carries out has no sessions to sign in, and the notes say so.

The look, the fixed words and the columns live in the Word template (templates/signin.docx);
the dates and the file's name in the phrases signin_day, signin_month and signin_file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from bulletin.errors import BuildError, Msg, UsageError, display_path
from bulletin.loader import load_month, load_project
from bulletin.models import Activity, Month, PlanItem, Project, YearMonth
from bulletin.plans import plan_matches, service_carries_out
from bulletin.wording import Wording, list_text, load_wording

DEFAULT_ROWS = 15  # rows of the default template's first page: a sheet is never shorter
MOST_ROWS = 1000


@dataclass(frozen=True)
class Session:
    """One session to sign in, before its words are chosen."""

    activity: str
    when: date | YearMonth  # a day, or the whole month (the day left blank)
    venue: str
    staff: tuple[str, ...]
    expected: int | None  # participants recorded or expected; None when unknown
    recorded: bool  # from events.yaml, not from the plan


@dataclass
class SigninContext:
    """What the sign-in template reads; all text is Simplified Chinese."""

    name: str  # the project
    organisation: str
    month: str  # 2020年3月
    dated: datetime
    # per sheet: activity, date, venue, staff (text) and rows (the numbers 1, 2, …)
    sheets: list[dict[str, object]] = field(default_factory=list)


@dataclass
class Sessions:
    """The month's sessions and what the notes tell the user about the plan."""

    month: YearMonth
    sessions: list[Session]
    planned: int  # sessions from the plan
    recorded: int  # sessions from events.yaml
    by_service: list[tuple[str, str]]  # plan items an ongoing service carries out: item, service
    done: list[str]  # plan items a recorded activity carries out
    no_plan: bool  # the month before has no plan (or no folder)


def _order(s: Session) -> int:
    """Day by day; the sessions due some time in the month (no day) after them."""
    return s.when.day if isinstance(s.when, date) else 32


def _staff_of(item: PlanItem | None, day: date) -> tuple[str, ...]:
    """Who follows a recorded session up: its plan item's row due that day, else every
    person on the item's rows (in order, once)."""
    if item is None:
        return ()
    rows = item.filled_rows()
    same_day = [r for r in rows if r.due == day]
    chosen = same_day or rows
    return tuple(dict.fromkeys(name for r in chosen for name in r.staff))


def _recorded(activity: Activity, item: PlanItem | None) -> list[Session]:
    """An activity's sessions. A session's participants when recorded; with only the
    activity's total, an even share of it (rounded up)."""
    out = []
    share = None
    if activity.participants is not None:
        share = math.ceil(activity.participants / len(activity.sessions))
    for s in activity.sessions:
        expected = s.participants if s.participants is not None else share
        out.append(Session(activity.name, s.date, s.venue, _staff_of(item, s.date), expected, True))
    return out


def collect(data_dir: Path, month: YearMonth, project: Project | None = None) -> Sessions:
    """The sessions of `month`: its recorded ones and the rest of last month's plan. Raises
    DataError if a month read is invalid and BuildError when there is no session at all."""
    project = project or load_project(data_dir)
    prev = month.prev()
    before: Month | None = None
    if (data_dir / str(prev)).is_dir():
        before = load_month(project, data_dir, prev)
    this = load_month(project, data_dir, month) if (data_dir / str(month)).is_dir() else None
    plans = list(before.plans) if before is not None else []
    activities = list(this.activities) if this is not None else []
    services = [s.name for s in this.services] if this is not None else []

    sessions: list[Session] = []
    by_service: list[tuple[str, str]] = []
    done: list[str] = []
    matched: dict[int, PlanItem] = {}  # activity index -> the plan item it carries out
    for item in plans:
        doers = [i for i, a in enumerate(activities) if plan_matches(item, a.name, a.id, a.plan)]
        if doers:
            done.append(item.name)
            for i in doers:
                matched.setdefault(i, item)
            continue
        service = item.service or next((s for s in services if service_carries_out(item, s)), None)
        if service is not None:
            by_service.append((item.name, service))
            continue
        for row in item.filled_rows():
            sessions.append(Session(item.name, row.due, row.target, tuple(row.staff), None, False))
    planned = len(sessions)
    for i, activity in enumerate(activities):
        sessions += _recorded(activity, matched.get(i))
    if not sessions:
        raise BuildError(
            Msg(
                "signin_nothing",
                {
                    "month": str(month),
                    "plan": display_path(data_dir / str(prev) / "plans.yaml"),
                    "events": display_path(data_dir / str(month) / "events.yaml"),
                },
            ),
            Msg("hint_signin_nothing", {"prev": str(prev), "month": str(month)}),
        )
    sessions.sort(key=_order)
    return Sessions(
        month,
        sessions,
        planned=planned,
        recorded=len(sessions) - planned,
        by_service=by_service,
        done=done,
        no_plan=not plans,
    )


def notes(found: Sessions) -> list[Msg]:
    """What the user is told about the plan items that print no sheet of their own."""
    said = []
    prev = str(found.month.prev())
    if found.no_plan:
        said.append(Msg("signin_no_plan", {"prev": prev, "month": str(found.month)}))
    if found.by_service:
        items = list_text(item for item, _ in found.by_service)
        said.append(Msg("signin_by_service", {"n": len(found.by_service), "items": items}))
    if found.done:
        said.append(Msg("signin_recorded", {"n": len(found.done), "items": list_text(found.done)}))
    return said


def rows_of(session: Session, rows: int | None) -> int:
    """How many rows a sheet has: `rows` when given; else its expected participants, and
    never fewer than a page of the default template."""
    if rows is not None:
        return rows
    return max(session.expected or 0, DEFAULT_ROWS)


def signin_context(
    project: Project, found: Sessions, wording: Wording, rows: int | None = None
) -> SigninContext:
    """The template's names for the sessions found, in the project's phrases."""
    names = {"project": project.model_dump()}
    words = wording.bind(names)
    nxt = found.month.next()
    ctx = SigninContext(
        name=project.name,
        organisation=project.organisation,
        month=words.month(found.month),
        dated=datetime(nxt.year, nxt.month, 1, tzinfo=UTC),
    )
    for s in found.sessions:
        when = s.when
        if isinstance(when, date):
            shown = {"year": when.year, "month": when.month, "day": when.day}
            said = wording.say("signin_day", **names, date=shown)
        else:
            shown = {"year": when.year, "month": when.month, "day": 0}
            said = wording.say("signin_month", **names, date=shown)
        ctx.sheets.append(
            {
                "activity": s.activity,
                "date": said,
                "venue": s.venue,
                "staff": wording.say("list_text", **names, items=list(s.staff)),
                "rows": [str(n) for n in range(1, rows_of(s, rows) + 1)],
            }
        )
    return ctx


@dataclass
class Written:
    path: Path
    sheets: int
    planned: int
    recorded: int
    notes: list[Msg]


def write_signin(
    data_dir: Path,
    month: YearMonth,
    out: Path | None,
    templates: Path | None = None,
    rows: int | None = None,
) -> Written:
    """Write the month's sign-in sheets (default: build/ and the phrase signin_file); writes
    nothing when anything fails."""
    from bulletin.output import write_atomically
    from bulletin.ranges import default_output
    from bulletin.render import render_signin
    from bulletin.template_search import SIGNIN_TEMPLATE, find_template

    if rows is not None and not 1 <= rows <= MOST_ROWS:
        raise UsageError(Msg("signin_rows_range", {"value": rows, "most": MOST_ROWS}))
    project = load_project(data_dir)
    wording = load_wording(project, data_dir, templates)
    template = find_template(SIGNIN_TEMPLATE, project, data_dir, templates)
    found = collect(data_dir, month, project)
    context = signin_context(project, found, wording, rows)
    payload = render_signin(context, template)
    names = {"project": project.model_dump()}
    out = out or default_output(wording.say("signin_file", **names, month=str(month)), ".docx")
    write_atomically(payload, out)
    return Written(out, len(found.sessions), found.planned, found.recorded, notes(found))
