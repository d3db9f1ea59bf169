"""A held-out oracle: a generated 15-month project with two contract periods, and every figure,
ledger row and explained record of it worked out from the generator's own parameters and the
README's definitions alone (never by the code under test).

The generator writes the YAML files as a social worker would, line by line, so it knows the
`file:line` of every record it writes. `Oracle` then answers, from those records only, what
`bulletin stats`, `progress`, `ledger`, `report` and `stats --explain` must say.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

from conftest import write_project
from PIL import Image

SEED = 20230115
FIRST = (2023, 1)
N_MONTHS = 15
MISSING = "2023-07"  # no folder: a wish is fulfilled in it all the same
# Months that leave out files they do not need: their counselling log (no line gives sessions,
# so the month has none) and their plan (the next month carries out a plan of no items).
LEFT_OUT = ("2023-04", "2023-09")
TOWNS = ["神湾镇", "黄圃镇", "三乡镇", "东凤镇", "东升镇", "民众镇"]
SURNAMES = ["黄", "梁", "陈", "李", "张", "王", "刘", "周", "吴", "郭", "欧阳", "司马", "何", "罗"]
TITLES = ["女士", "先生", "阿姨", "师傅", "小姐", "伯伯"]
SERVICES = ["心理咨询", "法律咨询", "职工书屋"]
KINDS = ["职工活动", "职工关爱活动"]
TOPICS = ["婚恋问题", "情绪困扰", "亲子关系", "职场压力"]
STAFF = ["郑锦锐", "廖诗敏", "梁嘉慧", "何晓彤"]

# (name, figure as written, figure key, target, towns, kind, due)
PERIODS = [
    {
        "name": "2023年度",
        "start": "2023-01",
        "end": "2023-12",
        "indicators": [
            ("困难职工探访 不少于 60 户次", "visits", "visits", 60, None, None, None),
            ("东凤镇走访 4 户次", "走访", "home_visits", 4, ["东凤镇"], None, "2023-06"),
            ("探访覆盖镇区 6 个", "覆盖镇区", "towns", 6, None, None, None),
            ("服务职工 不少于 1200 人次", "服务人次", "people_served", 1200, None, None, None),
            (
                "关爱活动 300 人次",
                "activity_participants",
                "activity_participants",
                300,
                None,
                "职工关爱活动",
                None,
            ),
            ("关爱活动 8 场", "活动场次", "activity_sessions", 8, None, "职工关爱活动", "2023-09"),
            ("心理咨询 不少于 40 小时", "咨询小时", "counselling_hours", 40, None, None, None),
            ("完成职工微心愿 10 个", "完成心愿", "wishes_fulfilled", 10, None, None, None),
            (
                "三乡镇、黄圃镇微心愿 3 个",
                "wishes_fulfilled",
                "wishes_fulfilled",
                3,
                ["三乡镇", "黄圃镇"],
                None,
                None,
            ),
            ("持续服务 3 项", "services", "services", 3, None, None, None),
        ],
    },
    {
        "name": "2024年一季度",
        "start": "2024-01",
        "end": "2024-03",
        "indicators": [
            ("走访 8 户次", "home_visits", "home_visits", 8, None, None, None),
            ("服务职工 300 人次", "服务人次", "people_served", 300, None, None, "2024-02"),
            ("职工活动 6 场", "activity_sessions", "activity_sessions", 6, None, None, None),
            ("咨询 6 次", "咨询次数", "counselling_sessions", 6, None, None, None),
            ("民众镇收集心愿 2 个", "收集心愿", "wishes_collected", 2, ["民众镇"], None, None),
            ("电访 20 户次", "电访", "phone_visits", 20, None, None, None),
            ("东升镇微心愿 1 个", "完成心愿", "wishes_fulfilled", 1, ["东升镇"], None, None),
        ],
    },
]

KEYS = [
    "visits",
    "phone_visits",
    "home_visits",
    "towns",
    "wishes_collected",
    "wishes_fulfilled",
    "activity_sessions",
    "activity_participants",
    "services",
    "counselling_people",
    "counselling_sessions",
    "counselling_hours",
    "people_served",
    "satisfaction_responses",
    "satisfaction",
    "planned",
    "plan_done",
    "plan_items",
]
PARTS = ["activity_participants", "visits", "counselling_people"]


def month_list(first: tuple[int, int] = FIRST, n: int = N_MONTHS) -> list[str]:
    y, m = first
    out = []
    for _ in range(n):
        out.append(f"{y}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


MONTHS = month_list()


def next_month(month: str) -> str:
    y, m = int(month[:4]), int(month[5:])
    return f"{y + 1}-01" if m == 12 else f"{y}-{m + 1:02d}"


def prev_month(month: str) -> str:
    y, m = int(month[:4]), int(month[5:])
    return f"{y - 1}-12" if m == 1 else f"{y}-{m - 1:02d}"


def months_between(a: str, b: str) -> list[str]:
    out = [a]
    while out[-1] < b:
        out.append(next_month(out[-1]))
    return out


@dataclass
class Visit:
    month: str
    line: int
    date: str
    name: str
    town: str
    mode: str


@dataclass
class Wish:
    month: str
    line: int  # the `- name:` line
    name: str
    situation: str
    wish: str
    town: str | None
    fulfilled: str | None
    fulfilled_line: int | None
    donor: str | None


@dataclass
class Questionnaire:
    """A questionnaire's results as typed: counts per answer (非常满意 …) or per score (1-5),
    and `responses` when written (else the counts added up)."""

    counts: dict[str, int]
    by_score: bool
    written_responses: int | None
    line: int = 0

    @property
    def responses(self) -> int:
        given = self.written_responses
        return given if given is not None else sum(self.counts.values())

    @property
    def satisfied(self) -> int:
        """README: 非常满意 + 满意, or the scores 4 and 5."""
        best = ("4", "5") if self.by_score else ("非常满意", "满意")
        return sum(self.counts.get(k, 0) for k in best)

    def flow(self) -> str:
        counts = ", ".join(f"{k}: {v}" for k, v in self.counts.items())
        given = f"responses: {self.written_responses}, " if self.written_responses else ""
        return f"{{{given}{'scores' if self.by_score else 'answers'}: {{{counts}}}}}"


@dataclass
class Session:
    line: int
    date: str
    venue: str
    participants: int | None
    satisfaction: Questionnaire | None = None


@dataclass
class Activity:
    month: str
    line: int  # the `- ` line
    id: str | None
    name: str
    kind: str
    participants: int | None
    participants_line: int | None
    partners: list[str]
    plan: str | None
    sessions: list[Session]
    satisfaction: Questionnaire | None = None

    @property
    def questionnaires(self) -> list[Questionnaire]:
        if self.satisfaction is not None:
            return [self.satisfaction]
        return [s.satisfaction for s in self.sessions if s.satisfaction is not None]

    @property
    def total(self) -> int:
        if self.participants is not None:
            return self.participants
        return sum(s.participants or 0 for s in self.sessions)


@dataclass
class Service:
    month: str
    line: int
    name: str
    place: str


@dataclass
class Consultation:
    month: str
    line: int
    counsellor: str
    channel: str
    people: int
    hours: float
    sessions: int | None
    topics: list[str]
    date: str | None


@dataclass
class PlanItem:
    month: str
    line: int
    id: str | None
    name: str
    service: str | None
    rows: list[tuple[int, str, str, list[str]]]  # (line, target, due, staff)


@dataclass
class Month:
    month: str
    visits: list[Visit] = field(default_factory=list)
    wishes: list[Wish] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    consultations: list[Consultation] = field(default_factory=list)
    plans: list[PlanItem] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    articles: list[tuple[str, str, list[str]]] = field(default_factory=list)  # title, body, pics


class Lines:
    """A file written line by line, so each record knows its line."""

    def __init__(self, header: str) -> None:
        self.lines = [header]

    def add(self, text: str) -> int:
        self.lines.append(text)
        return len(self.lines)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _flow_list(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


# ---------------------------------------------------------------- generation


def generate(rng: random.Random) -> dict[str, Month]:
    months: dict[str, Month] = {}
    present = [m for m in MONTHS if m != MISSING]
    # Fulfilment dates are chosen up front: the wish collected in 2023-05 comes true in the
    # month without a folder; one of 2023-11 comes true in the second period.
    for index, month in enumerate(present):
        mo = Month(month)
        months[month] = mo
        later = [m for m in MONTHS if m > month]
        # Visits: distinct days, typed out of date order (the earliest is not the first typed).
        n = rng.randint(3, 8)
        days = rng.sample(range(1, 29), n)
        if index == 0:
            days.sort(reverse=True)
        people = rng.sample([s + t for s in SURNAMES for t in TITLES], n)
        for k in range(n):
            mode = rng.choice(["电访", "走访"])
            town = rng.choice(TOWNS)
            mo.visits.append(Visit(month, 0, f"{month}-{days[k]:02d}", people[k], town, mode))
        if index == 0:  # the first month reaches 东凤镇 on foot
            mo.visits[0].town, mo.visits[0].mode = "东凤镇", "走访"
        # Wishes: one to three; some come true in a later month.
        for k in range(rng.randint(1, 3)):
            fulfilled = None
            if later and rng.random() < 0.6:
                fm = rng.choice(later[:5])
                fulfilled = f"{fm}-{rng.randint(1, 28):02d}"
            if month == "2023-05" and k == 0:
                fulfilled = f"{MISSING}-18"
            town = rng.choice([None, *TOWNS])
            if month == "2023-11" and k == 0:  # counts for the second period's 东升镇
                fulfilled, town = "2024-02-06", "东升镇"
            if month in ("2024-01", "2024-03") and k == 0:
                town = "民众镇"
            mo.wishes.append(
                Wish(
                    month,
                    0,
                    rng.choice(SURNAMES) + rng.choice(TITLES),
                    rng.choice(["家庭困难，独自抚养孩子", "因病致困", "单亲家庭", "=家中老人生病"]),
                    rng.choice(["书包一个", "电饭锅一个", "学习用品一套", "冬衣两件"]),
                    town,
                    fulfilled,
                    None,
                    rng.choice(["某某公司", "爱心人士"]) if fulfilled else None,
                )
            )
        # Activities: participants on the activity or per session.
        for k in range(rng.randint(1, 3)):
            n_sessions = rng.randint(1, 3)
            sdays = sorted(rng.sample(range(1, 29), n_sessions))
            on_activity = rng.random() < 0.5
            sessions = [
                Session(
                    0,
                    f"{month}-{d:02d}",
                    rng.choice(["中国电信中山分公司", "职工服务站", "社区"]),
                    None if on_activity else rng.randint(5, 40),
                )
                for d in sdays
            ]
            mo.activities.append(
                Activity(
                    month,
                    0,
                    f"act{month[2:4]}{month[5:]}{k}" if k == 0 else None,
                    f"{month[5:]}月活动{k}",
                    rng.choice(KINDS),
                    rng.randint(20, 120) if on_activity else None,
                    None,
                    rng.sample(["中山电信", "领先展示", "爱心企业"], rng.randint(0, 2)),
                    None,
                    sessions,
                )
            )
        # Ongoing services, repeated month after month.
        names = ["心理咨询"] + [s for s in SERVICES[1:] if rng.random() < 0.5]
        for name in names:
            mo.services.append(Service(month, 0, name, rng.choice(["全市", "心灵港湾"])))
        # Counselling: lines with and without sessions (2023-03 has none that give them).
        for _k in range(0 if month in LEFT_OUT else rng.randint(1, 3)):
            sessions_given = None if month == "2023-03" else rng.choice([None, rng.randint(1, 4)])
            mo.consultations.append(
                Consultation(
                    month,
                    0,
                    rng.choice(STAFF),
                    rng.choice(["线上", "到访", "电话"]),
                    rng.randint(1, 9),
                    rng.choice([0.5, 1, 1.5, 2, 2.5, 3]),
                    sessions_given,
                    rng.sample(TOPICS, rng.randint(1, 2)),
                    rng.choice([None, f"{month}-{rng.randint(1, 28):02d}"]),
                )
            )
    # Plans: published with a month for the next; some items are carried out by an activity
    # of the next month (by name, by id, or by its `plan:`), some by a service, some not.
    for month in present:
        mo = months[month]
        nxt = next_month(month)
        target = months.get(nxt)
        items: list[PlanItem] = []
        if target is not None and target.activities:
            first = target.activities[0]
            items.append(PlanItem(month, 0, None, first.name, None, []))  # matched by name
            if len(target.activities) > 1:
                second = target.activities[1]
                second.plan = f"{nxt[5:]}月计划活动"
                items.append(PlanItem(month, 0, None, second.plan, None, []))  # by `plan:`
            if first.id and rng.random() < 0.5:
                # matched by id: the plan names it otherwise
                items[0] = PlanItem(month, 0, first.id, f"{nxt[5:]}月另一名称活动", None, [])
        items.append(PlanItem(month, 0, None, "职工心理咨询服务", "心理咨询", []))
        items.append(PlanItem(month, 0, None, f"{nxt[5:]}月未开展的活动", None, []))
        if rng.random() < 0.5:
            items.append(PlanItem(month, 0, None, "法律咨询", None, []))  # a service's name
        for item in items:
            for r in range(rng.randint(1, 3)):
                due = nxt if rng.random() < 0.5 else f"{nxt}-{rng.randint(1, 28):02d}"
                staff = rng.sample(STAFF, rng.randint(1, 2))
                if r and rng.random() < 0.4:  # a row that repeats the row above's due and staff
                    item.rows.append((0, f"企业职工{r}", None, None))
                else:
                    item.rows.append((0, f"企业职工{r}", due, staff))
        mo.plans = [] if month in LEFT_OUT else items
    # An activity's own pictures: images/ID-1.png.
    for mo in months.values():
        if mo.activities and mo.activities[0].id and mo.month.endswith(("02", "10")):
            mo.images.append(f"{mo.activities[0].id}-1.png")
    # Articles: one names its month's last activity in its body and has a photo; another
    # names nothing.
    for month in ("2023-03", "2023-11", "2024-02"):
        mo = months[month]
        named = mo.activities[-1].name
        photo = f"photo-{month}.png"
        mo.images.append(photo)
        mo.articles.append(("职工关爱在行动", f"本月开展了{named}，职工踊跃参加。", [photo]))
        mo.articles.append(("困难职工探访", "社工走访困难职工。", []))
    return months


def _questionnaire(rng: random.Random, most: int) -> Questionnaire:
    """Up to `most` questionnaires returned, by answer or by score; `responses` written now
    and then, sometimes above the counts (a questionnaire left blank)."""
    n = rng.randint(1, most)
    by_score = rng.random() < 0.4
    keys = ["5", "4", "3", "2", "1"] if by_score else ["非常满意", "满意", "一般", "不满意"]
    counts: dict[str, int] = {}
    left = n
    for k in keys:
        c = rng.randint(0, left)
        if c:
            counts[k] = c
        left -= c
    if not counts:
        counts[keys[0]] = n
    blank = rng.randint(0, n - sum(counts.values()))
    written = sum(counts.values()) + blank if rng.random() < 0.5 else None
    return Questionnaire(counts, by_score, written)


def add_questionnaires(months: dict[str, Month], rng: random.Random) -> None:
    """Satisfaction questionnaires on some activities (for the whole activity) and some
    sessions, from an rng of their own so the rest of the project is as before."""
    for mo in months.values():
        for a in mo.activities:
            roll = rng.random()
            if roll < 0.3:
                a.satisfaction = _questionnaire(rng, max(1, min(a.total, 30)))
            elif roll < 0.7:
                room = a.total
                for s in a.sessions:
                    most = s.participants if s.participants is not None else room
                    if most and rng.random() < 0.7:
                        s.satisfaction = _questionnaire(rng, min(most, room, 30))
                        room -= s.satisfaction.responses
                    if room <= 0:
                        break


def write(months: dict[str, Month]) -> dict[str, dict[str, str]]:
    """The files as a user types them; fills in every record's line."""
    files: dict[str, dict[str, str]] = {}
    for month, mo in months.items():
        out: dict[str, str] = {}
        f = Lines(f"# {month} 探访记录")
        f.add("visits:")
        for v in mo.visits:
            v.line = f.add(
                f"  - {{date: {v.date}, name: {v.name}, town: {v.town}, mode: {v.mode}}}"
            )
        out["visits.yaml"] = f.text()
        f = Lines(f"# {month} 小心愿")
        f.add("wishes:")
        for w in mo.wishes:
            w.line = f.add(f"  - name: {w.name}")
            f.add(f'    situation: "{w.situation}"')
            f.add(f"    wish: {w.wish}")
            if w.town:
                f.add(f"    town: {w.town}")
            if w.fulfilled:
                w.fulfilled_line = f.add(f"    fulfilled: {w.fulfilled}")
                f.add(f"    donor: {w.donor}")
        out["wishes.yaml"] = f.text()
        f = Lines(f"# {month} 活动与持续服务")
        f.add("activities:")
        for a in mo.activities:
            a.line = f.add(f"  - name: {a.name}")
            if a.id:
                f.add(f"    id: {a.id}")
            if a.kind != "职工活动" or a.line % 2:
                f.add(f"    kind: {a.kind}")
            if a.participants is not None:
                a.participants_line = f.add(f"    participants: {a.participants}")
            if a.partners:
                f.add(f"    partners: {_flow_list(a.partners)}")
            if a.plan:
                f.add(f"    plan: {a.plan}")
            if a.satisfaction is not None:
                a.satisfaction.line = f.add(f"    satisfaction: {a.satisfaction.flow()}")
            f.add("    sessions:")
            for s in a.sessions:
                extra = f", participants: {s.participants}" if s.participants is not None else ""
                if s.satisfaction is not None:
                    extra += f", satisfaction: {s.satisfaction.flow()}"
                s.line = f.add(f"      - {{date: {s.date}, venue: {s.venue}{extra}}}")
                if s.satisfaction is not None:
                    s.satisfaction.line = s.line
        f.add("services:")
        for s in mo.services:
            s.line = f.add(f"  - {{name: {s.name}, place: {s.place}}}")
        out["events.yaml"] = f.text()
        f = Lines(f"# {month} 心理咨询")
        f.add("consultations:")
        for c in mo.consultations:
            parts = [f"counsellor: {c.counsellor}", f"channel: {c.channel}"]
            parts += [f"people: {c.people}", f"hours: {c.hours}"]
            if c.sessions is not None:
                parts.append(f"sessions: {c.sessions}")
            parts.append(f"topics: {_flow_list(c.topics)}")
            if c.date:
                parts.append(f"date: {c.date}")
            c.line = f.add("  - {" + ", ".join(parts) + "}")
        if mo.consultations or month not in LEFT_OUT:
            out["consultations.yaml"] = f.text()
        f = Lines(f"# {month} 下月服务预告")
        f.add("plans:")
        for p in mo.plans:
            p.line = f.add(f"  - name: {p.name}")
            if p.id:
                f.add(f"    id: {p.id}")
            if p.service:
                f.add(f"    service: {p.service}")
            f.add("    content: 为职工提供服务。")
            f.add("    rows:")
            rows = []
            for _line, target, due, staff in p.rows:
                if due is None:  # a row that repeats the row above's due and staff
                    line = f.add(f"      - {{target: {target}}}")
                else:
                    fields = f"target: {target}, due: {due}, staff: {_flow_list(staff)}"
                    line = f.add(f"      - {{{fields}}}")
                rows.append((line, target, due, staff))
            p.rows = rows
        if mo.plans or month not in LEFT_OUT:
            out["plans.yaml"] = f.text()
        if mo.articles:
            f = Lines(f"# {month} 文章")
            f.add("articles:")
            for title, body, pics in mo.articles:
                f.add("  - section: 职工关爱服务")
                f.add(f"    title: {title}")
                f.add(f"    body: {body}")
                if pics:
                    f.add("    images:")
                    for pic in pics:
                        f.add(f"      - {{path: images/{pic}, caption: 活动现场}}")
            out["articles.yaml"] = f.text()
        files[month] = out
    return files


