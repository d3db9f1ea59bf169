"""The YAML reader's fast paths find every problem its careful paths find."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bulletin import yamlfile

# Pieces of text near each problem `check_text` finds: digits of several scripts (the
# patterns' \d is any decimal digit), separators, conflict-marker runs and characters Word
# cannot hold, mixed with ordinary text.
_piece = st.one_of(
    st.sampled_from(list("0123456789") + ["１", "３", "٣", "८"]),
    st.sampled_from(["-", " ", "+86", "86", "X", "x", "：", "\n", "年", "电话"]),
    st.sampled_from(["<" * 7, ">" * 7, "<" * 6, "=" * 7, "|" * 7, "\x00", "\x1f", "\x7f"]),
    st.sampled_from(["\ud800", "\ufffe", "\uffff", "\t", "\r", "\u2028"]),
    st.sampled_from(["13812345678", "0760-88123456", "020-1234567", "07601234567"]),
    st.sampled_from(["44200019900101123X", "442000199001011234", "2020-02-25", "12:30"]),
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
)
_text = st.lists(_piece, max_size=12).map("".join)


@settings(max_examples=600, deadline=None)
@given(value=_text)
def test_the_pre_check_passes_every_value_a_check_refuses(value: str) -> None:
    assert yamlfile.check_text(value) == yamlfile._check_suspect(value)


@pytest.mark.parametrize(
    "value",
    [
        "电话13812345678",
        "电话 138 1234 5678",
        "+86-138-1234-5678",
        "0760-1234567",
        "076012345678",
        "身份证442000199001011234",
        "身份证 44200019900101123x",
        "座机0760-１２３４５６７",  # the patterns' \d is any script's digit
        "a\x07b",
        "<<<<<<< HEAD",
        "x\n>>>>>>> theirs",
    ],
)
def test_the_pre_check_lets_each_kind_of_problem_through(value: str) -> None:
    found = yamlfile.check_text(value)
    assert found is not None and found == yamlfile._check_suspect(value)


_key = st.sampled_from(["name", "date", "town", "visits", "名字", "a", "b", "yes", "null"])
_leaf = st.one_of(_text, st.none(), st.booleans(), st.sampled_from(["~", "no", "010", "True"]))
_doc = st.recursive(
    _leaf,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_key, inner, max_size=4)),
    max_leaves=25,
)


def _both(text: str) -> tuple[object, object]:
    """What the fast walk and the careful walk make of `text`: (value, lines) each, or the
    problems the careful one found and "unusual" for the fast one."""
    root = yaml.compose(text, Loader=yamlfile._Loader)
    problems: list = []
    careful = yamlfile._careful(Path("x.yaml"), root, problems)
    try:
        fast: object = yamlfile._plain(root)
    except yamlfile._Unusual:
        fast = "unusual"
    return fast, (problems if problems else careful)


def test_the_fast_walk_gives_the_careful_walks_values_and_lines_or_steps_aside() -> None:
    """On random documents the fast walk gives what the careful walk gives, or steps aside
    (for the careful walk to report); and it takes most files without a problem, or it would
    be no faster than the careful walk alone."""
    taken = {"fast": 0, "aside": 0}

    @settings(max_examples=200, deadline=None, database=None)
    @given(doc=_doc, flow=st.booleans())
    def compare(doc: object, flow: bool) -> None:
        text = yaml.safe_dump(doc, allow_unicode=True, default_flow_style=flow)
        try:
            fast, careful = _both(text)
        except yaml.YAMLError:  # libyaml refuses what PyYAML wrote (a lone surrogate's escape)
            return
        if isinstance(careful, list):  # problems: the fast walk must not have passed the file
            assert fast == "unusual"
            return
        if fast != "unusual":
            assert fast == careful
        taken["aside" if fast == "unusual" else "fast"] += 1

    compare()
    clean = taken["fast"] + taken["aside"]
    assert clean >= 50, taken
    assert taken["fast"] >= 0.9 * clean, taken


def test_the_example_files_take_the_fast_walk() -> None:
    files = sorted(Path(__file__).parents[1].joinpath("data").rglob("*.yaml"))
    assert len(files) >= 7
    for path in files:
        text = path.read_text(encoding="utf-8-sig")
        fast, careful = _both(text)
        assert fast == careful, path


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",  # a duplicate key
        "? [a, b]\n: 1\n",  # a key that is a list
        "? {a: 1}\n: 1\n",  # a key that is a mapping
        "v: " + "[" * 45 + "]" * 45 + "\n",  # too deep
        "v: " + "[" * 40 + "x" + "]" * 40 + "\n",  # one level deeper than allowed
        "v: [a, '13812345678']\n",
        '- {name: "a\\x07"}\n',  # a character Word cannot hold, as an escape
    ],
)
def test_the_fast_walk_steps_aside_for_each_problem_of_the_careful_walk(text: str) -> None:
    fast, careful = _both(text)
    assert isinstance(careful, list) and careful
    assert fast == "unusual"
    with pytest.raises(yamlfile.YamlProblems) as info:
        yamlfile.parse(Path("x.yaml"), text)
    assert [p.message.key for p in info.value.problems] == [p.message.key for p in careful]


def test_the_fast_walk_records_the_line_of_every_key_and_item() -> None:
    text = "visits:\n  - date: 2020-02-25\n    name: 黄小姐\n  -\n    name: 梁女士\n"
    located = yamlfile.parse(Path("x.yaml"), text)
    assert located.value == {
        "visits": [{"date": "2020-02-25", "name": "黄小姐"}, {"name": "梁女士"}]
    }
    assert located.lines == {
        (): 1,
        ("visits",): 1,
        ("visits", 0): 2,
        ("visits", 0, "date"): 2,
        ("visits", 0, "name"): 3,
        ("visits", 1): 5,
        ("visits", 1, "name"): 5,
    }


def test_a_control_character_typed_in_a_file_is_on_its_line_and_the_rest_is_still_read() -> None:
    """YAML refuses a file holding a control character anywhere (pasted from WeChat into a
    long text): the message gives its line and column, and the file's other problems are found
    as if it were a space."""
    text = (
        "articles:\n"
        "  - title: 标题\n"
        "    body: |\n"
        "      第一段。\n"
        "      第二段\x07有一个看不见的字符。\n"
        "      联系电话 13812345678。\n"
        "  - title: 第二\x1bb篇\n"
    )
    with pytest.raises(yamlfile.YamlProblems) as info:
        yamlfile.parse(Path("articles.yaml"), text)
    found = [(p.line, p.message.key, p.message.params) for p in info.value.problems]
    assert found == [
        (5, "bad_char", {"char": "U+0007", "pos": 10}),
        (7, "bad_char", {"char": "U+001B", "pos": 14}),
        (6, "phone_number", {"value": "13812345678"}),
    ]
    assert info.value.problems[0].hint.key == "hint_bad_char"


def _problems(text: str) -> list[tuple[int, str, dict, str | None]]:
    from bulletin import yamlfile

    with pytest.raises(yamlfile.YamlProblems) as caught:
        yamlfile.parse(Path("events.yaml"), text)
    for p in caught.value.problems:  # a slip of the file's text: the file, no field
        assert (p.file, p.field) == (Path("events.yaml"), ""), p
        assert p.hint is None or p.hint.key, p  # a hint has something to say
    return [
        (p.line, p.message.key, p.message.params, p.hint.key if p.hint else None)
        for p in caught.value.problems
    ]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("date 2026-12-04\ntitle: 探访\n", 1),  # on the file's first line
        ("name: x\ndate 2026-12-04   # 注: 当天\ntitle: 探访\n", 2),  # a comment with a colon
        ("name: x\ndate 2026-12-04\n\n  # 备注\ntitle: 探访\n", 2),  # blanks and comments after
    ],
)
def test_a_field_typed_without_its_colon_is_named_on_its_own_line(text: str, line: int) -> None:
    """`date 2026-12-04` (the colon forgotten) is reported on its line, with the field's name
    and how to write it, however many comments and blank lines stand before the line where
    YAML noticed."""
    assert _problems(text) == [(line, "yaml_missing_colon", {"key": "date"}, "hint_colon_space")]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("visits:\n\t- date: 2026-12-04\n", 2),  # a tab to indent
        ("visits:\n  - date: 2026-12-04\n  -\ttown: 北滘镇\n", 3),  # a tab after the dash
        ("a: 1\n\t# 备注\n", 2),  # a tab before a comment
        ("-\tdate: 2026-12-04\n", 1),  # after the dash, on the first line
    ],
)
def test_a_tab_typed_with_the_tab_key_is_named_as_such(text: str, line: int) -> None:
    assert _problems(text) == [(line, "yaml_tab", {}, "hint_tab")]


def test_a_control_character_after_a_blank_first_line_is_on_line_two() -> None:
    from bulletin import yamlfile

    with pytest.raises(yamlfile.YamlProblems) as caught:
        yamlfile.parse(Path("visits.yaml"), "\n\x07visits: []\n")
    (problem,) = caught.value.problems
    assert (problem.line, problem.message.key, problem.message.params) == (
        2,
        "bad_char",
        {"char": "U+0007", "pos": 1},
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("visits: []\n---\nwishes: []\n", (2, "yaml_multi_doc", {}, None)),
        ('name: "工会\\q社工"\n', (1, "yaml_bad_escape", {}, "hint_bad_char")),
        ("a:\n  b: 'it''s\n  c: 1\n", (2, "yaml_unclosed_quote", {}, "hint_unclosed_quote")),
        # What no message of ours explains is YAML's own words, with the column.
        (
            "%YAML 1.1\n%YAML 1.1\n---\na: 1\n",
            (2, "yaml_syntax", {"problem": "found duplicate %YAML directive (column 1)"}, None),
        ),
        ("a: *x\n", (1, "yaml_alias", {}, "hint_alias")),  # an alias, though of nothing
        ("a: ,\n", (1, "yaml_no_value", {}, None)),
        ("a:\n  b: 1\n c: 2\n", (3, "yaml_key_indent", {}, "hint_indent")),  # not a quote
        # a quoted value and more text after it, in each kind of place
        ('name: "黄小姐" 民众镇\n', (1, "yaml_after_quote", {}, "hint_after_quote")),
        (
            "v:\n  - name: '黄小姐' 民众镇\n    town: x\n",
            (2, "yaml_after_quote", {}, "hint_after_quote"),
        ),
        ('v:\n  - "黄小姐" 民众镇\n', (2, "yaml_after_quote", {}, "hint_after_quote")),
        (
            'v:\n  - {name: "黄小姐" 民众镇, town: x}\n',
            (2, "yaml_after_quote", {}, "hint_after_quote"),
        ),
        ('v: ["黄小姐" 民众镇, x]\n', (1, "yaml_after_quote", {}, "hint_after_quote")),
        # a list in [ ] or a record in { } and more text after it, said for the one it is
        (
            "v:\n  - a: 1\n    topics: [婚恋, 家庭] 其他\n",
            (3, "yaml_after_bracket", {}, "hint_after_bracket"),
        ),
        ("a: {x: 1} y\n", (1, "yaml_after_brace", {}, "hint_after_brace")),
        ("- {x: 1}\u3000# 备注\n", (1, "yaml_after_brace", {}, "hint_after_brace")),
        ("- [a] b\n", (1, "yaml_after_bracket", {}, "hint_after_bracket")),
        ("v:\n  - a: 1\n    b: {x: 1}, c\n", (3, "yaml_after_brace", {}, "hint_after_brace")),
        ("v: [[a], b]]\n", (1, "yaml_after_bracket", {}, "hint_after_bracket")),
    ],
)
def test_each_kind_of_yaml_slip_has_its_message_line_and_hint(text: str, problem: tuple) -> None:
    assert _problems(text) == [problem]


def test_where_pyyaml_has_no_c_parser_a_tab_is_still_named() -> None:
    """PyYAML built without libyaml parses with its own Python code, which refuses a tab at a
    line's end and says so in its words ('\\t'): still the tab's message, on its line."""
    from bulletin.errors import Msg, Problem
    from bulletin.yamlfile import _syntax_problem

    text = "visits: []\nname: 黄小姐\t\n"
    with pytest.raises(yaml.YAMLError) as caught:
        yaml.compose(text, Loader=yaml.SafeLoader)
    assert _syntax_problem(Path("events.yaml"), text, caught.value) == Problem(
        Path("events.yaml"), 2, "", Msg("yaml_tab"), Msg("hint_tab")
    )


def test_a_yaml_error_that_names_no_place_is_yamls_words_on_no_line() -> None:
    """An error of PyYAML's that carries no position (none of the parser's do today) is
    still a message: YAML's own words, with no line rather than a wrong one."""
    from bulletin.errors import Msg, Problem
    from bulletin.yamlfile import _syntax_problem

    text = "a: 1\n\tb: 2\n"
    assert _syntax_problem(Path("events.yaml"), text, yaml.YAMLError("stream ended")) == Problem(
        Path("events.yaml"), 0, "", Msg("yaml_syntax", {"problem": "stream ended"})
    )


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        (  # every duplicate is named, not only the first
            "a: 1\na: 2\nb: 1\nb: 2\n",
            [
                (2, "a", "yaml_duplicate_key", {"key": "a", "first": 1}, None),
                (4, "b", "yaml_duplicate_key", {"key": "b", "first": 3}, None),
            ],
        ),
        (  # a key that is a list, and the keys after it still read
            "? [a, b]\n: 1\nc: 1\nc: 2\n",
            [
                (1, "", "yaml_key_type", {}, None),
                (4, "c", "yaml_duplicate_key", {"key": "c", "first": 3}, None),
            ],
        ),
        (
            "visits:\n  - &a {x: 1}\n  - *a\n",
            [
                (2, "", "yaml_anchor", {"name": "a"}, "hint_alias"),
                (2, "visits[1]", "yaml_alias", {}, "hint_alias"),
            ],
        ),
        (  # one level deeper than allowed: named where it is
            "v: " + "[" * 40 + "x" + "]" * 40 + "\n",
            [(1, "v" + "[0]" * 40, "yaml_too_deep", {}, None)],
        ),
    ],
)
def test_each_problem_of_the_careful_walk_has_its_line_field_and_hint(
    text: str, problems: list
) -> None:
    with pytest.raises(yamlfile.YamlProblems) as caught:
        yamlfile.parse(Path("events.yaml"), text)
    assert all(p.file == Path("events.yaml") for p in caught.value.problems)
    assert [
        (p.line, p.field, p.message.key, p.message.params, p.hint.key if p.hint else None)
        for p in caught.value.problems
    ] == problems


