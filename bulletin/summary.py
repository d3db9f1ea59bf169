"""Aggregate one month's records into the figures the bulletin and `bulletin stats` print.

This is the only place where anything is counted: the document, the article placeholders
and the statistics all read these objects. It is also the one place where records are put
in order: table rows are sorted by date, and records of the same date keep the order in
which they were typed (a stable sort).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

from bulletin.models import Activity, Month, PlanItem, Project, Service, Visit, Wish, YearMonth


@dataclass(frozen=True)
class VisitSummary:
    households: int
    by_mode: dict[str, int]
    by_town: dict[str, int]  # in the order of the project's town list
    rows: tuple[Visit, ...] = ()

    @property
    def towns(self) -> list[str]:
        return list(self.by_town)


@dataclass(frozen=True)
class WishSummary:
    collected: int
    fulfilled: int  # of this month's wishes, fulfilled by now (any month)
    rows: tuple[Wish, ...] = ()


@dataclass(frozen=True)
class ActivityLine:
    id: str | None
    name: str
    kind: str
    sessions: int
    participants: int
    partners: tuple[str, ...]
    plan: str | None
    source: Activity | None = None


@dataclass(frozen=True)
class ScheduleRow:
    """A line of 服务汇总表: an activity's session or an ongoing service."""

    date: date | None  # None: the whole month
    content: str
    place: str


@dataclass(frozen=True)
class CounsellingSummary:
    people: int
    hours: float
    sessions: int | None  # None when a line does not say
    lines: int
    channels: tuple[str, ...]
    by_topic: dict[str, int]  # topic -> people on the lines naming it, most frequent first
    sessions_given: int | None = None  # sum over the lines that give sessions; None if none does

    @property
    def topics(self) -> list[str]:
        return list(self.by_topic)


@dataclass(frozen=True)
class Summary:
    """The figures of one month."""

    month: YearMonth
    issue: int
    visits: VisitSummary
    wishes: WishSummary
    activities: tuple[ActivityLine, ...]
    services: tuple[Service, ...]
    counselling: CounsellingSummary
    plans: tuple[PlanItem, ...]
    fulfilled_wishes: tuple[date, ...] = field(default=())  # dates of wishes fulfilled
    schedule: tuple[ScheduleRow, ...] = ()  # 服务汇总表, see schedule_rows

    @property
    def activity_sessions(self) -> int:
        """活动场次: sessions of every activity."""
        return sum(a.sessions for a in self.activities)

    @property
    def activity_participants(self) -> int:
        return sum(a.participants for a in self.activities)

    @property
    def people_served(self) -> int:
        """服务人次: activity participants + households visited + people counselled."""
        return self.activity_participants + self.visits.households + self.counselling.people

    @property
    def plan_rows(self) -> int:
        return sum(len(p.rows) for p in self.plans)


def by_date(records: list) -> tuple:
    """Records in date order; equal dates keep the order they were typed in."""
    return tuple(sorted(records, key=lambda r: r.date))


def schedule_rows(month: Month) -> tuple[ScheduleRow, ...]:
    """服务汇总表: every activity session and dated service by date, then the services
    that run the whole month, in the order typed."""
    dated = [
        ScheduleRow(s.date, s.title or a.name, s.venue)
        for a in month.activities
        for s in a.sessions
    ]
    dated += [ScheduleRow(s.date, s.name, s.place) for s in month.services if s.date]
    monthly = [ScheduleRow(None, s.name, s.place) for s in month.services if not s.date]
    return by_date(dated) + tuple(monthly)


def summarize_visits(visits: list[Visit], towns: list[str]) -> VisitSummary:
    counts = Counter(v.town for v in visits)
    order = {t: i for i, t in enumerate(towns)}
    by_town = {t: counts[t] for t in sorted(counts, key=lambda t: order.get(t, len(order)))}
    by_mode = Counter(v.mode for v in visits)
    return VisitSummary(
        households=len(visits),
        by_mode={m: by_mode[m] for m in ("电访", "走访") if by_mode[m]},
        by_town=by_town,
        rows=by_date(visits),
    )


def summarize_counselling(month: Month) -> CounsellingSummary:
    lines = month.consultations
    topics: Counter[str] = Counter()
    first: dict[str, int] = {}
    for i, line in enumerate(lines):
        for topic in line.topics:
            topics[topic] += line.people
            first.setdefault(topic, i)
    ordered = sorted(topics, key=lambda t: (-topics[t], first[t]))
    channels = tuple(dict.fromkeys(line.channel for line in lines))
    sessions = [line.sessions for line in lines]
    return CounsellingSummary(
        people=sum(line.people for line in lines),
        hours=round(sum(line.hours for line in lines), 2),
        sessions=sum(s for s in sessions if s is not None)
        if all(s is not None for s in sessions) and sessions
        else None,
        lines=len(lines),
        channels=channels,
        by_topic={t: topics[t] for t in ordered},
        sessions_given=sum(s for s in sessions if s is not None)
        if any(s is not None for s in sessions)
        else None,
    )


def issue_number(project: Project, month: YearMonth, issue: int | None = None) -> int:
    """第 NN 期: `issue` as set in the month's month.yaml, else counted from the project's
    first issue. The build and `bulletin new` both number issues here."""
    if issue is not None:
        return issue
    return month.index() - project.first_month.index() + 1


def summarize(project: Project, month: Month, *, keep_rows: bool = True) -> Summary:
    """Compute the month's figures; `keep_rows=False` drops the records (for stats)."""
    visits = summarize_visits(month.visits, project.towns)
    wishes = WishSummary(
        collected=len(month.wishes),
        fulfilled=sum(1 for w in month.wishes if w.fulfilled is not None),
        rows=tuple(month.wishes),
    )
    activities = tuple(
        ActivityLine(
            id=a.id,
            name=a.name,
            kind=a.kind,
            sessions=len(a.sessions),
            participants=a.total_participants,
            partners=tuple(a.partners),
            plan=a.plan,
            source=a if keep_rows else None,
        )
        for a in month.activities
    )
    summary = Summary(
        month=month.month,
        issue=issue_number(project, month.month, month.info.issue),
        visits=visits,
        wishes=wishes,
        activities=activities,
        services=tuple(month.services),
        counselling=summarize_counselling(month),
        plans=tuple(month.plans),
        fulfilled_wishes=tuple(w.fulfilled for w in month.wishes if w.fulfilled is not None),
        schedule=schedule_rows(month) if keep_rows else (),
    )
    if not keep_rows:
        summary = replace(
            summary,
            visits=replace(visits, rows=()),
            wishes=replace(wishes, rows=()),
        )
    return summary
