"""The records each figure of the registry counts, read off one month's data.

Every figure's value is made from these records (`figures.value`), and `--explain` lists the
same records, so what a reviewer checks line by line is what was added up.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bulletin.i18n import t
from bulletin.models import Activity, EvidenceFile, Month, Satisfaction, Session, YearMonth
from bulletin.plans import PlanReport
from bulletin.wording import list_text


@dataclass(slots=True)
class Record:
    """One record counted into a figure, in the month it counts in."""

    figure: str
    month: YearMonth
    file: Path
    line: int
    text: str
    value: float | int = 1
    date: date | None = None
    key: str = ""  # what a distinct figure counts once (a town, a service)
    town: str | None = None
    kind: str | None = None
    group: str = ""  # what the record belongs to: an activity, for counting activities
    mode: str | None = None  # a visit's mode: 电访 or 走访
    topics: tuple[str, ...] = ()
    part: int = 0  # a rate's share of the value: a questionnaire's satisfied answers
    at: tuple[str | int, ...] = ()  # where in its file: the keys and indexes to its line
    # the files kept as its evidence: (path, what it is), for the evaluation pack
    evidence: tuple[tuple[Path, str], ...] = ()


def month_records(m: Month, plan: PlanReport | None, previous: Month | None) -> list[Record]:
    """Every record month `m` holds, for every figure that is not made of others; `plan` is how
    `m` carried out `previous`'s plan (None when the previous month has no folder)."""
    return list(_records(m, plan, previous))


def folded(records: list[Record]) -> list[Record]:
    """`records` with those alike in everything a figure's value, its restrictions and the
    `stats --by` rows read (figure, month, key, town, kind, group, mode, topics) added into
    one: the same value for every figure by `figures.value`, in a fraction of the memory.
    What names a single record (file line, text, date, evidence) is dropped, so folded
    records serve totals, never `--explain`, the ledger or the evaluation pack."""
    alike: dict[tuple, Record] = {}
    for r in records:
        what = (r.figure, r.month, r.key, r.town, r.kind, r.group, r.mode, r.topics)
        into = alike.get(what)
        if into is None:
            alike[what] = Record(
                r.figure, r.month, r.file.parent, 0, "", r.value, None, r.key, r.town, r.kind,
                r.group, r.mode, r.topics, r.part,
            )  # fmt: skip
        else:
            into.value += r.value
            into.part += r.part
    return list(alike.values())


_FILES = ("visits.yaml", "wishes.yaml", "events.yaml", "consultations.yaml", "plans.yaml")


