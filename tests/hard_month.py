"""A month that is hard to print: many visits across 街道 and 镇, long partner names, four
staff on every plan row, two-digit months, a situation of 600 characters and one of about
2,500 characters, taller than a page."""

from __future__ import annotations

from pathlib import Path

from conftest import write_project

PROJECT = """\
name: 工会社工服务项目
organisation: 中山市火炬开发区工会社工综合服务中心
union: 火炬开发区总工会
first_issue: 2020-02
towns: [石岐街道, 东区街道, 中山港街道, 五桂山街道, 小榄镇, 古镇镇, 三角镇, 南朗镇]
sections: [职工关爱服务, 职工服务站]
"""

TOWNS = ["石岐街道", "东区街道", "中山港街道", "五桂山街道", "小榄镇", "古镇镇", "三角镇", "南朗镇"]
SURNAMES = ["欧阳", "司马", "梁", "黄", "诸葛", "陈", "上官", "李", "何", "张"]
STAFF = ["欧阳嘉慧", "司马诗敏", "郑锦锐", "廖诗敏"]
PARTNERS = [
    "中山市火炬开发区精密电子科技股份有限公司",
    "广东格美淇电器有限公司",
    "中山市小榄镇永宁社区五金制品有限公司",
    "日东光器（中山）有限公司",
]
# Where each partner's name may go onto a new line (character offsets): after a place,
# before a bracket, before the kind of organisation.
NAME_BREAKS = {
    PARTNERS[0]: (3, 8, 14),  # 中山市|火炬开发区|精密电子科技|股份有限公司
    PARTNERS[1]: (7,),  # 广东格美淇电器|有限公司
    PARTNERS[2]: (3, 6, 10, 14),  # 中山市|小榄镇|永宁社区|五金制品|有限公司
    PARTNERS[3]: (4, 8),  # 日东光器|（中山）|有限公司
}
SITUATION = (
    "欧阳女士是在档特困职工，早年与丈夫离异后，独自照顾正读高三的女儿和年迈的母亲，"
    + "家中收入微薄，母亲常年患病需要服药，女儿学业繁重，一家三口的生活全靠她一人支撑。" * 13
)[:600]


# A situation too long for one page (about 2,500 characters): its row is continued.
LONG_SITUATION = "".join(
    f"第{n}年，诸葛先生在工厂做装配工，每月收入两千余元，妻子长期卧病在床，"
    "两个孩子分别读初中和小学，家中开支全靠他一人，社工每月电话联系了解近况。"
    for n in range(1, 38)
)


def visits() -> str:
    lines = ["visits:"]
    for i in range(40):
        day = (i * 7) % 30 + 1  # typed out of date order
        name = SURNAMES[i % len(SURNAMES)] + ("女士" if i % 2 else "先生")
        mode = "电访" if i % 3 else "走访"
        lines.append(
            f"  - {{date: 2020-11-{day:02d}, name: {name}, town: {TOWNS[i % 8]}, mode: {mode}}}"
        )
    return "\n".join(lines) + "\n"


def wishes() -> str:
    out = ["wishes:"]
    for i, name in enumerate(["欧阳女士", "司马先生", "梁女士", "诸葛先生"]):
        situation = {0: SITUATION, 3: LONG_SITUATION}.get(
            i, f"{name}是在档困难职工，孩子正在读小学。"
        )
        out += [f"  - name: {name}", f"    situation: {situation}", "    wish: 书包一个"]
    return "\n".join(out) + "\n"


EVENTS = f"""\
activities:
  - id: fair
    name: 与“{PARTNERS[0]}”共办“职工健康月”义诊
    kind: 职工关爱活动
    participants: 86
    partners: [{PARTNERS[0]}, {PARTNERS[2]}]
    sessions:
      - {{date: 2020-11-28, venue: {PARTNERS[0]}}}
      - {{date: 2020-11-12, venue: {PARTNERS[2]}}}
services:
  - {{name: 心理咨询, place: 心灵港湾}}
"""

CONSULTATIONS = """\
consultations:
  - {counsellor: 廖诗敏, channel: 到访, people: 4, hours: 6, topics: [情绪困扰]}
"""


def plans() -> str:
    out = ["plans:"]
    for n, name in enumerate(["“暖冬行动”困难职工走访慰问", "大疫当前 温暖相随"]):
        out += [f"  - name: {name}", "    content: 走访慰问困难职工，送去过冬物资。", "    rows:"]
        for i, partner in enumerate(PARTNERS):
            staff = " ".join(STAFF[(i + n) % 4 :] + STAFF[: (i + n) % 4])
            out.append(f"      - {{target: {partner}, due: 2020-12-{10 + 6 * i}, staff: {staff}}}")
    return "\n".join(out) + "\n"


ARTICLES = """\
articles:
  - section: 职工关爱服务
    title: 携手助力·点亮职工“小心愿”
    body: 11月份，工会社工对困难职工进行探访，并收集小心愿（具体见下表）。
    table: wishes
  - section: 职工服务站
    title: 困难职工探访情况
    body: 11月份，工会社工共探访困难职工{{ visits.households }}人（具体见下表）。
    table: visits
"""


def write_hard_month(root: Path) -> Path:
    """Write the hard month (2020-11) under ROOT; return the data folder."""
    files = {
        "visits.yaml": visits(),
        "wishes.yaml": wishes(),
        "events.yaml": EVENTS,
        "consultations.yaml": CONSULTATIONS,
        "plans.yaml": plans(),
        "articles.yaml": ARTICLES,
    }
    return write_project(root, {"2020-11": files}, PROJECT)
