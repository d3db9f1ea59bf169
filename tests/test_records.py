"""The records a month holds (bulletin/records.py): one for each thing a figure counts, with
the file and line it was written on, the words explain and the ledger show for it, and the
evidence files the evaluation pack keeps for it."""

from __future__ import annotations

from pathlib import Path

from conftest import write_project

from bulletin.loader import load_month, load_project
from bulletin.models import YearMonth
from bulletin.records import month_records

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
services:
  - {name: 心理咨询, place: 心灵港湾}
"""
CONSULTATIONS = """\
consultations:
  - {counsellor: 廖诗敏, channel: 线上, people: 2, hours: 3}
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
            }
        },
    )
    evidence = data / "2020-02" / "evidence"
    evidence.mkdir()
    for name in ("visit.jpg", "wish.jpg", "session.jpg"):
        (evidence / name).write_bytes(JPEG)
    month = load_month(load_project(data), data, YearMonth(2020, 2))
    return [
        (
            r.figure,
            r.file.relative_to(data).as_posix(),
            r.line,
            r.text,
            r.value,
            [p.relative_to(data).as_posix() for p, _ in r.evidence],
        )
        for r in month_records(month, None, None)
    ]


def test_each_record_has_its_file_line_words_value_and_evidence(tmp_path: Path) -> None:
    """What explain lists and the ledger and the evidence pack are made of: a wish fulfilled
    is on its `fulfilled:` line, and keeps the wish's evidence."""
    assert _records(tmp_path) == [
        (
            "visits",
            "2020-02/visits.yaml",
            2,
            "2020-02-03 梁女士 神湾镇 电访",
            1,
            ["2020-02/evidence/visit.jpg"],
        ),
        (
            "wishes_collected",
            "2020-02/wishes.yaml",
            2,
            "黄女士 书包一个",
            1,
            ["2020-02/evidence/wish.jpg"],
        ),
        (
            "wishes_fulfilled",
            "2020-02/wishes.yaml",
            6,
            "黄女士 书包一个 2020-02-20",
            1,
            ["2020-02/evidence/wish.jpg"],
        ),
        (
            "activity_sessions",
            "2020-02/events.yaml",
            5,
            "义剪 2020-02-28 社区",
            1,
            ["2020-02/evidence/session.jpg"],
        ),
        (
            "satisfaction_responses",
            "2020-02/events.yaml",
            8,
            "义剪 2020-02-28 满意 9/10",
            10,
            ["2020-02/evidence/session.jpg"],
        ),
        (
            "activity_participants",
            "2020-02/events.yaml",
            7,
            "义剪 2020-02-28",
            12,
            ["2020-02/evidence/session.jpg"],
        ),
        ("services", "2020-02/events.yaml", 11, "心理咨询 心灵港湾", 1, []),
        ("counselling_people", "2020-02/consultations.yaml", 2, "廖诗敏 线上", 2, []),
        ("counselling_hours", "2020-02/consultations.yaml", 2, "廖诗敏 线上", 3, []),
    ]
