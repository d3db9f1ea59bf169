"""Random text through load → render: a located error, or a .docx that holds the text."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from conftest import write_project
from docx import Document
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bulletin.errors import DataError
from bulletin.models import YearMonth
from bulletin.pipeline import build

_piece = st.one_of(
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
    st.sampled_from(list("&<>{}%#:\"'\\\x00\x0b\x0c\x1b\t") + ["</w:t>", "{{ 7*7 }}", "{% raw %}"]),
)
text = st.lists(_piece, min_size=1, max_size=20).map("".join)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(situation=text, wish=text, people=st.integers(min_value=-3, max_value=10**7))
# Texts too wide for their columns, which the renderer puts onto lines between pieces.
@example(situation="000{{ 7*7 }}{{ 7*7 }}{{ 7*7 }}", wish="00{{ 7*7 }}{{ 7*7 }}{{ 7*7 }}", people=0)
@example(situation="0", wish="0000Þ{{ 7*7 }}{{ 7*7 }}{{ 7*7 }}{{ 7*7 }}{{ 7*7 }}", people=0)
def test_random_text_is_printed_or_reported(
    tmp_path_factory, situation: str, wish: str, people: int
) -> None:
    root = tmp_path_factory.mktemp("prop")
    files = {
        "wishes.yaml": f"wishes:\n  - name: 梁女士\n    situation: {json.dumps(situation)}\n    wish: {json.dumps(wish)}\n",
        "consultations.yaml": f"consultations:\n  - {{counsellor: 廖诗敏, channel: 线上, people: {people}, hours: 1}}\n",
        "articles.yaml": "articles:\n  - {section: 项目快讯, title: 标题, body: 正文, table: wishes}\n",
    }
    data = write_project(root, {"2020-02": files})
    out = root / "out.docx"
    try:
        build(data, YearMonth(2020, 2), out)
    except DataError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.file.name in files and problem.line >= 1
        assert not out.exists()
        return
    cells = [c.text for t in Document(str(out)).tables for row in t.rows for c in row.cells]
    assert any(printed_as(situation.strip(), cell) for cell in cells)
    assert any(printed_as(wish.strip(), cell) for cell in cells)


def printed_as(text: str, cell: str) -> bool:
    """Whether `cell` is `text`, character for character, except where the renderer put a
    text too wide for its column onto several lines: a line break between two of its
    pieces, or in place of the space between them (wordtables._break_lines)."""
    lines = cell.split("\n")
    return re.fullmatch("(?:| |\n)".join(map(re.escape, lines)), text) is not None


FUZZ_EXAMPLES = int(os.environ.get("BULLETIN_FUZZ_EXAMPLES", "200"))


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(
    raw=st.one_of(st.binary(max_size=300), text.map(lambda s: s.encode("utf-8", "surrogatepass")))
)
def test_yaml_loader_fuzz(raw: bytes, tmp_path_factory) -> None:
    """Any bytes give parsed values or located problems, never another exception."""
    from bulletin import yamlfile

    path = tmp_path_factory.mktemp("fuzz") / "visits.yaml"
    path.write_bytes(raw)
    try:
        located = yamlfile.load(path)
    except yamlfile.YamlProblems as exc:
        assert exc.problems and all(p.file == path for p in exc.problems)
    else:
        assert isinstance(located.lines, dict)


def test_markup_in_data_prints_literally(tmp_path: Path) -> None:
    tricky = [
        "Tom & Jerry",
        "a < b > c",
        "</w:t></w:r></w:p><w:p><w:r><w:t>injected",
        "{{ 7*7 }}",
        "{% raw %}x",
    ]
    wishes = "wishes:\n" + "".join(
        f"  - {{name: 梁女士, situation: {json.dumps(t)}, wish: 书包}}\n" for t in tricky
    )
    data = write_project(
        tmp_path,
        {
            "2020-02": {
                "wishes.yaml": wishes,
                "articles.yaml": "articles:\n  - {section: 项目快讯, title: 标题, body: 正文, table: wishes}\n",
            }
        },
    )
    out = tmp_path / "out.docx"
    build(data, YearMonth(2020, 2), out)
    doc = Document(str(out))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    for t in tricky:
        assert t in cells
    assert not any(p.text == "injected" for p in doc.paragraphs)
