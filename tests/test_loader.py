"""Loading and validation: every kind of bad input gets a located message."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin.errors import DataError
from bulletin.loader import find_data_dir, list_months, load_month, load_project
from bulletin.models import YearMonth
from bulletin.pipeline import check

FEB = YearMonth(2020, 2)

VISIT = "visits:\n  - {date: 2020-02-25, name: 黄小姐, town: 民众镇, mode: 电访}\n"


def problems_of(data: Path, lang: str = "en") -> list[str]:
    with pytest.raises(DataError) as info:
        check(data, [FEB])
    return [p.format(lang, data.parent) for p in info.value.problems]


def test_example_loads(example: Path) -> None:
    project = load_project(example)
    month = load_month(project, example, FEB)
    assert len(month.visits) == 14 and len(month.wishes) == 7
    assert list_months(example) == [FEB]
    assert check(example) == [FEB]


def test_check_reads_none_as_every_month_and_an_empty_list_as_none(example: Path) -> None:
    (example / "2020-02" / "visits.yaml").write_text("visits: [oops]\n", encoding="utf-8")
    with pytest.raises(DataError):
        check(example, None)
    assert check(example, []) == []


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "visits.yaml",
            "visits:\n  - date: 2020-02-25\n    name: 肖小姐\n    town: 东风镇\n    mode: 电访\n",
            "data/2020-02/visits.yaml:4: visits[0].town: '东风镇' is not a known town (did you mean 东凤镇?)",
        ),
        (
            "visits.yaml",
            "visits:\n  - {date: 2020-03-01, name: 黄小姐, town: 民众镇, mode: 电访}\n",
            "data/2020-02/visits.yaml:2: visits[0].date: 2020-03-01 is not in 2020-02",
        ),
        (
            "visits.yaml",
            "visits:\n  - {date: 2020-02-30, name: 黄小姐, town: 民众镇, mode: 电访}\n",
            "data/2020-02/visits.yaml:2: visits[0].date: 2020-02-30 is not a real date",
        ),
        (
            "visits.yaml",
            "visits:\n  - {date: 25/2, name: 黄小姐, town: 民众镇, mode: 电访}\n",
            "visits[0].date: '25/2' is not a date (write dates as 2020-02-25",
        ),
        (
            "visits.yaml",
            "visits:\n  - {date: 20200225, name: 黄小姐, town: 民众镇, mode: 电访}\n",
            "visits[0].date: '20200225' is not a date",
        ),
        (
            "visits.yaml",
            "visits:\n  - {date: 2020-02-25, name: 黄小姐, town: 民众镇, mode: 电话}\n",
            "visits[0].mode: '电话' is not one of: 电访 / 走访",
        ),
        (
            "visits.yaml",
            "visits:\n  - date: 2020-02-25\n    name: 黄小姐\n    twon: 民众镇\n    mode: 电访\n",
            "data/2020-02/visits.yaml:4: visits[0].twon: 'twon' is not a known field (did you mean town?)",
        ),
        (
            "visits.yaml",
            "visits:\n  - date: 2020-02-25\n    name: 黄小姐\n    mode: 电访\n",
            "data/2020-02/visits.yaml:2: visits[0].town: this field is required",
        ),
        (
            "consultations.yaml",
            "consultations:\n  - {counsellor: 廖诗敏, channel: 线上, people: -1, hours: 2}\n",
            "consultations[0].people: must not be negative (got -1)",
        ),
        (
            "consultations.yaml",
            "consultations:\n  - {counsellor: 廖诗敏, channel: 线上, people: 3, hours: 两小时}\n",
            "consultations[0].hours: '两小时' is not a number",
        ),
        (
            "consultations.yaml",
            "consultations:\n  - {counsellor: 廖诗敏, channel: 线上, people: 1, hours: 1, topics: [王女士的婚恋问题]}\n",
            "consultations[0].topics[0]: counselling records must not name a client ('王女士')",
        ),
        (
            "consultations.yaml",
            "consultations:\n  - {counsellor: 廖诗敏, channel: 线上, people: 1, hours: 1, topics: [𠮷女士的婚恋问题]}\n",
            "consultations[0].topics[0]: counselling records must not name a client ('𠮷女士')",
        ),
        (
            "wishes.yaml",
            "wishes:\n  - name: 梁女士\n    situation: 联系电话 13812345678\n    wish: 书包\n",
            "data/2020-02/wishes.yaml:3: wishes[0].situation: contains what looks like a phone number (13812345678)",
        ),
        (
            "wishes.yaml",
            "wishes:\n  - name: 梁女士\n    situation: 身份证 44200019800101123X\n    wish: 书包\n",
            "wishes[0].situation: contains what looks like an ID-card number (44200019800101123X)",
        ),
        (
            "wishes.yaml",
            'wishes:\n  - name: 梁女士\n    situation: "坏\\x0b字符"\n    wish: 书包\n',
            "wishes[0].situation: contains a character Word cannot store (U+000B) at position 2",
        ),
        (
            "wishes.yaml",
            'wishes:\n  - name: 梁女士\n    situation: "0\\r0"\n    wish: 书包\n',
            "wishes[0].situation: contains a character Word cannot store (U+000D) at position 2",
        ),
        (
            "wishes.yaml",
            'wishes:\n  - name: 梁女士\n    situation: "\\ud800"\n    wish: 书包\n',
            "wishes.yaml:3: an escape code in quotes (\\x…, \\u…) is not a character Word can store",
        ),
        (
            "wishes.yaml",
            "wishes:\n  - name: 梁女士\n    situation: 情况\n    wish: 书包\n    fulfilled: 2020-01-05\n",
            "wishes[0].fulfilled: 2020-01-05 is before 2020-02",
        ),
        (
            "events.yaml",
            "activities:\n  - name: 义剪\n    sessions:\n      - {date: 2020-02-28, venue: 企业}\n",
            "activities[0]: give 'participants' for the activity or for every session",
        ),
        (
            "plans.yaml",
            "plans:\n  - name: 活动\n    content: 内容\n    rows:\n      - {target: 职工, due: 2020-04-01, staff: 李}\n",
            "data/2020-02/plans.yaml:5: plans[0].rows[0].due: 2020-04-01 is not in 2020-03 (plans are for the next month, 2020-03)",
        ),
        (
            "articles.yaml",
            "articles:\n  - section: 项目快迅\n    title: 标题\n    body: 正文\n",
            "articles[0].section: '项目快迅' is not a section of the bulletin (did you mean 项目快讯?)",
        ),
        (
            "articles.yaml",
            "articles:\n  - section: 项目快讯\n    title: 标题\n    body: 正文\n    images: [{path: ../../secret.png}]\n",
            "articles[0].images[0].path: '../../secret.png' is outside the month folder",
        ),
        (
            "articles.yaml",
            "articles:\n  - section: 项目快讯\n    title: 标题\n    body: 正文\n    images: [{path: images/none.jpg}]\n",
            "articles[0].images[0].path: the picture 'images/none.jpg' does not exist",
        ),
        (
            "articles.yaml",
            "articles:\n  - section: 项目快讯\n    title: 标题\n    body: |\n      第一段\n\n      共{{ visits.housholds }}户\n",
            "data/2020-02/articles.yaml:7: articles[0].body: unknown placeholder 'visits.housholds'",
        ),
        (
            "articles.yaml",
            "articles:\n  - section: 项目快讯\n    title: 标题\n    body: \"{{ ''.__class__.__mro__ }}\"\n",
            "articles[0].body: only {{ name }} placeholders are allowed here",
        ),
        (
            "articles.yaml",
            'articles:\n  - section: 项目快讯\n    title: 标题\n    body: "{% for i in range(10) %}x{% endfor %}"\n',
            "articles[0].body: only {{ name }} placeholders are allowed here, not 'for'",
        ),
        (
            "articles.yaml",
            "articles:\n  - section: 项目快讯\n    title: 标题\n    table: wishes\n    body: 正文\n",
            "articles.yaml:4: articles[0].table: the article embeds the wishes table, but this month has no wishes",
        ),
        (
            "visit.yaml",
            VISIT,
            "data/2020-02/visit.yaml: 'visit.yaml' is not a data file this tool reads (did you mean visits.yaml?)",
        ),
    ],
)
def test_bad_value_is_located(small, name: str, text: str, expected: str) -> None:
    data = small({"2020-02": {name: text}})
    found = problems_of(data)
    assert any(expected in line for line in found), found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "visits:\n\t- {date: 2020-02-25}\n",
            "visits.yaml:2: a tab character is used for indentation",
        ),
        (
            "visits：\n  - x\n",
            "visits.yaml:1: visits: a full-width colon '：' is used after the key 'visits'",
        ),
        (
            'visits:\n  - {date: 2020-02-25, name: "黄小姐, town: 民众镇}\n',
            "visits.yaml:2: a quotation mark is not closed",
        ),
        (
            "visits:\n  - &a {date: 2020-02-25, name: 黄小姐, town: 民众镇, mode: 电访}\n  - *a\n",
            "visits.yaml:2: visits[1]: anchors and aliases (&name / *name) are not allowed",
        ),
        (
            "visits:\n  - date: 2020-02-25\n    date: 2020-02-26\n",
            "visits.yaml:3: visits[0].date: the key 'date' appears twice (first on line 2)",
        ),
        ("", "visits.yaml:1: the file is empty (write at least 'visits: []', or delete the file)"),
        (
            "- 黄小姐\n",
            "visits.yaml:1: the file must start with the key 'visits:' followed by a list",
        ),
        ("visits: 黄小姐\n", "visits.yaml:1: visits: must be a list"),
    ],
)
def test_yaml_slips_are_explained(small, text: str, expected: str) -> None:
    data = small({"2020-02": {"visits.yaml": text}})
    found = problems_of(data)
    assert any(expected in line for line in found), found


def test_yaml_11_surprises_stay_text(small) -> None:
    # `no`, `010`, `12:30` and a +86 number are text under YAML 1.2 rules: a name stays a name
    # (a counsellor's: a client's name is a surname and a title).
    data = small(
        {
            "2020-02": {
                "consultations.yaml": "consultations:\n"
                "  - {counsellor: no, channel: 线上, people: 1, hours: 1}\n"
            }
        }
    )
    month = load_month(load_project(data), data, FEB)
    assert month.consultations[0].counsellor == "no"


def test_every_problem_is_reported_at_once_sorted(small) -> None:
    data = small(
        {
            "2020-02": {
                "visits.yaml": "visits:\n  - {date: 2020-02-31, name: 黄小姐, town: 东风镇, mode: 电访}\n",
                "consultations.yaml": "consultations:\n  - {counsellor: 廖, channel: 线上, people: -2, hours: -1}\n",
            }
        }
    )
    found = problems_of(data)
    assert len(found) == 4
    assert found == sorted(found, key=lambda s: (s.split(":")[0], int(s.split(":")[1])))
    assert found[0].startswith("data/2020-02/consultations.yaml:2:")


def test_messages_in_chinese(small) -> None:
    data = small(
        {
            "2020-02": {
                "visits.yaml": "visits:\n  - {date: 2020-02-25, name: 黄小姐, town: 东风镇, mode: 电访}\n"
            }
        }
    )
    found = problems_of(data, "zh")
    assert found == [
        "data/2020-02/visits.yaml:2: visits[0].town（第 1 条）: “东风镇”不在镇区列表中（是不是想写 东凤镇？）"
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "visits: []\n".encode("gbk") + "# 注释\n".encode("gbk"),
            "the file is not UTF-8 (it looks like GBK/GB18030)",
        ),
        ("visits: []\n".encode("utf-16"), "the file is saved as UTF-16"),
    ],
)
def test_other_encodings_are_refused_with_a_hint(small, content: bytes, expected: str) -> None:
    data = small({"2020-02": {}})
    (data / "2020-02" / "visits.yaml").write_bytes(content)
    found = problems_of(data)
    assert any(expected in line and "save it as UTF-8" in line for line in found), found


def test_a_byte_that_is_not_utf8_is_pointed_at_by_line_and_column(small) -> None:
    """The message names the line and column of the bad byte: a line in GBK pasted into a
    UTF-8 file (after a byte-order mark, which changes nothing), a stray byte."""
    data = small({"2020-02": {}})
    folder = data / "2020-02"
    (folder / "visits.yaml").write_bytes(
        b"\xef\xbb\xbf" + VISIT.encode() + "# 东凤镇的记录\n".encode("gbk")
    )
    (folder / "wishes.yaml").write_bytes(b"wishes:\n\n  - {name: \xff}\n")
    hint = "（请另存为 UTF-8：记事本中“另存为”>编码选“UTF-8”；VS Code 中点击状态栏的编码 >“通过编码保存”> UTF-8）"
    assert problems_of(data, "zh") == [
        f"data/2020-02/visits.yaml:3: 文件不是有效的 UTF-8 编码（第 3 列的字节 0xb6）{hint}",
        f"data/2020-02/wishes.yaml:3: 文件不是有效的 UTF-8 编码（第 12 列的字节 0xff）{hint}",
    ]


def test_utf8_bom_is_accepted(small) -> None:
    data = small({"2020-02": {}})
    (data / "2020-02" / "visits.yaml").write_bytes(b"\xef\xbb\xbf" + VISIT.encode())
    month = load_month(load_project(data), data, FEB)
    assert month.visits[0].town == "民众镇"


def test_alias_bomb_is_refused_quickly(small) -> None:
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    for _i, (prev, cur) in enumerate(zip("abcdefgh", "bcdefghi", strict=True)):
        bomb += f"{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
    data = small({"2020-02": {"visits.yaml": bomb}})
    found = problems_of(data)
    assert any("anchors and aliases" in line for line in found)


def test_find_data_dir_walks_up(example: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("BULLETIN_DATA", raising=False)
    deep = example / "2020-02"
    assert find_data_dir(cwd=deep) == example
    assert find_data_dir(cwd=example.parent) == example


def test_cycle_collector_is_held_while_a_month_is_read_and_restored_after(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from bulletin import yamlfile

    seen: list[bool] = []
    parse = yamlfile.parse

    def spy(path: Path, text: str) -> yamlfile.Located:
        seen.append(gc.isenabled())
        return parse(path, text)

    monkeypatch.setattr(yamlfile, "parse", spy)
    project = load_project(example)
    seen.clear()
    assert len(load_month(project, example, FEB).visits) == 14
    assert seen and not any(seen) and gc.isenabled()
    # A month with problems restores it as well, and a caller's own pause is kept.
    (example / "2020-02" / "visits.yaml").write_text("visits: [oops]\n", encoding="utf-8")
    with pytest.raises(DataError):
        load_month(project, example, FEB)
    assert gc.isenabled()
    gc.disable()
    try:
        with pytest.raises(DataError):
            load_month(project, example, FEB)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_month_read_is_freed_by_its_last_reference_not_by_the_cycle_collector(
    example: Path,
) -> None:
    """A month dropped is freed at once, with the line of every value it kept: no reference
    cycle holds it until the collector walks every object alive (what a command over many
    months paid for each month it had read)."""
    import gc

    project = load_project(example)
    load_month(project, example, FEB)  # the catalogues and caches loaded once, kept
    gc.collect()
    gc.disable()
    try:
        month = load_month(project, example, FEB)
        assert len(month.lines["visits.yaml"]) > 50
        del month
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_records_written_alike_are_duplicates_whatever_their_keys_order(small) -> None:
    consultations = (
        "consultations:\n"
        "  - {counsellor: 廖诗敏, channel: 线上, people: 1, hours: 1, topics: [情绪困扰, 婚恋问题]}\n"
        "  - {topics: [情绪困扰, 婚恋问题], hours: 1, people: 1, channel: 线上, counsellor: 廖诗敏}\n"
        "  - {counsellor: 廖诗敏, channel: 线上, people: 1, hours: 1, topics: [婚恋问题, 情绪困扰]}\n"
        "  - {counsellor: 廖诗敏, channel: 线上, people: 1, hours: '1', topics: [情绪困扰]}\n"
        "  - {counsellor: 廖诗敏, channel: 线上, people: 1, hours: 1, topics: [情绪困扰]}\n"
    )
    plans = (
        "plans:\n"
        "  - {name: 探访, content: 走访, rows: [{target: 企业, due: 2020-03-02, staff: 李绮文}]}\n"
        "  - {name: 探访, content: 走访, rows: [{target: 企业, due: 2020-03-03, staff: 李绮文}]}\n"
        "  - {rows: [{target: 企业, due: 2020-03-02, staff: 李绮文}], content: 走访, name: 探访}\n"
    )
    data = small({"2020-02": {"consultations.yaml": consultations, "plans.yaml": plans}})
    month = load_month(load_project(data), data, FEB)
    # As typed: '1' and 1 are the same text; the order of a list counts; records holding
    # rows (mappings) are compared as well.
    assert [(p.file.name, p.line, p.field, p.message.params) for p in month.warnings] == [
        ("consultations.yaml", 3, "consultations[1]", {"first": 2}),
        ("consultations.yaml", 6, "consultations[4]", {"first": 5}),
        ("plans.yaml", 4, "plans[2]", {"first": 2}),
    ]


def test_a_date_typed_again_is_checked_again(small) -> None:
    # Dates are parsed once per spelling; each record is still checked and located.
    visits = (
        "visits:\n"
        "  - {date: 2020-02-30, name: 黄小姐, town: 民众镇, mode: 电访}\n"
        "  - {date: 2020-02-25, name: 黄小姐, town: 民众镇, mode: 走访}\n"
        "  - {date: 2020-02-30, name: 梁女士, town: 民众镇, mode: 电访}\n"
        "  - {date: 2月30日, name: 梁女士, town: 民众镇, mode: 走访}\n"
    )
    hint = " (write dates as {}-25; {}/25, {}25日 and {}25日 also work)"
    feb, mar = (
        hint.format("2020-02", "2020/2", "2020年2月", "2月"),
        hint.format("2020-03", "2020/3", "2020年3月", "3月"),
    )
    assert problems_of(small({"2020-02": {"visits.yaml": visits}})) == [
        "data/2020-02/visits.yaml:2: visits[0].date: 2020-02-30 is not a real date" + feb,
        "data/2020-02/visits.yaml:4: visits[2].date: 2020-02-30 is not a real date" + feb,
        "data/2020-02/visits.yaml:5: visits[3].date: 2月30日 is not a real date" + feb,
    ]
    march = small({"2020-03": {"visits.yaml": visits.replace("2020-02-30", "2020-03-25")}})
    with pytest.raises(DataError) as info:
        check(march, [YearMonth(2020, 3)])
    assert [p.format("en", march.parent) for p in info.value.problems] == [
        "data/2020-03/visits.yaml:3: visits[1].date: 2020-02-25 is not in 2020-03",
        "data/2020-03/visits.yaml:5: visits[3].date: 2月30日 is not a real date" + mar,
    ]


def test_a_file_read_as_meant_past_its_colon_slips_places_a_bodys_words_on_their_line(
    small,
) -> None:
    """A full-width colon after `title` is read as meant, so the rest of the file is checked,
    each problem on its line: the misspelt section on its own, the placeholder in the body's
    third line on that line, not on `body: |`."""
    articles = (
        "articles:\n"
        "  - section: 项目快迅\n"
        "    title：标题\n"
        "    body: |\n"
        "      第一段\n"
        "\n"
        "      共{{ visits.housholds }}户\n"
    )
    data = small({"2020-02": {"articles.yaml": articles}})
    assert problems_of(data) == [
        "data/2020-02/articles.yaml:2: articles[0].section: '项目快迅' is not a section of the "
        "bulletin (did you mean 项目快讯?)",
        "data/2020-02/articles.yaml:3: title: a full-width colon '：' is used after the key "
        "'title' (write 'title: ' with an ASCII colon followed by a space)",
        "data/2020-02/articles.yaml:7: articles[0].body: unknown placeholder 'visits.housholds'"
        " (did you mean visits.households? The placeholders are listed in the README, section "
        "Placeholders)",
    ]