def _records(m: Month, plan: PlanReport | None, previous: Month | None) -> Iterator[Record]:
    ym = m.month
    files = {name: m.folder / name for name in _FILES}

    def rec(figure: str, name: str, path: tuple, text: str, value: Any = 1, **kw) -> Record:
        return Record(figure, ym, files[name], m.line(name, path), text, value, at=path, **kw)

    def kept(*lists: list[EvidenceFile]) -> tuple[tuple[Path, str], ...]:
        return tuple((m.folder / e.file, e.label) for items in lists for e in items)

    for i, v in enumerate(m.visits):
        # one record a visit: phone_visits, home_visits and towns count these too
        text = f"{v.date} {v.name} {v.town} {v.mode}"
        at = ("visits", i)
        yield rec(
            "visits", "visits.yaml", at, text, date=v.date, key=v.town, town=v.town, mode=v.mode,
            evidence=kept(v.evidence),
        )  # fmt: skip
    for i, w in enumerate(m.wishes):
        evidence = kept(w.evidence)
        yield rec(
            "wishes_collected", "wishes.yaml", ("wishes", i), f"{w.name} {w.wish}", town=w.town,
            evidence=evidence,
        )  # fmt: skip
        if w.fulfilled:
            yield Record(
                "wishes_fulfilled",
                _month_of(w.fulfilled),
                files["wishes.yaml"],
                m.line("wishes.yaml", ("wishes", i, "fulfilled")),
                f"{w.name} {w.wish} {w.fulfilled}",
                date=w.fulfilled,
                town=w.town,
                evidence=evidence,
            )
    for i, a in enumerate(m.activities):
        group = f"{ym}/{i}"
        for j, s in enumerate(a.sessions):
            at = ("activities", i, "sessions", j)
            text = f"{a.name} {s.date} {s.venue}"
            yield rec(
                "activity_sessions", "events.yaml", at, text, date=s.date, kind=a.kind,
                group=group, evidence=kept(s.evidence),
            )  # fmt: skip
        first = min(s.date for s in a.sessions)
        for at, day, q, held in _questionnaires(a, i, first):
            # one record a questionnaire: the satisfaction rate pools these
            yield rec(
                "satisfaction_responses", "events.yaml", at, f"{a.name} {day} {satisfied_text(q)}",
                q.total, date=day, kind=a.kind, group=group, part=q.satisfied,
                evidence=kept(*(s.evidence for s in held)),
            )  # fmt: skip
        if a.participants is not None:
            at = ("activities", i, "participants")
            yield rec(
                "activity_participants", "events.yaml", at, a.name, a.participants,
                date=first, kind=a.kind, group=group,
                evidence=kept(*(s.evidence for s in a.sessions)),
            )  # fmt: skip
            continue
        for j, s in enumerate(a.sessions):
            at = ("activities", i, "sessions", j, "participants")
            yield rec(
                "activity_participants", "events.yaml", at, f"{a.name} {s.date}",
                s.participants or 0, date=s.date, kind=a.kind, group=group,
                evidence=kept(s.evidence),
            )  # fmt: skip
    for i, s in enumerate(m.services):
        yield rec(
            "services",
            "events.yaml",
            ("services", i),
            f"{s.name} {s.place}",
            date=s.date,
            key=s.name,
        )
    for i, c in enumerate(m.consultations):
        text = f"{c.counsellor} {c.channel}" + (f" {c.date}" if c.date else "")
        topics = tuple(c.topics)
        for attr in ("people", "hours", "sessions"):
            value = getattr(c, attr)
            if value is not None:
                at = ("consultations", i, attr)
                yield rec(
                    f"counselling_{attr}",
                    "consultations.yaml",
                    at,
                    text,
                    value,
                    date=c.date,
                    topics=topics,
                )
    for i, p in enumerate(m.plans):
        for j, row in enumerate(p.rows):
            yield rec("planned", "plans.yaml", ("plans", i, "rows", j), f"{p.name} {row.target}")
    if plan is not None and previous is not None:
        done = {id(item): names for item, names in plan.done}
        for i, item in enumerate(previous.plans):
            line = previous.line("plans.yaml", ("plans", i))
            names = done.get(id(item))
            text = item.name + (f" ← {list_text(names)}" if names else "")
            file = previous.folder / "plans.yaml"
            yield Record("plan_items", ym, file, line, text)
            if names:
                yield Record("plan_done", ym, file, line, text)


def _questionnaires(
    a: Activity, i: int, first: date
) -> Iterator[tuple[tuple, date, Satisfaction, list[Session]]]:
    """The activity's questionnaires, each with the path of its `satisfaction:` key, its day
    (an activity's own: its first session's) and the sessions it was collected at (whose
    evidence files are its own)."""
    if a.satisfaction is not None:
        yield ("activities", i, "satisfaction"), first, a.satisfaction, a.sessions
    for j, s in enumerate(a.sessions):
        if s.satisfaction is not None:
            yield ("activities", i, "sessions", j, "satisfaction"), s.date, s.satisfaction, [s]


def satisfied_text(q: Satisfaction) -> str:
    """What a questionnaire's record says: 满意 9/10 (its satisfied answers of its responses),
    in the data's language, as the rest of a record's text."""
    return t("record_satisfied", "zh", satisfied=q.satisfied, responses=q.total)


def _month_of(day: date) -> YearMonth:
    return YearMonth(day.year, day.month)
