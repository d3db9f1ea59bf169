"""Plan follow-through (bulletin/plans.py), the one rule by which `bulletin new`, `stats
--plan`, the ledger's staff column and the report say which items of last month's plan this
month carried out."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from bulletin.models import PlanItem, YearMonth
from bulletin.plans import follow_through, plan_matches, service_carries_out


def item(name: str, **more: str) -> PlanItem:
    return PlanItem(
        name=name,
        content="内容",
        rows=[{"target": "职工", "due": "2020-03", "staff": "李"}],
        **more,
    )


@pytest.mark.parametrize(
    ("planned", "name", "ident", "plan", "matches"),
    [
        (item("DIY手工坊"), "diy 手工坊", None, None, True),  # case and spaces aside
        (item("“暖冬”行动"), "暖冬行动！", None, None, True),  # punctuation aside
        (item("暖冬行动"), "暖冬慰问", None, None, False),
        (item("暖冬行动", id="warm"), "冬日慰问", "WARM", None, True),  # by id
        (item("暖冬行动"), "冬日慰问", "warm", None, False),  # an id the item has not
        (item("暖冬行动"), "冬日慰问", None, "暖冬 行动", True),  # by the activity's plan:
        (item("暖冬行动", id="warm"), "冬日慰问", None, "Warm", True),
        (item("暖冬行动"), "冬日慰问", None, "另一项", False),
    ],
)
def test_an_activity_carries_out_a_plan_item_by_plan_id_or_name(
    planned: PlanItem, name: str, ident: str | None, plan: str | None, matches: bool
) -> None:
    assert plan_matches(planned, name, ident, plan) is matches


def test_a_service_carries_out_the_item_that_names_it_or_matches_it() -> None:
    assert service_carries_out(item("心理咨询服务", service="心理 咨询"), "心理咨询")
    assert service_carries_out(item("心理咨询"), "心理咨询")  # by name, as an activity would
    assert not service_carries_out(item("义剪", service="心理咨询"), "法律咨询")


def test_follow_through_sorts_the_plan_into_done_not_done_and_unplanned() -> None:
    def activity(name: str, ident: str | None = None, plan: str | None = None):
        return SimpleNamespace(name=name, id=ident, plan=plan)

    summary = SimpleNamespace(
        month=YearMonth(2020, 3),
        activities=(
            activity("diy手工坊"),
            activity("冬日慰问", plan="暖冬行动"),
            activity("重阳敬老", ident="DOUBLE9"),
            activity("读书会"),
        ),
        services=(SimpleNamespace(name="心理咨询"),),
    )
    plans = [
        item("DIY手工坊"),
        item("暖冬行动"),
        item("重阳节活动", id="double9"),  # carried out by the activity's id
        item("咨询", service="心理咨询"),
        item("义剪"),
    ]
    report = follow_through(plans, summary)
    assert report.month == YearMonth(2020, 3)
    assert [(i.name, names) for i, names in report.done] == [
        ("DIY手工坊", ["diy手工坊"]),
        ("暖冬行动", ["冬日慰问"]),
        ("重阳节活动", ["重阳敬老"]),
        ("咨询", ["心理咨询"]),
    ]
    assert [i.name for i in report.not_done] == ["义剪"]
    assert report.unplanned == ["读书会"]
    assert report.items == 5
