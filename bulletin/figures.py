"""The figures `bulletin stats` computes: their stable keys (the JSON export's columns, the
`figure:` of a contract indicator), headers and how a range's total is made.

A module of its own so that the data models can check an indicator's `figure:` without
importing the statistics (which import the models).
"""

from __future__ import annotations

# (key, English header, Chinese header, how the total is made). The keys are the stable
# identifiers of the JSON export and of the figures other reports build on (README,
# "Statistics"). How the total is made:
#   sum       the months' figures added up
#   known     added up over the months that give the figure (null when none does)
#   towns     distinct towns reached over the range, not a sum
#   services  distinct ongoing services (by name) over the range, not a sum
COLUMNS: list[tuple[str, str, str, str]] = [
    ("visits", "households visited", "探访户数", "sum"),
    ("phone_visits", "by phone", "电访", "sum"),
    ("home_visits", "in person", "走访", "sum"),
    ("towns", "towns reached", "覆盖镇区", "towns"),
    ("wishes_collected", "wishes collected", "收集心愿", "sum"),
    ("wishes_fulfilled", "wishes fulfilled", "完成心愿", "sum"),
    ("activity_sessions", "activity sessions (场次)", "活动场次", "sum"),
    ("activity_participants", "activity participants (人次)", "活动人次", "sum"),
    ("services", "ongoing services", "持续服务", "services"),
    ("counselling_people", "people counselled", "咨询人数", "sum"),
    ("counselling_sessions", "counselling sessions", "咨询次数", "known"),
    ("counselling_hours", "counselling hours", "咨询小时", "sum"),
    ("people_served", "people served (人次)", "服务人次", "sum"),
    ("planned", "plan rows for next month", "下月计划行数", "sum"),
    ("plan_done", "last month's plan items done", "上月计划完成项", "known"),
    ("plan_items", "last month's plan items", "上月计划项", "known"),
]


def all_keys() -> list[str]:
    """Every figure's key, in the order of the stats table."""
    return [key for key, *_ in COLUMNS]


def label(key: str, lang: str) -> str:
    """The figure's header, e.g. 探访户数 for visits."""
    return next(zh if lang == "zh" else en for k, en, zh, _h in COLUMNS if k == key)
