"""The records a month holds (bulletin/records.py): one for each thing a figure counts, with
the file and line it was written on, the words explain and the ledger show for it, and the
evidence files the evaluation pack keeps for it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import write_project

from bulletin.loader import load_month, load_project
from bulletin.models import YearMonth
from bulletin.records import Record, month_records

JPEG = b"\xff\xd8\xff\xe0" + bytes(16)

VISITS = """\
visits:
  - date: 2020-02-03
    name: 梁女士
    town: 神湾镇
    mode: 电访
    evidence: [evidence/visit.jpg]
"""
WISHES = """\
wishes:
  - name: 黄女士
    situation: 单亲
    wish: 书包一个
    town: 黄圃镇
    fulfilled: 2020-02-20
    evidence: [evidence/wish.jpg]
"""
EVENTS = """\
activities:
  - name: 义剪
    kind: 职工活动
    sessions:
      - date: 2020-02-28
        venue: 社区
        participants: 12
        satisfaction: {responses: 10, answers: {非常满意: 9, 一般: 1}}
        evidence: [evidence/session.jpg]
  - name: 手工坊
    kind: 亲子活动
    participants: 30
    satisfaction: {responses: 20, answers: {满意: 20}}
    sessions:
      - {date: 2020-02-12, venue: 社区, evidence: [evidence/a.jpg]}
      - {date: 2020-02-05, venue: 学校, evidence: [evidence/b.jpg]}
services:
  - {name: 心理咨询, place: 心灵港湾}
  - {name: 法律咨询, place: 工会, date: 2020-02-14}
"""
PLANS = """\
plans:
  - name: 义剪
    content: 理发
    rows:
      - {target: 企业职工, due: 2020-03, staff: 李社工}
      - {target: 退休职工}
"""
CONSULTATIONS = """\
consultations:
  - {counsellor: 廖诗敏, channel: 线上, people: 2, hours: 3}
  - {counsellor: 李老师, channel: 到访, people: 1, hours: 1.5, sessions: 4, topics: [婚恋问题],
     date: 2020-02-10}
