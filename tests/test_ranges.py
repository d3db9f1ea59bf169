"""The months a command is asked for, and the file names made from them."""

from __future__ import annotations

import pytest

from bulletin.errors import UsageError
from bulletin.models import YearMonth
from bulletin.ranges import of_period, safe_name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("报告-上半年", "报告-上半年"),
        ("报告-2020/21 年度", "报告-2020_21 年度"),  # no folder in a name
        ('a\\b:c*d?e"f<g>h|i', "a_b_c_d_e_f_g_h_i"),  # nor what Windows refuses
        ("..上半年", "上半年"),  # not hidden, not a parent folder
        ("上半年.", "上半年."),  # a dot inside the name stays (the ending follows it)
        ("  二期  ", "二期"),
        ("XX项目 上半年", "XX项目 上半年"),  # only dots are taken from the front
        ("...", "_"),
        ("", "_"),
    ],
)
def test_a_file_name_made_from_a_period(text: str, name: str) -> None:
    assert safe_name(text) == name


@pytest.mark.parametrize("text", ["2020-Q2", "2020Q2", "2020-q2", "2020q2", " 2020-Q2 "])
def test_a_quarter_is_written_any_of_four_ways(small, text: str) -> None:
    from bulletin.loader import load_project

    project = load_project(small({"2020-02": {}}))
    wanted = of_period(project, text)
    assert (wanted.first, wanted.last) == (YearMonth(2020, 4), YearMonth(2020, 6))
    assert wanted.kind == ("quarter", {"year": 2020, "quarter": 2})


@pytest.mark.parametrize("text", ["2021", " 2021 "])
def test_a_year_is_january_to_december(small, text: str) -> None:
    from bulletin.loader import load_project

    project = load_project(small({"2020-02": {}}))
    wanted = of_period(project, text)
    assert (wanted.first, wanted.last) == (YearMonth(2021, 1), YearMonth(2021, 12))
    assert wanted.kind == ("year", {"year": 2021})


@pytest.mark.parametrize(("first", "last"), [("2020-04", None), (None, "2020-05")])
def test_a_period_and_a_range_together_are_a_usage_error(small, first, last) -> None:
    from bulletin.loader import load_project

    project = load_project(small({"2020-02": {}}))
    with pytest.raises(UsageError) as caught:
        of_period(project, "2020-Q2", first, last)
    assert caught.value.lines("en") == ["use either --period or --from/--to"]


def test_a_month_argument_is_a_month_of_a_year_a_range_may_name() -> None:
    """The first and last years a range may name hold for a month argument too, and the
    refusal quotes the argument as it was typed."""
    from bulletin.ranges import month

    assert (month("1900-01"), month("9998-12")) == (YearMonth(1900, 1), YearMonth(9998, 12))
    assert month("2020-2") == YearMonth(2020, 2)
    for text in ("1899-12", "9999-01"):
        with pytest.raises(UsageError) as caught:
            month(text)
        assert caught.value.lines("en") == [f"{text}: a year from 1900 to 9998, please"]