def test_data_nested_as_deep_as_allowed_is_read() -> None:
    assert yamlfile.parse(Path("x.yaml"), "v: " + "[" * 39 + "x" + "]" * 39 + "\n").value["v"]
    assert yamlfile.parse(Path("x.yaml"), "- " * 40 + "x\n").value


def _read_problem(path: Path) -> tuple:
    from bulletin.yamlfile import read_text

    with pytest.raises(yamlfile.YamlProblems) as caught:
        read_text(path)
    (p,) = caught.value.problems
    assert (p.file, p.field) == (path, "")
    return p.line, p.message.key, p.message.params, p.hint.key if p.hint else None


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("a: 1\n名字: 黄小姐\n".encode("utf-16"), (1, "encoding_utf16", {}, "hint_save_utf8")),
        # with its mark and little ASCII, so no zero bytes to go by
        (
            b"\xff\xfe" + "名字：黄小姐\n".encode("utf-16-le"),
            (1, "encoding_utf16", {}, "hint_save_utf8"),
        ),
        (b"\xfe\xff" + "a: 1\n".encode("utf-16-be"), (1, "encoding_utf16", {}, "hint_save_utf8")),
        # UTF-16 saved without its mark: every other byte of the ASCII is zero
        (
            "a: 1\nb: 2\n名字: 黄小姐\n".encode("utf-16-le"),
            (1, "encoding_utf16", {}, "hint_save_utf8"),
        ),
        ("a: 1\n名字: 黄小姐\n".encode("gbk"), (2, "encoding_gbk", {}, "hint_save_utf8")),
        (
            b"a: 1\nb: x\xffy\n",
            (2, "encoding_other", {"byte": 0xFF, "column": 5}, "hint_save_utf8"),
        ),
        (b"\xffa: 1\n", (1, "encoding_other", {"byte": 0xFF, "column": 1}, "hint_save_utf8")),
        # after a blank first line: the line and column count from the file's first byte
        (b"\na: x\xff\n", (2, "encoding_other", {"byte": 0xFF, "column": 5}, "hint_save_utf8")),
    ],
)
def test_a_file_not_in_utf8_is_named_with_what_it_seems_to_be_and_where(
    tmp_path: Path, data: bytes, problem: tuple
) -> None:
    path = tmp_path / "visits.yaml"
    path.write_bytes(data)
    assert _read_problem(path) == problem


