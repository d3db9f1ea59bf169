"""◎ 本月速览 ◎ reads as whole sentences for every kind of month."""

from __future__ import annotations

import pytest

from bulletin.models import YearMonth
from bulletin.pipeline import prepare

PROJECT = """\
name: 工会社工服务项目
organisation: 中山市工会社工综合服务中心
union: 市总工会
first_issue: 2020-02
towns: [神湾镇, 黄圃镇, 石岐街道, 东区街道]
sections: [项目快讯]
"""

OPENING = "2020年2月份，工会社工服务项目积极配合市总工会做好职工服务工作，"


def visits(*rows: tuple[str, str]) -> str:
    lines = [
        f"  - {{date: 2020-02-1{i}, name: 梁女士, town: {town}, mode: {mode}}}"
        for i, (town, mode) in enumerate(rows)
    ]
    return "visits:\n" + "\n".join(lines) + "\n"


WISHES = "wishes:\n  - {name: 梁女士, situation: 独自抚养两个孩子, wish: 书包一个}\n"
EVENTS = """\
activities:
  - name: 为你剪掉“烦恼丝”
    participants: 30
    sessions: [{date: 2020-02-28, venue: 中国电信}]
"""
COUNSELLING = "consultations:\n  - {counsellor: 廖诗敏, channel: 线上, people: 3, hours: 4.5, topics: [情绪困扰]}\n"

CASES = {
    "phone only, towns, wishes": (
        {"visits.yaml": visits(("神湾镇", "电访"), ("黄圃镇", "电访")), "wishes.yaml": WISHES},
        [
            OPENING + "服务职工2人次，具体如下：",
            "1、2月期间，工会社工调整服务方式，对神湾镇、黄圃镇等镇区困难职工进行电访，"
            "了解职工的生活情况和服务需求，共电访困难职工2人；电访过程中收集1个小心愿。",
        ],
    ),
    "visits only, subdistricts, an activity, counselling": (
        {
            "visits.yaml": visits(("石岐街道", "走访")),
            "events.yaml": EVENTS,
            "consultations.yaml": COUNSELLING,
        },
        [
            OPENING + "共开展各类专项主题活动1场次，服务职工34人次，具体如下：",
            "1、2月期间，工会社工走访石岐街道等街道困难职工，了解职工的生活情况和服务需求，"
            "共走访困难职工1人；",
            "2、开展“为你剪掉‘烦恼丝’”职工活动1场次，共服务30人次；",
            "3、开展心理咨询服务，为3人提供了4.5小时线上心理咨询服务。",
        ],
    ),
    "phone and visits, towns and subdistricts, wishes": (
        {
            "visits.yaml": visits(("神湾镇", "电访"), ("东区街道", "走访"), ("神湾镇", "电访")),
            "wishes.yaml": WISHES,
        },
        [
            OPENING + "服务职工3人次，具体如下：",
            "1、2月期间，工会社工对神湾镇、东区街道等镇街困难职工进行电访和走访，"
            "了解职工的生活情况和服务需求，共探访困难职工3人（电访2人，走访1人）；"
            "探访过程中收集1个小心愿。",
        ],
    ),
    "counselling only": (
        {"consultations.yaml": COUNSELLING},
        [
            OPENING + "服务职工3人次，具体如下：",
            "1、开展心理咨询服务，为3人提供了4.5小时线上心理咨询服务。",
        ],
    ),
    "wishes without visits, an activity": (
        {"wishes.yaml": WISHES, "events.yaml": EVENTS},
        [
            OPENING + "共开展各类专项主题活动1场次，服务职工30人次，具体如下：",
            "1、2月期间，工会社工收集困难职工小心愿1个；",
            "2、开展“为你剪掉‘烦恼丝’”职工活动1场次，共服务30人次。",
        ],
    ),
    "nothing recorded": ({}, ["2020年2月份，工会社工服务项目暂无服务记录。"]),
}


@pytest.mark.parametrize("files, expected", CASES.values(), ids=CASES.keys())
def test_overview_reads_as_sentences(small, files: dict[str, str], expected: list[str]) -> None:
    data = small({"2020-02": files}, PROJECT)
    assert prepare(data, YearMonth(2020, 2)).context.overview == expected
