"""The summary's orders: table rows by date (typing order for equal dates), counselling
topics by the people who raised them."""

from __future__ import annotations

from datetime import date

from docx_text import lines

from bulletin.loader import load_month, load_project
from bulletin.models import YearMonth
from bulletin.summary import summarize
from tests.test_cli import run

VISITS = """\
visits:
  - {date: 2020-02-05, name: 甲女士, town: 神湾镇, mode: 电访}
  - {date: 2020-02-29, name: 乙女士, town: 黄圃镇, mode: 走访}
  - {date: 2020-02-12, name: 丙先生, town: 三乡镇, mode: 电访}
  - {date: 2020-02-05, name: 丁先生, town: 东凤镇, mode: 走访}
"""

EVENTS = """\
activities:
  - name: 义剪
    sessions:
      - {date: 2020-02-15, venue: 甲公司}
      - {date: 2020-02-29, venue: 乙公司}
    participants: 10
  - name: 讲座
    sessions:
      - {date: 2020-02-22, venue: 丙公司}
    participants: 5
services:
  - {name: 心理咨询, place: 心灵港湾}
  - {name: 热线日, place: 全市, date: 2020-02-15}
"""


def test_rows_are_in_date_order_and_equal_dates_keep_typing_order(small) -> None:
    data = small({"2020-02": {"visits.yaml": VISITS, "events.yaml": EVENTS}})
    project = load_project(data)
    summary = summarize(project, load_month(project, data, YearMonth(2020, 2)))
    assert [v.name for v in summary.visits.rows] == ["甲女士", "丁先生", "丙先生", "乙女士"]
    assert [(r.date, r.content, r.place) for r in summary.schedule] == [
        (date(2020, 2, 15), "义剪", "甲公司"),
        (date(2020, 2, 15), "热线日", "全市"),
        (date(2020, 2, 22), "讲座", "丙公司"),
        (date(2020, 2, 29), "义剪", "乙公司"),
        (None, "心理咨询", "心灵港湾"),
    ]


COUNSELLING = """\
consultations:
  - {counsellor: 廖诗敏, channel: 线上, people: 2, hours: 3, topics: [婚恋问题, 情绪困扰, 亲子关系]}
  - {counsellor: 廖诗敏, channel: 到访, people: 5, hours: 4, topics: [睡眠障碍, 情绪困扰]}
"""
ARTICLE = """\
articles:
  - section: 项目快讯
    title: 心理咨询服务持续开展
    body: 共为{{ counselling.people }}人提供咨询，问题依次为{{ counselling.topics_text }}。
"""


def test_the_bulletin_names_counselling_topics_by_people_most_first(small, tmp_path) -> None:
    """The article's sentence lists the topics by the people who raised them (7, 5, 2, 2),
    equal counts in typing order; not in the order they were first typed."""
    data = small({"2020-02": {"consultations.yaml": COUNSELLING, "articles.yaml": ARTICLE}})
    out = tmp_path / "b.docx"
    result = run("build", "2020-02", "-o", str(out), "--data", str(data))
    assert result.exit_code == 0, result.output
    assert "共为7人提供咨询，问题依次为情绪困扰、睡眠障碍、婚恋问题、亲子关系。" in lines(out)