def test_a_file_is_read_up_to_its_size_limit_and_a_bom_is_dropped(tmp_path: Path) -> None:
    from bulletin.yamlfile import MAX_BYTES, read_text

    path = tmp_path / "articles.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + b"#" * (MAX_BYTES - 3))
    assert read_text(path) == "#" * (MAX_BYTES - 3)
    path.write_bytes(b"#" * (MAX_BYTES + 1))
    assert _read_problem(path) == (
        0,
        "file_too_large",
        {"size": MAX_BYTES + 1, "limit": MAX_BYTES},
        None,
    )
    assert _read_problem(tmp_path) == (0, "file_unreadable", {"reason": "Is a directory"}, None)


def test_a_control_character_is_read_as_one_space_in_the_rest_of_the_file() -> None:
    """The text read after a control character holds a space where it stood, nothing else, so
    a value on that line reads as typed and the later problems' columns stay where they are."""
    text, problems = yamlfile._unreadable(Path("a.yaml"), "name: 黄\x07小姐\nx: 1\x1b\n")
    assert text == "name: 黄 小姐\nx: 1 \n"
    assert [(p.line, p.message.params["pos"]) for p in problems] == [(1, 8), (2, 5)]


def test_colon_slips_are_caught_on_every_line_after_comments() -> None:
    """A full-width colon or a colon without its space, which YAML would read as text, is
    named on its line with its key, however many comments come before it; a comment is
    never one."""
    from bulletin import yamlfile
    from bulletin.errors import Msg

    text = "# 备注：二月\nname：黄小姐\n# town:x\ntown:民众镇\n"
    with pytest.raises(yamlfile.YamlProblems) as caught:
        yamlfile.parse(Path("visits.yaml"), text)
    assert [(p.file.name, p.line, p.field, p.message, p.hint) for p in caught.value.problems] == [
        (
            "visits.yaml",
            2,
            "name",
            Msg("yaml_fullwidth_colon", {"key": "name"}),
            Msg("hint_fullwidth_colon", {"key": "name"}),
        ),
        (
            "visits.yaml",
            4,
            "town",
            Msg("yaml_colon_space", {"key": "town"}),
            Msg("hint_colon_space", {"key": "town"}),
        ),
    ]