"""


def _records(tmp_path: Path) -> list[tuple]:
    data = write_project(
        tmp_path,
        {
            "2020-02": {
                "visits.yaml": VISITS,
                "wishes.yaml": WISHES,
                "events.yaml": EVENTS,
                "consultations.yaml": CONSULTATIONS,
                "plans.yaml": PLANS,
            }
        },
    )
    evidence = data / "2020-02" / "evidence"
    evidence.mkdir()
    for name in ("visit.jpg", "wish.jpg", "session.jpg", "a.jpg", "b.jpg"):
        (evidence / name).write_bytes(JPEG)
    month = load_month(load_project(data), data, YearMonth(2020, 2))
    return [
        (
            r.figure,
            r.file.relative_to(data).as_posix(),
            r.line,
            r.text,
            r.value,
            {f: getattr(r, f) for f in _EXTRAS if getattr(r, f) != _DEFAULTS[f]},
            [(p.relative_to(data / "2020-02").as_posix(), what) for p, what in r.evidence],
        )
        for r in month_records(month, None, None)
    ]


# What a record may say besides its place, words and value, and what it says by default.
_EXTRAS = ("date", "key", "town", "kind", "group", "mode", "topics", "part")
_DEFAULTS = {f: Record.__dataclass_fields__[f].default for f in _EXTRAS}


def test_each_record_has_its_file_line_words_value_and_evidence(tmp_path: Path) -> None:
    """What explain lists and the ledger and the evidence pack are made of. A wish fulfilled
    is on its `fulfilled:` line and keeps the wish's evidence; an activity's own
    questionnaires and participants are dated by its first session and keep the evidence of
    all its sessions; the records of one activity share its group (counted as one)."""
    feb = date(2020, 2, 1).replace
    haircut = {"kind": "职工活动", "group": "2020-02/0"}
    craft = {"kind": "亲子活动", "group": "2020-02/1"}
    talk = {"date": feb(day=10), "topics": ("婚恋问题",)}
    visits, wishes = "2020-02/visits.yaml", "2020-02/wishes.yaml"
    events, talks = "2020-02/events.yaml", "2020-02/consultations.yaml"
    assert _records(tmp_path) == [
        (
            "visits", visits, 2, "2020-02-03 梁女士 神湾镇 电访", 1,
            {"date": feb(day=3), "key": "神湾镇", "town": "神湾镇", "mode": "电访"},
            [("evidence/visit.jpg", "visit")],
        ),
        (
            "wishes_collected", wishes, 2, "黄女士 书包一个", 1, {"town": "黄圃镇"},
            [("evidence/wish.jpg", "wish")],
        ),
        (
            "wishes_fulfilled", wishes, 6, "黄女士 书包一个 2020-02-20", 1,
            {"date": feb(day=20), "town": "黄圃镇"}, [("evidence/wish.jpg", "wish")],
        ),
        (
            "activity_sessions", events, 5, "义剪 2020-02-28 社区", 1,
            {"date": feb(day=28), **haircut}, [("evidence/session.jpg", "session")],
        ),
        (
            "satisfaction_responses", events, 8, "义剪 2020-02-28 满意 9/10", 10,
            {"date": feb(day=28), **haircut, "part": 9}, [("evidence/session.jpg", "session")],
        ),
        (
            "activity_participants", events, 7, "义剪 2020-02-28", 12,
            {"date": feb(day=28), **haircut}, [("evidence/session.jpg", "session")],
        ),
        (
            "activity_sessions", events, 15, "手工坊 2020-02-12 社区", 1,
            {"date": feb(day=12), **craft}, [("evidence/a.jpg", "a")],
        ),
        (
            "activity_sessions", events, 16, "手工坊 2020-02-05 学校", 1,
            {"date": feb(day=5), **craft}, [("evidence/b.jpg", "b")],
        ),
        (
            "satisfaction_responses", events, 13, "手工坊 2020-02-05 满意 20/20", 20,
            {"date": feb(day=5), **craft, "part": 20}, [("evidence/a.jpg", "a"), ("evidence/b.jpg", "b")],
        ),
        (
            "activity_participants", events, 12, "手工坊", 30,
            {"date": feb(day=5), **craft}, [("evidence/a.jpg", "a"), ("evidence/b.jpg", "b")],
        ),
        ("services", events, 18, "心理咨询 心灵港湾", 1, {"key": "心理咨询"}, []),
        ("services", events, 19, "法律咨询 工会", 1, {"date": feb(day=14), "key": "法律咨询"}, []),
        ("counselling_people", talks, 2, "廖诗敏 线上", 2, {}, []),
        ("counselling_hours", talks, 2, "廖诗敏 线上", 3, {}, []),
        ("counselling_people", talks, 3, "李老师 到访 2020-02-10", 1, talk, []),
        ("counselling_hours", talks, 3, "李老师 到访 2020-02-10", 1.5, talk, []),
        ("counselling_sessions", talks, 3, "李老师 到访 2020-02-10", 4, talk, []),
        ("planned", "2020-02/plans.yaml", 5, "义剪 企业职工", 1, {}, []),
        ("planned", "2020-02/plans.yaml", 6, "义剪 退休职工", 1, {}, []),
    ]  # fmt: skip


def test_last_months_plan_items_are_counted_in_this_month_with_what_did_them(
    tmp_path: Path,
) -> None:
    """Each item of February's plan is a record of March's (read as every command reads months), on the item's line in
    February's plans.yaml; one carried out names the activity that did it."""
    from bulletin import period

    plans = """\
        plans:
          - name: 义剪
            content: 理发
            rows: [{target: 企业职工, due: 2020-03, staff: 李社工}]
          - name: 讲座
            content: 法律讲座
            rows: [{target: 企业职工, due: 2020-03, staff: 李社工}]
        """
    events = """\
        activities:
          - name: 义剪
            participants: 8
            sessions: [{date: 2020-03-10, venue: 社区}]
        """
    data = write_project(
        tmp_path, {"2020-02": {"plans.yaml": plans}, "2020-03": {"events.yaml": events}}
    )
    span, march = period.read(data), YearMonth(2020, 3)
    got = {
        figure: [
            (str(r.month), r.file.relative_to(data).as_posix(), r.line, r.text)
            for r in span.records(figure, march, march)
        ]
        for figure in ("plan_items", "plan_done")
    }
    assert got == {
        "plan_items": [
            ("2020-03", "2020-02/plans.yaml", 2, "义剪 ← 义剪"),
            ("2020-03", "2020-02/plans.yaml", 5, "讲座"),
        ],
        "plan_done": [("2020-03", "2020-02/plans.yaml", 2, "义剪 ← 义剪")],
    }
