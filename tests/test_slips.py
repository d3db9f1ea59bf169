"""The slips a social worker makes filling in a month, each answered through the command line
as meant or with a message that names it, and with nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli import run


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


# ---------------------------------------------------------------- list items


def test_an_input_methods_comma_separates_list_items(example: Path) -> None:
    """`topics: [婚恋问题，情绪困扰、睡眠障碍]`: the full-width comma and 、 separate topics as
    the ASCII comma does, in every list of names or words."""
    month = example / "2020-02"
    edit(
        month / "consultations.yaml",
        "topics: [婚恋问题, 情绪困扰, 睡眠障碍, 亲子关系]",
        "topics: [婚恋问题，情绪困扰、睡眠障碍；亲子关系]",
    )
    edit(
        month / "events.yaml",
        "partners: [中国电信中山分公司, 广东领先展示股份有限公司]",
        "partners: [中国电信中山分公司，广东领先展示股份有限公司]",
    )
    edit(example / "project.yaml", "  - 神湾镇\n  - 黄圃镇\n", "  - 神湾镇，黄圃镇\n")
    before = files_of(example)
    checked = run("check", "--data", str(example))
    assert (checked.exit_code, checked.output) == (0, "2020-02: no problems found\n")
    result = run("stats", "--by", "topic", "--data", str(example))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[2:6] == [
        "亲子关系                 11",
        "婚恋问题                 11",
        "情绪困扰                 11",
        "睡眠障碍                 11",
    ]
    result = run("stats", "--by", "town", "--format", "json", "--data", str(example))
    assert '"神湾镇"' in result.output and '"黄圃镇"' in result.output
    assert "，" not in result.output
    assert files_of(example) == before


# ---------------------------------------------------------------- a colon without its space


@pytest.mark.parametrize(
    ("slip", "message"),
    [
        (
            "town:神湾镇",
            "data/2020-02/visits.yaml:9: town: the key 'town' is not followed by a space after "
            "its colon (write 'town: value')",
        ),
        (
            "town：神湾镇",
            "data/2020-02/visits.yaml:9: town: a full-width colon '：' is used after the key "
            "'town' (write 'town: ' with an ASCII colon followed by a space)",
        ),
    ],
)
def test_a_colon_slip_is_one_line_and_hides_nothing(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, slip: str, message: str
) -> None:
    """The slip is reported on its own line only (not the next, correct line as a missing
    colon), and the file's other problems are reported in the same run."""
    monkeypatch.chdir(tmp_path)
    visits = example / "2020-02" / "visits.yaml"
    edit(
        visits,
        "  - {date: 2020-02-27, name: 邱小姐, town: 神湾镇, mode: 电访}\n"
        "  - {date: 2020-02-27, name: 郭小姐, town: 神湾镇, mode: 电访}\n",
        f"  - date: 2020-02-27\n    name: 邱小姐\n    {slip}\n    mode: 电访\n"
        "  - {date: 2020-02-27, name: 郭小姐, town: 神弯镇, mode: 电访}\n",
    )
    before = files_of(example)
    out = tmp_path / "out" / "2020-02.docx"
    for args in (("check",), ("build", "2020-02", "-o", str(out))):
        result = run(*args, "--data", "data")
        assert (result.exit_code, result.output.splitlines()) == (
            1,
            [
                message,
                "data/2020-02/visits.yaml:11: visits[4].town: '神弯镇' is not a known town "
                "(did you mean 神湾镇?)",
                "2 errors in 1 file",
            ],
        )
    assert files_of(example) == before and not out.parent.exists()


# ---------------------------------------------------------------- every problem in one run


