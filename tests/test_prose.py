"""Figures as words: Chinese numerals, printed numbers, quotation marks; and article
placeholders, whose quick path for plain names gives exactly what Jinja gives."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bulletin import prose

NS = {
    "issue": "01",
    "visits": {"households": 39, "towns_text": "神湾镇、黄圃镇", "towns": ["神湾镇", "黄圃镇"]},
    "counselling": {"hours": "16", "sessions": ""},
    "activity": {"items": {"participants": 5}, "haircut": {"participants": 12}},
    "totals": {"people": 1.5, "missing": None},
}


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "零"),
        (6, "六"),
        (10, "十"),
        (12, "十二"),
        (20, "二十"),
        (21, "二十一"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (1000, "一千"),
        (1001, "一千零一"),
        (3000, "三千"),
        (1010, "一千零一十"),
        (9999, "九千九百九十九"),
        (10000, "10000"),
        (-1, "-1"),
    ],
)
def test_chinese_numerals(n: int, text: str) -> None:
    assert prose.cn_number(n) == text


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (16, "16"),
        (16.0, "16"),
        (1.5, "1.5"),
        (4.25, "4.25"),
        (2.50, "2.5"),
        (1 / 3, "0.33"),
        (0, "0"),
        (2.004, "2"),  # hours that round to a whole number print without a point
        (0.001, "0"),
    ],
)
def test_a_figure_prints_without_a_trailing_zero(x: float, text: str) -> None:
    assert prose.num(x) == text


def test_a_quoted_name_turns_its_own_quotation_marks_into_the_inner_pair() -> None:
    assert prose.quoted("为你剪掉“烦恼丝”") == "“为你剪掉‘烦恼丝’”"
    assert prose.quoted("义剪") == "“义剪”"


def _jinja(text: str) -> tuple[str, list]:
    """What the sandboxed Jinja path alone makes of `text`."""
    saved = prose._fill_simple
    prose._fill_simple = lambda text, ns: None
    try:
        return prose.render_placeholders(text, NS)
    finally:
        prose._fill_simple = saved


@pytest.mark.parametrize(
    "text",
    [
        "共探访{{ visits.households }}户，第{{issue}}期。\n\n{{  visits.towns_text }}\n",
        "{{ totals.people }}、{{ totals.missing }}、{{ counselling.sessions }}。",
        "{{ activity.haircut.participants }}人",
        "} {{ visits.households }}}} { } {",
    ],
)
def test_plain_names_are_filled_without_compiling_a_template(text: str) -> None:
    assert prose._fill_simple(text, NS) is not None
    assert prose.render_placeholders(text, NS) == _jinja(text)


@pytest.mark.parametrize(
    "text",
    [
        "{{ visits.towns }}",  # a list: printed as Jinja prints it
        "{{ activity.items.participants }}",  # a dict method shadows the key in Jinja
        "{{{ visits.households }}",
        "{{ visits.housholds }}",
        "{{ visits.households + 1 }}",
        "{% for x in visits.towns %}{{ x }}{% endfor %}",
        "{# note #}{{ issue }}",
        "{{ visits._secret }}",
        "{{ 访问 }}",
        "a\r\n{{ issue }}",
        "{{ issue }",
        "第{{ issue }}期{{ issue }}，{{",  # an opening left after two names
    ],
)
def test_everything_else_is_left_to_jinja(text: str) -> None:
    assert prose._fill_simple(text, NS) is None
    assert prose.render_placeholders(text, NS) == _jinja(text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["{{", "}}", "{", "}", " ", "\n", "visits", ".", "households", "issue", "x", "_", "户"]
        ),
        max_size=12,
    )
)
def test_any_mix_of_braces_and_names_renders_as_jinja_does(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert prose.render_placeholders(text, NS) == _jinja(text)


@pytest.mark.parametrize(
    ("n", "text"), [(1, "一"), (2, "两"), (3, "三"), (12, "十二"), (20, "二十"), (22, "二十二")]
)
def test_a_count_before_a_measure_word_says_liang(n: int, text: str) -> None:
    assert prose.cn_count(n) == text


def test_two_wishes_and_two_towns_print_liang(small, tmp_path) -> None:
    """收集了两个小心愿, 两个镇区: 2 before a measure word is 两 in the printed bulletin."""
    from tests.docx_text import body_items
    from tests.test_cli import run

    data = small(
        {
            "2020-02": {
                "visits.yaml": """\
                    visits:
                      - {date: 2020-02-25, name: 黄小姐, town: 民众镇, mode: 电访}
                      - {date: 2020-02-26, name: 梁小姐, town: 黄圃镇, mode: 电访}
                """,
                "wishes.yaml": """\
                    wishes:
                      - {name: 梁女士, situation: 独自抚养两个孩子, wish: 书包一个}
                      - {name: 郭女士, situation: 负担较重, wish: 学习用品}
                """,
                "articles.yaml": """\
                    articles:
                      - section: 职工关爱服务
                        title: 点亮心愿
                        body: |
                          社工走访了{{ visits.town_count_cn }}个镇区，收集了{{ wishes.collected_cn }}个“小心愿”。
                """,
            }
        }
    )
    out = tmp_path / "out" / "2020-02.docx"
    result = run("build", "2020-02", "-o", str(out), "--data", str(data))
    assert result.exit_code == 0, result.output
    assert ("p", "社工走访了两个镇区，收集了两个“小心愿”。") in body_items(out)
    assert sorted(p.name for p in out.parent.iterdir()) == ["2020-02.docx"]


def test_the_sandbox_itself_reads_nothing_but_the_keys_of_the_figures() -> None:
    """Behind the checks that refuse a placeholder first (unknown names, calls, filters), the
    Jinja sandbox is the last guard: it lets a placeholder read a dict's entries and nothing
    of any other object, and no method that would change a dict."""
    env = prose._ENV
    figures = {"households": 14}
    assert env.is_safe_attribute(figures, "get", figures.get)
    assert not env.is_safe_attribute(figures, "pop", figures.pop)
    assert not env.is_safe_attribute(figures, "__class__", dict)
    assert not env.is_safe_attribute("北滘镇", "upper", "北滘镇".upper)
    assert not env.is_safe_attribute(14, "real", 14)


@pytest.mark.parametrize(
    ("text", "line", "value", "hint"),
    [
        (
            "{{ Visits.households }}",
            1,
            "Visits.households",
            ("hint_placeholder_guess", {"value": "visits.households"}),
        ),
        (
            "\n{{ visits.housholds }}",
            2,
            "visits.housholds",
            ("hint_placeholder_guess", {"value": "visits.households"}),
        ),
        ("第一段\n\n{{ zzzzzz }}", 3, "zzzzzz", ("hint_placeholders", {})),
        ("{{ isue }}", 1, "isue", ("hint_placeholder_guess", {"value": "issue"})),
    ],
)
def test_an_unknown_placeholder_is_on_its_line_with_the_closest_name_or_the_list(
    text: str, line: int, value: str, hint: tuple
) -> None:
    assert prose.render_placeholders(text, NS) == (
        text,
        [prose.PlaceholderProblem(line, "placeholder_unknown", {"value": value}, hint)],
    )


@pytest.mark.parametrize(
    ("text", "paras"),
    [
        ("第一段\n接着写\n\n第二段", ["第一段接着写", "第二段"]),  # no space inside Chinese
        ("  \n\n第一段\n\n \n\n第二段\n\n", ["第一段", "第二段"]),  # blank lines only part
        ("参加DIY\nclass", ["参加DIY class"]),  # Latin meets Latin: a space
        ("手工a\nb\nc", ["手工a b c"]),
        ("共12\n3人", ["共12 3人"]),
        ("2020年\n2月", ["2020年2月"]),
        ("DIY\n手工", ["DIY手工"]),
        ("手工\nDIY", ["手工DIY"]),
        ("社工。\nA组", ["社工。A组"]),  # a full stop is no letter
        ("Ａ\nＢ", ["ＡＢ"]),  # nor is a full-width letter
        ("", []),
    ],
)
def test_a_text_splits_at_blank_lines_and_joins_its_lines(text: str, paras: list[str]) -> None:
    assert prose.paragraphs(text) == paras


HINT_ALL = ("hint_placeholders", {})


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        (  # not closed: a syntax error, with the way to print braces
            "第一行\n{{ visits.households",
            [(2, "placeholder_syntax", "unexpected end of template", ("hint_raw", {}))],
        ),
        (  # a loop is more than a placeholder; and x is no name
            "甲\n\n{% for i in x %}{% endfor %}",
            [
                (3, "placeholder_not_allowed", "for", HINT_ALL),
                (3, "placeholder_unknown", "x", HINT_ALL),
            ],
        ),
        ("甲\n乙\n{{ visits._x[0] }}", [(3, "placeholder_not_allowed", "_x", HINT_ALL)]),
        (
            "甲\n乙\n{{ visitz[0] }}",
            [
                (
                    3,
                    "placeholder_unknown",
                    "visitz",
                    ("hint_placeholder_guess", {"value": "visits.towns"}),
                )
            ],
        ),
        (  # fails only when filled: on the line where it failed
            "甲\n{{ visits['nokey'] }}",
            [(2, "placeholder_failed", "'dict object' has no attribute 'nokey'", HINT_ALL)],
        ),
        (
            "甲\n乙\n{{ visits.households[0] }}",
            [(3, "placeholder_failed", "int object has no element 0", HINT_ALL)],
        ),
    ],
)
def test_a_placeholder_that_is_not_one_name_is_refused_on_its_line(text, problems) -> None:
    """Every refusal names its line in the text, what is wrong and where to look."""
    filled, found = prose.render_placeholders(text, NS)
    assert filled == text  # nothing filled in
    assert [(p.line, p.key, p.hint) for p in found] == [(n, k, h) for n, k, _, h in problems]
    for p, (_, key, said, _) in zip(found, problems, strict=True):
        named = "problem" if key in ("placeholder_syntax", "placeholder_failed") else "value"
        assert list(p.params) == [named] and said in p.params[named], p


def _placeholder_table(guide: str) -> list[tuple[str, str]]:
    """The guide's placeholder table, a (placeholder, example) pair for each name: the
    example's `<id>` is the example month's activity, `haircut`."""
    start = guide.index("| placeholder | example |")
    rows = guide[start:].split("\n\n", 1)[0].splitlines()[2:]
    pairs = []
    for row in rows:
        names, examples = (cell.strip() for cell in row.strip("|").split(" | "))
        names = [n.strip("` ").replace("<id>", "haircut") for n in names.split("(")[0].split(",")]
        values = [v.strip() for v in re.split(r",(?![^（(]*[)）])", examples)]
        pairs += zip(names, values, strict=True)
    return pairs


def test_every_placeholder_in_the_guide_prints_its_example_for_the_example_month() -> None:
    """The guide's table of placeholders is a promise: each name, cited in the example month,
    prints the example the table gives for it (a list cut short with … by its start; a
    figure's own name in brackets left aside)."""
    from conftest import EXAMPLE, REPO

    from bulletin.loader import load_project
    from bulletin.models import YearMonth
    from bulletin.pipeline import _read
    from bulletin.wording import load_wording

    project = load_project(EXAMPLE)
    wording = load_wording(project, EXAMPLE)
    ns = _read(EXAMPLE, YearMonth(2020, 2), project, wording, pictures=False)[2]
    pairs = _placeholder_table((REPO / "README.md").read_text(encoding="utf-8"))
    assert len(pairs) >= 25
    for name, example in pairs:
        text, problems = prose.render_placeholders("{{ " + name + " }}", ns)
        assert problems == [], name
        example = re.sub(r" \(.*\)$", "", example)
        if example.endswith("…"):
            assert text.startswith(example.rstrip("…")), (name, text)
        else:
            assert text == example, (name, text, example)