def test_each_conflict_marker_is_named_with_its_file_and_line() -> None:
    from bulletin import yamlfile

    text = "\n<<<<<<< HEAD\n  - a\n=======\n  - b\n>>>>>>> theirs\n"  # after a blank line
    assert [
        (p.file, p.line, p.field, p.message.key, p.message.params, p.hint.key)
        for p in yamlfile.conflict_markers(Path("visits.yaml"), text)
    ] == [
        (Path("visits.yaml"), line, "", "merge_conflict", {"marker": marker}, "hint_merge_conflict")
        for line, marker in ((2, "<<<<<<<"), (4, "======="), (6, ">>>>>>>"))
    ]


def test_a_file_with_colon_slips_only_is_also_read_as_meant() -> None:
    """Colon slips alone: the file is read as the person meant it (so its values are checked
    too); with any other problem it is not. A file of conflict markers or of comments with a
    slip is reported for that alone."""
    from bulletin import yamlfile

    def parsed(text: str):
        with pytest.raises(yamlfile.YamlProblems) as caught:
            yamlfile.parse(Path("visits.yaml"), text)
        found = caught.value
        return [p.message.key for p in found.problems], found.located and found.located.value

    assert parsed("name：黄小姐\ntown:民众镇\n") == (
        ["yaml_fullwidth_colon", "yaml_colon_space"],
        {"name": "黄小姐", "town": "民众镇"},
    )
    assert parsed("name：黄小姐\nv: &a 1\n") == (["yaml_fullwidth_colon", "yaml_anchor"], None)
    assert parsed("a: 1\n<<<<<<< HEAD\n") == (["merge_conflict"], None)
    assert parsed("name：黄小姐\nnote: a\x07b\n")[0] == ["yaml_fullwidth_colon", "bad_char"]


