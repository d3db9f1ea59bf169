"""Article placeholders: the quick path for plain names gives exactly what Jinja gives."""

from __future__ import annotations

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