def test_field_errors_and_a_misspelt_placeholder_in_one_run(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five field errors and a misspelt placeholder in articles.yaml: one check names all
    six; the placeholder's line is its own, not its article's."""
    monkeypatch.chdir(tmp_path)
    articles = example / "2020-02" / "articles.yaml"
    edit(articles, "    author: 梁嘉慧\n", "    autor: 梁嘉慧\n")
    edit(
        articles, "    title: 携手助力·点亮职工“小心愿”\n", "    titel: 携手助力·点亮职工“小心愿”\n"
    )
    edit(articles, "  - section: 职工服务站\n", "  - section: 职工服务\n")
    edit(articles, "    table: wishes\n", "    table: wish\n")
    edit(
        articles, "共访问困难职工{{ visits.households }}人", "共访问困难职工{{ visits.houshold }}人"
    )
    before = files_of(example)
    out = tmp_path / "out" / "2020-02.docx"
    expected = [
        "data/2020-02/articles.yaml:23: articles[1].autor: 'autor' is not a known field "
        "(did you mean author?)",
        "data/2020-02/articles.yaml:25: articles[1].body: unknown placeholder 'visits.houshold' "
        "(did you mean visits.households? The placeholders are listed in the README, section "
        "Placeholders)",
        "data/2020-02/articles.yaml:29: articles[2].title: this field is required",
        "data/2020-02/articles.yaml:30: articles[2].titel: 'titel' is not a known field "
        "(did you mean title?)",
        "data/2020-02/articles.yaml:31: articles[2].table: 'wish' is not one of: wishes / visits "
        "(did you mean wishes?)",
        "data/2020-02/articles.yaml:35: articles[3].section: '职工服务' is not a section of the "
        "bulletin (did you mean 职工服务站?)",
        "6 errors in 1 file",
    ]
    for args in (("check",), ("build", "2020-02", "-o", str(out))):
        result = run(*args, "--data", "data")
        assert (result.exit_code, result.output.splitlines()) == (1, expected)
    assert files_of(example) == before and not out.parent.exists()


# ---------------------------------------------------------------- a picture's name


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        (
            "en",
            "data/2020-02/articles.yaml:32: articles[2].images[0].path: the picture "
            "'images/探访2.JPG' does not exist, but 'images/探访2.jpg' does: a name must match "
            "exactly, capital letters too (write path: images/探访2.jpg)",
        ),
        (
            "zh",
            "data/2020-02/articles.yaml:32: articles[2].images[0].path（第 3 条第 1 项）: 图片“images/探访2.JPG”"
            "不存在，但有“images/探访2.jpg”：文件名要完全一致，包括大小写（请写成 path: images/探访2.jpg）",
        ),
    ],
)
def test_a_pictures_name_in_other_capitals_names_the_file_there(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, message: str
) -> None:
    from PIL import Image

    monkeypatch.chdir(tmp_path)
    (example / "2020-02" / "images").mkdir()
    Image.new("RGB", (40, 30), "red").save(example / "2020-02" / "images" / "探访2.jpg")
    if (example / "2020-02" / "images" / "探访2.JPG").exists():
        pytest.skip("a file system that ignores capitals finds the picture")
    edit(
        example / "2020-02" / "articles.yaml",
        "    table: wishes\n",
        "    table: wishes\n    images: [{path: images/探访2.JPG, caption: 探访}]\n",
    )
    before = files_of(example)
    out = tmp_path / "out" / "2020-02.docx"
    count = "1 error in 1 file" if lang == "en" else "1 个文件中共有 1 处错误"
    for args in (("check",), ("build", "2020-02", "-o", str(out))):
        result = run("--lang", lang, *args, "--data", "data")
        assert (result.exit_code, result.output.splitlines()) == (1, [message, count])
    assert files_of(example) == before and not out.parent.exists()


# ---------------------------------------------------------------- the line inside a body


BODY_CASES = {
    "placeholder on a body's only line": (
        "    body: |\n      2月份，工会社工共对",
        "    body: |\n      {{ visits.houshold }}2月份，工会社工共对",
        "data/2020-02/articles.yaml:33: articles[2].body: unknown placeholder 'visits.houshold' "
        "(did you mean visits.households? The placeholders are listed in the README, section "
        "Placeholders)",
    ),
    "placeholder after a blank first line": (
        "    body: |\n      2月份，工会社工共对",
        "    body: |-\n\n      {{ visits.houshold }}2月份，工会社工共对",
        "data/2020-02/articles.yaml:34: articles[2].body: unknown placeholder 'visits.houshold' "
        "(did you mean visits.households? The placeholders are listed in the README, section "
        "Placeholders)",
    ),
    "conflict marker on a body's first line": (
        "    body: |\n      2月份，工会社工共对",
        "    body: |\n      <<<<<<< HEAD 2月份，工会社工共对",
        "data/2020-02/articles.yaml:33: articles[2].body: git merge conflict marker '<<<<<<<': "
        "the file holds two versions (keep the right lines, delete the lines from <<<<<<< to "
        ">>>>>>> that are not wanted, and the marker lines themselves)",
    ),
    "phone number on a body's third line": (
        "      工会社工通过与职工交流，",
        "      工会社工通过与职工交流 13812345678，",
        "data/2020-02/articles.yaml:27: articles[1].body: contains what looks like a phone "
        "number (13812345678) (the bulletin is published: keep phone and ID numbers out of the "
        "data)",
    ),
    "the same phone number on the first and third lines: the first": (
        "共访问困难职工{{ visits.households }}人。\n\n      工会社工通过与职工交流，",
        "共访问困难职工{{ visits.households }}人 13812345678。\n\n      工会社工通过与职工交流 "
        "13812345678，",
        "data/2020-02/articles.yaml:25: articles[1].body: contains what looks like a phone "
        "number (13812345678) (the bulletin is published: keep phone and ID numbers out of the "
        "data)",
    ),
    "ID number on a body's third line": (
        "      工会社工通过与职工交流，",
        "      工会社工通过与职工交流 44200019800101123X，",
        "data/2020-02/articles.yaml:27: articles[1].body: contains what looks like an ID-card "
        "number (44200019800101123X) (the bulletin is published: keep phone and ID numbers out "
        "of the data)",
    ),
}


@pytest.mark.parametrize("case", list(BODY_CASES))
def test_a_problem_in_a_body_is_on_its_own_line(
    case: str, example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new, message = BODY_CASES[case]
    monkeypatch.chdir(tmp_path)
    edit(example / "2020-02" / "articles.yaml", old, new)
    before = files_of(example)
    out = tmp_path / "out" / "2020-02.docx"
    for args in (("check",), ("build", "2020-02", "-o", str(out))):
        result = run(*args, "--data", "data")
        assert (result.exit_code, result.output.splitlines()) == (
            1,
            [message, "1 error in 1 file"],
        )
    assert files_of(example) == before and not out.parent.exists()


# ---------------------------------------------------------------- records counted from 1


def test_chinese_messages_count_records_from_one(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """visits[6] is the 7th visit: the Chinese message says 第 7 条 beside the field's path
    (the path stays as editors and the schema name it); the English one is unchanged."""
    monkeypatch.chdir(tmp_path)
    edit(
        example / "2020-02" / "visits.yaml",
        "  - {date: 2020-02-27, name: 伍小姐, town: 神湾镇, mode: 电访}",
        "  - {date: 2020-02-27, name: 伍小姐, town: 神湾镇, mode: 上门}",
    )
    before = files_of(example)
    zh = run("--lang", "zh", "check", "--data", "data")
    assert (zh.exit_code, zh.output.splitlines()) == (
        1,
        [
            "data/2020-02/visits.yaml:10: visits[6].mode（第 7 条）: “上门”不是可选值之一："
            "电访 / 走访",
            "1 个文件中共有 1 处错误",
        ],
    )
    en = run("--lang", "en", "check", "--data", "data")
    assert en.output.splitlines()[0] == (
        "data/2020-02/visits.yaml:10: visits[6].mode: '上门' is not one of: 电访 / 走访"
    )
    assert files_of(example) == before


def test_a_colon_slip_inside_braces_is_one_line_and_the_value_is_checked(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`{…, town:民众镇, …}`: YAML reads one key `town:民众镇` without a value; the slip is
    one line (not also "town is required" and "not a known field") and the town as meant
    is checked too; so is a full-width colon after the input method's space."""
    monkeypatch.chdir(tmp_path)
    visits = example / "2020-02" / "visits.yaml"
    edit(visits, "town: 民众镇, mode", "town:民众镇, mode")
    edit(visits, "name: 郭小姐, town: 神湾镇", "name: 郭小姐, town：神弯镇")
    edit(visits, "name: 黄小姐, town", "name\u3000：黄小姐, town")
    before = files_of(example)
    result = run("check", "--data", "data")
    assert (result.exit_code, result.output.splitlines()) == (
        1,
        [
            "data/2020-02/visits.yaml:4: visits[0].name: a full-width colon '：' is used after "
            "the key 'name' (write 'name: ' with an ASCII colon followed by a space)",
            "data/2020-02/visits.yaml:4: visits[0].town: the key 'town' is not followed by a "
            "space after its colon (write 'town: value')",
            "data/2020-02/visits.yaml:8: visits[4].town: a full-width colon '：' is used after "
            "the key 'town' (write 'town: ' with an ASCII colon followed by a space)",
            "data/2020-02/visits.yaml:8: visits[4].town: '神弯镇' is not a known town "
            "(did you mean 神湾镇?)",
            "4 errors in 1 file",
        ],
    )
    assert files_of(example) == before


@pytest.mark.parametrize(
    ("name", "old", "new", "said"),
    [
        (
            "consultations.yaml",
            "topics: [婚恋问题, 情绪困扰, 睡眠障碍, 亲子关系]",
            "topics: [婚恋问题, 情绪困扰, 睡眠障碍] 亲子关系",
            "方括号“]”结束后还有文字（写在 [ ] 里的列表到 ] 就结束了：所有项目都要写在括号里，"
            "例如 topics: [婚恋, 家庭, 其他]；或者每项单独一行，以“- ”开头）",
        ),
        (
            "visits.yaml",
            "town: 民众镇, mode: 电访}",
            "town: 民众镇, mode: 电访}\u3000# 已回访",
            "花括号“}”结束后还有文字（写在 { } 里的一条记录到 } 就结束了：所有字段都要写在花括号里，"
            "例如 {date: 2020-02-25, name: 黄小姐, town: 民众镇}；要在后面写备注，# 前面要有一个半角"
            "空格：} # 备注）",
        ),
    ],
)
def test_text_after_a_closing_bracket_or_brace_is_said_as_such_and_nothing_is_built(
    example: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    old: str,
    new: str,
    said: str,
) -> None:
    """`topics: […] 亲子关系`: the list ends at its `]`; `{…, mode: 电访}　# 已回访`: the record
    ends at its `}`, and the input method's space does not start a note. Each message says
    which closed, and how to write the whole value, in the reader's language."""
    monkeypatch.chdir(tmp_path)
    path = example / "2020-02" / name
    edit(path, old, new)
    line = next(
        n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if new in text
    )
    before = files_of(example)
    result = run("--lang", "zh", "build", "2020-02", "--data", "data", "-o", "out.docx")
    assert (result.exit_code, result.output.splitlines()) == (
        1,
        [f"data/2020-02/{name}:{line}: {said}", "1 个文件中共有 1 处错误"],
    )
    assert files_of(example) == before
    assert not (tmp_path / "out.docx").exists()


# ---------------------------------------------------------------- a new month with every slip


def test_one_check_names_every_slip_of_a_new_month(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A centre's first month with the slips of the month all at once: one check names each
    (a full-width comma between topics is not a slip: they are read as two topics)."""
    from PIL import Image

    monkeypatch.chdir(tmp_path)
    month = example / "2020-02"
    (month / "images").mkdir()
    Image.new("RGB", (40, 30), "red").save(month / "images" / "探访2.jpg")
    edit(
        month / "visits.yaml",
        "  - {date: 2020-02-27, name: 邱小姐, town: 神湾镇, mode: 电访}\n",
        "  - date: 2020-02-27\n    name: 邱小姐\n    town:神湾镇\n    mode: 电访\n",
    )
    edit(
        month / "visits.yaml",
        "name: 伍小姐, town: 神湾镇, mode: 电访",
        "name: 伍小姐, town: 神湾镇, mode: 上门",
    )
    edit(
        month / "consultations.yaml", "topics: [婚恋问题, 情绪困扰,", "topics: [婚恋问题，情绪困扰,"
    )
    articles = month / "articles.yaml"
    edit(articles, "    author: 梁嘉慧\n", "    autor: 梁嘉慧\n")
    edit(
        articles, "共访问困难职工{{ visits.households }}人", "共访问困难职工{{ visits.houshold }}人"
    )
    edit(
        articles,
        "    table: wishes\n",
        "    table: wishes\n    images: [{path: images/探访2.JPG, caption: 探访}]\n",
    )
    before = files_of(example)
    result = run("--lang", "zh", "check", "--data", "data")
    assert (result.exit_code, result.output.splitlines()) == (
        1,
        [
            "data/2020-02/articles.yaml:23: articles[1].autor（第 2 条）: “autor”不是可用的字段"
            "（是不是想写 author？）",
            "data/2020-02/articles.yaml:25: articles[1].body（第 2 条）: 未知的占位符"
            "“visits.houshold”（是不是想写 visits.households？全部占位符见《使用指南》的“占位符”一节）",
            "data/2020-02/articles.yaml:32: articles[2].images[0].path（第 3 条第 1 项）: "
            "图片“images/探访2.JPG”不存在，但有“images/探访2.jpg”：文件名要完全一致，包括大小写"
            "（请写成 path: images/探访2.jpg）",
            "data/2020-02/visits.yaml:9: town: 键“town”的冒号后面缺少空格（请写成“town: 内容”）",
            "data/2020-02/visits.yaml:13: visits[6].mode（第 7 条）: “上门”不是可选值之一：电访 / 走访",
            "2 个文件中共有 5 处错误",
        ],
    )
    assert files_of(example) == before