def test_a_file_the_fast_walk_steps_aside_for_without_a_problem_is_read_by_the_careful_walk(
    monkeypatch,
) -> None:
    """The fast walk may step aside for what only might be a problem; the careful walk then
    reads the file, with the same values, lines and block starts as the fast walk gives."""
    text = "articles:\n  - title: 标题\n    body: |\n      第一段\n    images: [a.jpg]\n"
    fast = yamlfile.parse(Path("x.yaml"), text)

    def aside(root: yaml.Node) -> None:
        raise yamlfile._Unusual

    monkeypatch.setattr(yamlfile, "_plain", aside)
    careful = yamlfile.parse(Path("x.yaml"), text)
    assert careful == fast
    assert careful.value == {
        "articles": [{"title": "标题", "body": "第一段\n", "images": ["a.jpg"]}]
    }
    assert careful.lines[("articles", 0, "images", 0)] == 5
    assert careful.blocks == {("articles", 0, "body"): 4}


@pytest.mark.parametrize(
    ("text", "blocks"),
    [
        ("just text\n", {}),  # a file that is one value
        ("v: " + "[" * 39 + "]" * 39 + "\n", {}),  # as deep as allowed
        ("v:\n  - " + "- " * 37 + "x\n", {}),
        ("items:\n  - |\n    第一段\n  - >\n\n    第二段\n", {("items", 0): 3, ("items", 1): 5}),
    ],
)
def test_the_fast_walk_takes_a_file_without_a_problem_however_it_is_shaped(
    text: str, blocks: dict
) -> None:
    """A file of one value, one nested as deep as allowed, block texts as list items: the
    fast walk reads each as the careful walk does, with the line where each block starts."""
    fast, careful = _both(text)
    assert fast == careful
    assert fast[2] == blocks


