"""The figure registry (bulletin/figures.py): names, restrictions and how a total is made.
Every command's figures are checked against an independent count in test_oracle.py; these
are the registry's own rules, said once."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from bulletin import figures


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("visits", "visits"),
        ("探访户数", "visits"),
        (" 服务人次 ", "people_served"),  # spaces around it, as typed
        ("VISITS", "visits"),  # a key in capitals
        ("Satisfaction", "satisfaction"),
        ("vists", None),
        ("", None),
    ],
)
def test_a_figure_is_named_by_its_key_or_its_chinese_name(name: str, key: str | None) -> None:
    assert figures.resolve(name) == key


def test_labels_restrictions_parts_and_rates() -> None:
    assert figures.label("visits", "zh") == "探访户数"
    assert figures.label("visits", "en") == "households visited"
    assert figures.restrictable("towns") == [
        "visits",
        "phone_visits",
        "home_visits",
        "wishes_collected",
        "wishes_fulfilled",
    ]
    assert figures.restrictable("kind") == [
        "activity_sessions",
        "activity_participants",
        "satisfaction_responses",
        "satisfaction",
    ]
    assert figures.base_keys("people_served") == (
        "activity_participants",
        "visits",
        "counselling_people",
    )
    assert figures.base_keys("visits") == ("visits",)
    assert [k for k in figures.all_keys() if figures.is_rate(k)] == ["satisfaction"]
    assert figures.all_keys()[:3] == ["visits", "phone_visits", "home_visits"]
    assert len(figures.all_keys()) == len(set(figures.all_keys())) == 18


def _records(*values, key=None, part=None):
    return [SimpleNamespace(value=v, key=key, part=part) for v in values]


def test_how_each_kind_of_total_is_made() -> None:
    assert figures.value("visits", _records(2, 3)) == 5
    assert figures.value("visits", []) == 0
    assert figures.value("counselling_hours", _records(1.1, 2.2)) == 3.3  # not 3.3000000000000003
    towns = [SimpleNamespace(value=1, key=t) for t in ("神湾镇", "黄圃镇", "神湾镇")]
    assert figures.value("towns", towns) == 2
    answers = [SimpleNamespace(value=10, part=8), SimpleNamespace(value=25, part=25)]
    assert figures.value("satisfaction", answers) == 94.3  # 33 of 35, pooled
    assert figures.value("satisfaction", []) is None
    assert figures.rate(1, 3) == 33.3 and figures.rate(2, 3) == 66.7
    assert figures.rate(5, 0) is None