# ---------------------------------------------------------------- the oracle


@dataclass(frozen=True)
class Record:
    """One record of an explained figure: where it is and what it adds."""

    file: str  # "2023-01/visits.yaml"
    line: int
    month: str
    value: float
    part: str | None = None
    satisfied: int = 0  # a questionnaire's satisfied answers (value: its responses)


def rate(records: list[Record] | None) -> Fraction | None:
    """README: 满意度 = all questionnaires' satisfied answers ÷ all their responses × 100,
    pooled (never an average of rates); none without a questionnaire. Exact: the test rounds."""
    if not records:
        return None
    return Fraction(sum(r.satisfied for r in records) * 100, sum(int(r.value) for r in records))


def rate_text(records: list[Record]) -> str:
    """A ledger row's 满意度: 95.8%（满意 23/24 份）, the per cent to one decimal, a half up."""
    value = rate(records)
    assert value is not None
    d = Decimal(value.numerator) / Decimal(value.denominator)
    text = str(d.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    text = text[:-2] if text.endswith(".0") else text
    satisfied = sum(r.satisfied for r in records)
    return f"{text}%（满意 {satisfied}/{sum(int(r.value) for r in records)} 份）"


def asked(qs: list[Questionnaire], whole: bool = False) -> str | None:
    """The ledger's 满意度 cell of a row with these questionnaires (none: an empty cell)."""
    if not qs:
        return None
    text = rate_text([Record("", 0, "", q.responses, None, q.satisfied) for q in qs])
    return text.replace("（", "（整个活动：") if whole else text


class Oracle:
    """Every figure of the project, from the generator's records and the README's rules."""

    def __init__(self, months: dict[str, Month], periods: list[dict]) -> None:
        self.data = months
        self.periods = periods
        self.first_issue = MONTHS[0]

    # -- records per figure and month (README, "Statistics" and "Where a figure comes from")

    def wishes_all(self) -> list[Wish]:
        return [w for mo in self.data.values() for w in mo.wishes]

    def plan_of(self, month: str) -> list[PlanItem] | None:
        """The plan the month carries out: the previous month's; None for the first issue or
        when the previous month has no folder (no plan was published)."""
        if month == self.first_issue:
            return None
        prev = self.data.get(prev_month(month))
        return None if prev is None else prev.plans

    def carried_out_by(self, item: PlanItem, month: str) -> str | None:
        """What in `month` carried out the plan item (an activity's or service's name)."""
        mo = self.data.get(month)
        if mo is None:
            return None
        for a in mo.activities:
            if a.plan is not None and a.plan == item.name:
                return a.name
            if item.id is not None and a.id == item.id:
                return a.name
            if a.plan is None and a.name == item.name:
                return a.name
        for s in mo.services:
            if item.service is not None and s.name == item.service:
                return s.name
            if s.name == item.name:
                return s.name
        return None

    def month_records(self, key: str, month: str) -> list[Record] | None:
        """The records a month's figure adds up (None for a figure the month does not give)."""
        mo = self.data.get(month)
        if key == "wishes_fulfilled":
            return [
                Record(f"{w.month}/wishes.yaml", w.fulfilled_line, month, 1)
                for w in self.wishes_all()
                if w.fulfilled and w.fulfilled[:7] == month
            ]
        if mo is None:
            return None
        vf = f"{month}/visits.yaml"
        ef = f"{month}/events.yaml"
        cf = f"{month}/consultations.yaml"
        if key == "visits":
            return [Record(vf, v.line, month, 1) for v in mo.visits]
        if key == "phone_visits":
            return [Record(vf, v.line, month, 1) for v in mo.visits if v.mode == "电访"]
        if key == "home_visits":
            return [Record(vf, v.line, month, 1) for v in mo.visits if v.mode == "走访"]
        if key == "towns":
            earliest: dict[str, Visit] = {}
            for v in sorted(mo.visits, key=lambda v: v.date):
                earliest.setdefault(v.town, v)
            return [Record(vf, v.line, month, 1) for v in earliest.values()]
        if key == "wishes_collected":
            return [Record(f"{month}/wishes.yaml", w.line, month, 1) for w in mo.wishes]
        if key == "activity_sessions":
            return [Record(ef, s.line, month, 1) for a in mo.activities for s in a.sessions]
        if key == "activity_participants":
            out = []
            for a in mo.activities:
                if a.participants is not None:
                    out.append(Record(ef, a.participants_line, month, a.participants))
                else:
                    out += [Record(ef, s.line, month, s.participants) for s in a.sessions]
            return out
        if key in ("satisfaction_responses", "satisfaction"):
            return [
                Record(ef, q.line, month, q.responses, None, q.satisfied)
                for a in mo.activities
                for q in a.questionnaires
            ]
        if key == "services":
            seen: dict[str, Service] = {}
            for s in mo.services:
                seen.setdefault(s.name, s)
            return [Record(ef, s.line, month, 1) for s in seen.values()]
        if key == "counselling_people":
            return [Record(cf, c.line, month, c.people) for c in mo.consultations]
        if key == "counselling_hours":
            return [Record(cf, c.line, month, c.hours) for c in mo.consultations]
        if key == "counselling_sessions":
            given = [c for c in mo.consultations if c.sessions is not None]
            return [Record(cf, c.line, month, c.sessions) for c in given] if given else None
        if key == "people_served":
            return [
                Record(r.file, r.line, r.month, r.value, part)
                for part in PARTS
                for r in self.month_records(part, month)
            ]
        if key == "planned":
            return [Record(f"{month}/plans.yaml", r[0], month, 1) for p in mo.plans for r in p.rows]
        if key in ("plan_items", "plan_done"):
            plan = self.plan_of(month)
            if plan is None:
                return None
            pf = f"{prev_month(month)}/plans.yaml"
            return [
                Record(pf, p.line, month, 1)
                for p in plan
                if key == "plan_items" or self.carried_out_by(p, month)
            ]
        raise KeyError(key)

    def month_value(self, key: str, month: str) -> float | None:
        recs = self.month_records(key, month)
        if key == "satisfaction":
            return rate(recs)
        return None if recs is None else sum(r.value for r in recs)

    def range_records(self, key: str, first: str, last: str) -> list[Record] | None:
        """The records of the figure over a range: month by month; towns and services once
        each, by their earliest record."""
        months = months_between(first, last)
        if key in ("towns", "services"):
            seen: dict[str, Record] = {}
            for m in months:
                mo = self.data.get(m)
                if mo is None:
                    continue
                items = mo.visits if key == "towns" else mo.services
                name = (lambda v: v.town) if key == "towns" else (lambda s: s.name)
                file = f"{m}/{'visits' if key == 'towns' else 'events'}.yaml"
                order = sorted(items, key=lambda v: v.date) if key == "towns" else items
                for it in order:
                    seen.setdefault(name(it), Record(file, it.line, m, 1))
            return list(seen.values())
        per = [self.month_records(key, m) for m in months]
        if key in ("counselling_sessions", "plan_done", "plan_items") and all(
            p is None for p in per
        ):
            return None
        return [r for p in per if p for r in p]

    def total(self, key: str, first: str, last: str) -> float | None:
        recs = self.range_records(key, first, last)
        if key == "satisfaction":
            return rate(recs)
        return None if recs is None else sum(r.value for r in recs)

    def stats(self, first: str, last: str) -> dict:
        """`stats --format json`: months and total, as README's document."""
        months = []
        for m in months_between(first, last):
            row: dict = {"month": m, "present": m in self.data}
            if m in self.data:
                for key in KEYS:
                    row[key] = self.month_value(key, m)
            else:
                fulfilled = self.month_value("wishes_fulfilled", m)
                if fulfilled:
                    row["wishes_fulfilled"] = fulfilled
            months.append(row)
        return {
            "from": first,
            "to": last,
            "columns": KEYS,
            "months": months,
            "total": {k: self.total(k, first, last) for k in KEYS},
        }

    # -- contract indicators (README, "Contract indicators")

    def restricted_total(self, ind: tuple, first: str, last: str) -> float:
        _name, _written, key, _target, towns, kind, _due = ind
        if not towns and not kind:
            return self.total(key, first, last) or 0
        months = months_between(first, last)
        if kind:
            acts = [a for m in months if m in self.data for a in self.data[m].activities]
            acts = [a for a in acts if a.kind == kind]
            if key == "activity_sessions":
                return sum(len(a.sessions) for a in acts)
            return sum(a.total for a in acts)
        if key in ("visits", "phone_visits", "home_visits"):
            mode = {"phone_visits": "电访", "home_visits": "走访"}.get(key)
            return sum(
                1
                for m in months
                if m in self.data
                for v in self.data[m].visits
                if v.town in towns and (mode is None or v.mode == mode)
            )
        if key == "wishes_collected":
            return sum(
                1 for m in months if m in self.data for w in self.data[m].wishes if w.town in towns
            )
        if key == "wishes_fulfilled":
            return sum(
                1
                for w in self.wishes_all()
                if w.town in towns and w.fulfilled and first <= w.fulfilled[:7] <= last
            )
        raise KeyError(key)

    def progress(self, period: dict, as_of: str) -> list[dict]:
        elapsed = len(months_between(period["start"], as_of))
        out = []
        for ind in period["indicators"]:
            name, _written, key, target, towns, kind, due = ind
            due = due or period["end"]
            actual = self.restricted_total(ind, period["start"], as_of)
            # README: target × months elapsed ÷ months from the start to the due month. It
            # does not say what "expected by now" is once the due month has passed; read as
            # the whole target (months elapsed counted up to the due month).
            to_due = len(months_between(period["start"], due))
            expected = Fraction(target) * min(elapsed, to_due) / to_due
            # README: the pace is actual ÷ expected as a per cent to one decimal, as printed
            # (half up), and the status is decided on it; overdue once the due month passed.
            pace = (Fraction(str(actual)) / expected * 100) if expected else Fraction(0)
            pace_printed = Decimal(pace.numerator) / Decimal(pace.denominator)
            pace_printed = pace_printed.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            if actual >= target:
                status = "reached"
            elif as_of > due:
                status = "overdue"
            elif pace_printed >= 110:
                status = "ahead"
            elif pace_printed >= 90:
                status = "on_track"
            else:
                status = "behind"
            out.append(
                {
                    "name": name,
                    "figure": key,
                    "towns": towns,
                    "kind": kind,
                    "target": target,
                    "actual": actual,
                    "percent": Fraction(str(actual)) / target * 100,
                    "expected": expected,
                    "pace": pace,
                    "status": status,
                    "due": due,
                }
            )
        return out

    def period(self, name: str) -> dict:
        return next(p for p in self.periods if p["name"] == name)

    # -- the service ledger (README, "The service ledger")

    def ledger(self, first: str, last: str) -> dict[str, list[dict]]:
        """Rows per sheet: the values a reader checks, with their `file:line` source."""
        months = [m for m in months_between(first, last) if m in self.data]
        sheets: dict[str, list[dict]] = {
            "探访": [],
            "活动": [],
            "服务": [],
            "心理咨询": [],
            "微心愿": [],
        }
        for m in months:
            mo = self.data[m]
            for v in mo.visits:
                sheets["探访"].append(
                    {
                        "日期": v.date,
                        "镇区": v.town,
                        "对象": v.name,
                        "方式": v.mode,
                        "户次": 1,
                        "来源": f"{m}/visits.yaml:{v.line}",
                    }
                )
            plan = self.plan_of(m) or []
            for a in mo.activities:
                staff: list[str] = []
                for item in plan:
                    if self.carried_out_by(item, m) == a.name:
                        # the item's staff: everyone its rows name, once each, in order
                        names = [n for row in item.rows if row[3] for n in row[3]]
                        staff = list(dict.fromkeys(names))
                evidence = [
                    pic
                    for title, body, pics in mo.articles
                    if a.name in title or a.name in body
                    for pic in pics
                ] + [x for x in mo.images if a.id and x.startswith(a.id)]
                if a.participants is not None:
                    # README: 人次 given for the whole activity is one row for its sessions
                    days = sorted({s.date for s in a.sessions})
                    sheets["活动"].append(
                        {
                            "日期": "、".join(days),
                            "地点": "、".join(dict.fromkeys(s.venue for s in a.sessions)),
                            "活动名称": a.name,
                            "类别": a.kind,
                            "场次": len(a.sessions),
                            "人次": a.participants,
                            "满意度": asked(a.questionnaires),
                            "合作单位": a.partners,
                            "负责社工": staff,
                            "佐证材料": evidence,
                            "来源": f"{m}/events.yaml:{a.participants_line}",
                        }
                    )
                    continue
                for n, s in enumerate(a.sessions):
                    # a session's own questionnaire; the whole activity's on its first row
                    own = [s.satisfaction] if s.satisfaction else []
                    whole = a.satisfaction is not None and n == 0
                    sheets["活动"].append(
                        {
                            "日期": s.date,
                            "地点": s.venue,
                            "活动名称": a.name,
                            "类别": a.kind,
                            "场次": 1,
                            "人次": s.participants,
                            "满意度": asked([a.satisfaction] if whole else own, whole),
                            "合作单位": a.partners,
                            "负责社工": staff,
                            "佐证材料": evidence,
                            "来源": f"{m}/events.yaml:{s.line}",
                        }
                    )
            for s in mo.services:
                sheets["服务"].append(
                    {  # the generated services are undated: dated by their month
                        "地点": s.place,
                        "服务内容": s.name,
                        "来源": f"{m}/events.yaml:{s.line}",
                    }
                )
            for c in mo.consultations:
                sheets["心理咨询"].append(
                    {
                        "日期": c.date,
                        "方式": c.channel,
                        "问题类型": c.topics,
                        "人数": c.people,
                        "时长（小时）": c.hours,
                        "次数": c.sessions,
                        "咨询师": c.counsellor,
                        "来源": f"{m}/consultations.yaml:{c.line}",
                    }
                )
        for mo in self.data.values():
            for w in mo.wishes:
                collected = first <= w.month <= last
                fulfilled_in = w.fulfilled is not None and first <= w.fulfilled[:7] <= last
                if collected or (w.month < first and fulfilled_in):
                    sheets["微心愿"].append(
                        {
                            "收集月份": w.month,
                            "职工姓名": w.name,
                            "镇区": w.town,
                            "小心愿": w.wish,
                            "职工情况": w.situation,
                            "完成日期": w.fulfilled,
                            "捐赠方": w.donor,
                            "来源": f"{w.month}/wishes.yaml:{w.line}",
                        }
                    )

        # README: each sheet in date order; one day's records (and an undated line, on the
        # first of its month) in the order typed.
        def day(row: dict) -> str:
            return (row.get("日期") or row["来源"][:7] + "-01")[:10]

        for name in ("探访", "活动", "服务", "心理咨询"):
            sheets[name].sort(key=day)
        return sheets


def make(root: Path, seed: int = SEED) -> tuple[Path, Oracle]:
    """Write the project under `root`; return the data folder and its oracle."""
    rng = random.Random(seed)
    months = generate(rng)
    add_questionnaires(months, random.Random(seed + 1))
    files = write(months)
    data = write_project(root, files, project_yaml())
    for mo in months.values():
        if mo.images:
            folder = data / mo.month / "images"
            folder.mkdir(exist_ok=True)
            for name in mo.images:
                Image.new("RGB", (8, 6), (200, 120, 40)).save(folder / name)
    return data, Oracle(months, PERIODS)


def project_yaml() -> str:
    lines = [
        "name: 工会社工服务项目",
        "organisation: 中山市工会社工综合服务中心",
        "union: 市总工会",
        f"first_issue: {MONTHS[0]}",
        "towns: [" + ", ".join(TOWNS) + "]",
        "sections: [项目快讯, 职工关爱服务]",
        "progress_table: true",
        "contract:",
    ]
    for p in PERIODS:
        lines += [f"  - name: {p['name']}", f"    start: {p['start']}", f"    end: {p['end']}"]
        lines.append("    indicators:")
        for name, written, _key, target, towns, kind, due in p["indicators"]:
            parts = [f"name: {name}", f"figure: {written}", f"target: {target}"]
            if towns:
                parts.append(f"towns: {_flow_list(towns)}")
            if kind:
                parts.append(f"kind: {kind}")
            if due:
                parts.append(f"due: {due}")
            lines.append("      - {" + ", ".join(parts) + "}")
    return "\n".join(lines) + "\n"