@pytest.mark.parametrize(
    ("line", "meant"),
    [
        ("  - name：梁女士\n", {"name": "梁女士"}),
        ("  - name ：梁女士\n", {"name": "梁女士"}),
        ("  - name\t：梁女士\n", {"name": "梁女士"}),
        ("  - name\u3000：梁女士\n", {"name": "梁女士"}),  # the input method's own space
        ("  - topics：\u3000[婚恋, 家庭]\n", {"topics": ["婚恋", "家庭"]}),  # and after it
        ("  - name：X先生\n", {"name": "X先生"}),
        ("  - name:X先生\n", {"name": "X先生"}),
        ("  - name：  梁女士\n", {"name": "梁女士"}),
        ("  - name：\n      梁女士\n", {"name": "梁女士"}),
        ("  - topics：\n      - 婚恋\n      - 家庭\n", {"topics": ["婚恋", "家庭"]}),
    ],
)
def test_a_colon_slip_is_read_as_the_key_and_value_meant(line: str, meant: dict) -> None:
    """Whatever space is typed before a full-width colon, and whatever follows either slip (a
    value beginning with X, spaces, a value or list on the next lines), the key and value are
    read as the person meant them."""
    with pytest.raises(yamlfile.YamlProblems) as caught:
        yamlfile.parse(Path("visits.yaml"), "visits:\n" + line)
    assert caught.value.located is not None
    assert caught.value.located.value == {"visits": [meant]}
