"""A generated multi-month project with a contract period, and its figures counted by hand
from the generator's own parameters (never by the code under test)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from conftest import PROJECT_YAML, write_project

# The smallest valid PNG: one transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
MONTHS = ["2020-02", "2020-03", "2020-04", "2020-05", "2020-06", "2020-07"]
TOWNS = ["神湾镇", "黄圃镇", "三乡镇"]

CONTRACT = """\
contract:
  - name: 上半年
    start: 2020-02
    end: 2020-07
    indicators:
      - {name: 困难职工探访 不少于 30 户次, figure: visits, target: 30}
      - {name: 神湾镇探访 9 户次, figure: visits, target: 9, towns: [神湾镇]}
      - {name: 职工活动 12 场, figure: activity_sessions, target: 12}
      - {name: 关爱活动 20 人次, figure: activity_participants, target: 20, kind: 职工关爱活动}
      - {name: 心理咨询 30 小时, figure: counselling_hours, target: 30, due: 2020-04}
      - {name: 微心愿 4 个, figure: wishes_fulfilled, target: 4}
  - name: 下半年
    start: 2020-08
    end: 2021-01
"""


@dataclass
class Expected:
    """What a person counts in the generated files, month by month."""

    visits: dict[str, int] = field(default_factory=dict)
    shenwan: dict[str, int] = field(default_factory=dict)
    sessions: dict[str, int] = field(default_factory=dict)
    participants: dict[str, int] = field(default_factory=dict)
    care_participants: dict[str, int] = field(default_factory=dict)
    people: dict[str, int] = field(default_factory=dict)
    hours: dict[str, float] = field(default_factory=dict)
    wishes: dict[str, int] = field(default_factory=dict)
    fulfilled: dict[str, int] = field(default_factory=dict)
    services: dict[str, int] = field(default_factory=dict)

    def upto(self, figure: str, last: str) -> float:
        return sum(v for m, v in getattr(self, figure).items() if m <= last)


def make(root: Path) -> tuple[Path, Expected]:
    """Write the project under `root`; return the data folder and the expected figures."""
    exp = Expected()
    months: dict[str, dict[str, str]] = {}
    for i, month in enumerate(MONTHS):
        n = i + 2  # visits this month
        visits = [
            (f"{month}-{j + 1:02d}", TOWNS[j % 3], "电访" if j % 2 else "走访") for j in range(n)
        ]
        exp.visits[month] = n
        exp.shenwan[month] = sum(1 for _d, t, _m in visits if t == "神湾镇")
        n_sessions = i % 2 + 1
        care = i % 2 == 0  # a care activity, two sessions of 5 and 6, in even months
        activities = (
            f"  - id: act{i}\n    name: 职工活动{i}\n    participants: {10 * (i + 1)}\n"
            "    sessions:\n"
            + "".join(
                f"      - {{date: {month}-{k + 10}, venue: 企业{k}}}\n" for k in range(n_sessions)
            )
        )
        if care:
            activities += (
                f"  - name: 关爱活动{i}\n    kind: 职工关爱活动\n    sessions:\n"
                f"      - {{date: {month}-20, venue: 社区, participants: 5}}\n"
                f"      - {{date: {month}-21, venue: 社区, participants: 6}}\n"
            )
        exp.sessions[month] = n_sessions + (2 if care else 0)
        exp.participants[month] = 10 * (i + 1) + (11 if care else 0)
        exp.care_participants[month] = 11 if care else 0
        exp.people[month] = i + 1
        exp.hours[month] = 1.5 * (i + 1)
        exp.services[month] = 1
        # Two wishes a month; the first comes true on the 10th of the next month.
        nxt = MONTHS[i + 1] if i + 1 < len(MONTHS) else "2020-08"
        exp.wishes[month] = 2
        exp.fulfilled[nxt] = exp.fulfilled.get(nxt, 0) + 1
        exp.fulfilled.setdefault(month, 0)
        months[month] = {
            "visits.yaml": "visits:\n"
            + "".join(
                f"  - {{date: {d}, name: 梁女士, town: {t}, mode: {m}}}\n" for d, t, m in visits
            ),
            "events.yaml": "activities:\n"
            + activities
            + "services:\n  - {name: 困难职工电访, place: 全市}\n",
            "consultations.yaml": "consultations:\n"
            f"  - {{counsellor: 廖诗敏, channel: 线上, people: {i + 1}, hours: {1.5 * (i + 1)}, "
            f"sessions: {i + 1}, topics: [情绪困扰]}}\n",
            # Next month's plan: its 职工活动, followed up by two of the staff.
            "plans.yaml": "plans:\n"
            f"  - name: 职工活动{i + 1}\n    content: 活动\n"
            f"    rows:\n      - {{target: 企业职工, due: {nxt}, staff: [张三, 李四]}}\n",
            "wishes.yaml": "wishes:\n"
            f"  - {{name: 梁女士, situation: 情况, wish: 书包, fulfilled: {nxt}-10, donor: 某公司}}\n"
            "  - {name: 郭女士, situation: 情况, wish: 文具}\n",
        }
    exp.fulfilled = {m: v for m, v in exp.fulfilled.items() if m in MONTHS}
    data = write_project(root, months, PROJECT_YAML + CONTRACT)
    # A photo of 职工活动1, named by the activity's id: the ledger's evidence.
    (data / "2020-03" / "images").mkdir()
    (data / "2020-03" / "images" / "act1-合影.png").write_bytes(PNG)
    return data, exp
