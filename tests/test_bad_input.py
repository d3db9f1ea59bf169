"""Never silently wrong: every bad input is refused (by check and build alike) with its
message and exit code, and nothing is written: an earlier output stays as it was, and no
temporary file is left behind."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bulletin.cli import app

runner = CliRunner()
EARLIER = b"earlier build"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Work beside the data folder, so messages show paths as data/…."""
    monkeypatch.chdir(tmp_path)


def run(*args: str, env: dict | None = None):
    return runner.invoke(app, list(args), env={"LANG": "C", "LANGUAGE": "", **(env or {})})


def lines(result) -> list[str]:
    return result.output.splitlines()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def earlier_output(tmp_path: Path) -> Path:
    out = tmp_path / "out" / "2020-02.docx"
    out.parent.mkdir()
    out.write_bytes(EARLIER)
    return out


def assert_untouched(out: Path) -> None:
    """The earlier output is intact and nothing else (no temporary file) is beside it."""
    assert out.read_bytes() == EARLIER
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]


# ---------------------------------------------------------------- the collection
# Each case breaks the example month in one way; check and build must both refuse it with
# exactly these lines (paths relative to the data folder's parent).


def _conflict_in_body(data: Path) -> None:
    edit(
        data / "2020-02" / "articles.yaml",
        "    body: |\n",
        "    body: |\n<<<<<<< HEAD\n      我们的版本\n=======\n      他们的版本\n>>>>>>> branch\n",
    )


def _conflict_in_visits(data: Path) -> None:
    path = data / "2020-02" / "visits.yaml"
    text = path.read_text(encoding="utf-8").splitlines(keepends=True)
    text[4:5] = [
        "<<<<<<< HEAD\n",
        text[4],
        "=======\n",
        text[4].replace("东凤镇", "民众镇"),
        ">>>>>>> b\n",
    ]
    path.write_text("".join(text), encoding="utf-8")


def _broken_link(data: Path) -> None:
    path = data / "2020-02" / "wishes.yaml"
    path.unlink()
    path.symlink_to(data / "nowhere.yaml")


def _folder_as_file(data: Path) -> None:
    path = data / "2020-02" / "wishes.yaml"
    path.unlink()
    path.mkdir()


def _yml(data: Path) -> None:
    folder = data / "2020-02"
    (folder / "visits.yaml").rename(folder / "visits.yml")


def _yml_beside_yaml(data: Path) -> None:
    folder = data / "2020-02"
    (folder / "visits.yml").write_bytes((folder / "visits.yaml").read_bytes())


def _sub(name: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda data: edit(data / "2020-02" / name, old, new)


TITLES = "女士、先生、小姐、阿姨、叔叔、师傅、伯伯、奶奶、爷爷、大姐、大哥、阿伯、阿婆、阿叔、婆婆、同学、老师、姐、哥、伯、姨、叔"


def full_name(where: str, value: str, surname: str) -> str:
    return (
        f"{where}: '{value}' looks like a full name: the bulletin names the people it serves by "
        f"surname and title (write {surname}女士 or {surname}先生; titles: {TITLES}; add others "
        "under titles: in project.yaml)"
    )


INVISIBLE_HINT = (
    "(retype the value; such characters come with text copied from WeChat, web pages or PDFs)"
)


def _truncated_photo(data: Path) -> None:
    from PIL import Image

    folder = data / "2020-02" / "images"
    folder.mkdir()
    Image.effect_noise((320, 240), 60).convert("RGB").save(folder / "photo.jpg", quality=90)
    whole = (folder / "photo.jpg").read_bytes()
    (folder / "photo.jpg").write_bytes(whole[: len(whole) // 2])
    edit(
        data / "2020-02" / "articles.yaml",
        "    body: |\n",
        "    images: [{path: images/photo.jpg, caption: 社工来电}]\n    body: |\n",
    )


CASES: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    "truncated picture": (
        _truncated_photo,
        [
            "data/2020-02/articles.yaml:9: articles[0].images[0].path: the picture photo.jpg is "
            "incomplete: the file is cut off (copy it again from the camera or phone)"
        ],
    ),
    "anchor without an alias": (
        _sub(
            "visits.yaml",
            "  - {date: 2020-02-25, name: 黄",
            "  - &first {date: 2020-02-25, name: 黄",
        ),
        [
            "data/2020-02/visits.yaml:4: an anchor (&first) is not allowed (write the value out in full)"
        ],
    ),
    "text after a quoted name": (
        _sub("visits.yaml", "name: 黄小姐, town", 'name: "黄小姐" 民众镇, town'),
        [
            "data/2020-02/visits.yaml:4: text follows the closing quotation mark (put the whole "
            'value inside the quotation marks, as in name: "黄小姐 民众镇", or leave them out)'
        ],
    ),
    "visit dated a year early": (
        # the right month of the wrong year: printed in the month's table unless refused
        _sub("visits.yaml", "date: 2020-02-25", "date: 2019-02-25"),
        ["data/2020-02/visits.yaml:4: visits[0].date: 2019-02-25 is not in 2020-02"],
    ),
    "plan due a year late": (
        _sub("plans.yaml", "due: 2020-03-", "due: 2021-03-"),
        [
            "data/2020-02/plans.yaml:21: plans[3].rows[0].due: 2021-03-06 is not in 2020-03 "
            "(plans are for the next month, 2020-03)"
        ],
    ),
    "full name in a visit": (
        _sub("visits.yaml", "name: 梁小姐", "name: 黄伟明"),
        [full_name("data/2020-02/visits.yaml:6: visits[2].name", "黄伟明", "黄")],
    ),
    "compound surname's full name in a wish": (
        _sub("wishes.yaml", "name: 周先生", "name: 欧阳志强"),
        [full_name("data/2020-02/wishes.yaml:23: wishes[6].name", "欧阳志强", "欧阳")],
    ),
    "two-character full name": (
        _sub("wishes.yaml", "name: 周先生", "name: 张三"),
        [full_name("data/2020-02/wishes.yaml:23: wishes[6].name", "张三", "张")],
    ),
    "a familiar name (小黄) offered with its surname": (
        _sub("wishes.yaml", "name: 周先生", "name: 小黄"),
        [full_name("data/2020-02/wishes.yaml:23: wishes[6].name", "小黄", "黄")],
    ),
    "a familiar name of a compound surname (老欧阳)": (
        _sub("wishes.yaml", "name: 周先生", "name: 老欧阳"),
        [full_name("data/2020-02/wishes.yaml:23: wishes[6].name", "老欧阳", "欧阳")],
    ),
    "a familiar name with a title that is none (老黄伯)": (
        _sub("wishes.yaml", "name: 周先生", "name: 老黄伯"),
        [full_name("data/2020-02/wishes.yaml:23: wishes[6].name", "老黄伯", "黄")],
    ),
    "a familiar compound surname with more after it (老欧阳伯)": (
        _sub("wishes.yaml", "name: 周先生", "name: 老欧阳伯"),
        [full_name("data/2020-02/wishes.yaml:23: wishes[6].name", "老欧阳伯", "欧阳")],
    ),
    "a familiar prefix alone (阿)": (
        _sub("wishes.yaml", "name: 周先生", "name: 阿"),
        [full_name("data/2020-02/wishes.yaml:23: wishes[6].name", "阿", "阿")],
    ),
    "zero-width space in a town": (
        _sub("visits.yaml", "town: 民众镇", "town: 民众\u200b镇"),
        [
            "data/2020-02/visits.yaml:4: visits[0].town: '民众<U+200B>镇' holds an invisible "
            f"character (U+200B) at position 3 {INVISIBLE_HINT}"
        ],
    ),
    "direction mark in a name": (
        _sub("visits.yaml", "name: 梁小姐", "name: 梁\u202e小姐"),
        [
            "data/2020-02/visits.yaml:6: visits[2].name: '梁<U+202E>小姐' holds an invisible "
            f"character (U+202E) at position 2 {INVISIBLE_HINT}"
        ],
    ),
    "byte-order mark in an id": (
        _sub("events.yaml", "id: haircut", "id: hair\ufeffcut"),
        [
            "data/2020-02/events.yaml:4: activities[0].id: 'hair<U+FEFF>cut' holds an invisible "
            f"character (U+FEFF) at position 5 {INVISIBLE_HINT}"
        ],
    ),
    "conflict markers in an article": (
        _conflict_in_body,
        [
            "data/2020-02/articles.yaml:10: git merge conflict marker '<<<<<<<': the file holds two versions (keep the right lines, delete the lines from <<<<<<< to >>>>>>> that are not wanted, and the marker lines themselves)",
            "data/2020-02/articles.yaml:12: git merge conflict marker '=======': the file holds two versions (keep the right lines, delete the lines from <<<<<<< to >>>>>>> that are not wanted, and the marker lines themselves)",
            "data/2020-02/articles.yaml:14: git merge conflict marker '>>>>>>>': the file holds two versions (keep the right lines, delete the lines from <<<<<<< to >>>>>>> that are not wanted, and the marker lines themselves)",
        ],
    ),
    "conflict markers in a list": (
        _conflict_in_visits,
        [
            "data/2020-02/visits.yaml:5: git merge conflict marker '<<<<<<<': the file holds two versions (keep the right lines, delete the lines from <<<<<<< to >>>>>>> that are not wanted, and the marker lines themselves)",
            "data/2020-02/visits.yaml:7: git merge conflict marker '=======': the file holds two versions (keep the right lines, delete the lines from <<<<<<< to >>>>>>> that are not wanted, and the marker lines themselves)",
            "data/2020-02/visits.yaml:9: git merge conflict marker '>>>>>>>': the file holds two versions (keep the right lines, delete the lines from <<<<<<< to >>>>>>> that are not wanted, and the marker lines themselves)",
        ],
    ),
    "broken link": (
        _broken_link,
        ["data/2020-02/wishes.yaml: the file is a link to something that does not exist"],
    ),
    "folder named like a file": (
        _folder_as_file,
        ["data/2020-02/wishes.yaml: this is not a file (a folder or a device) and cannot be read"],
    ),
    ".yml": (
        _yml,
        [
            "data/2020-02/visits.yml: 'visits.yml' is not a data file this tool reads (rename it to visits.yaml)"
        ],
    ),
    ".yml beside .yaml": (
        _yml_beside_yaml,
        [
            "data/2020-02/visits.yml: 'visits.yml' is not a data file this tool reads "
            "(visits.yaml is there too: move its records into visits.yaml and delete this file)"
        ],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_check_and_build_refuse_alike(case: str, example: Path, tmp_path: Path) -> None:
    """Whatever build refuses, check refuses too, with the same lines; nothing is written."""
    breaking, expected = CASES[case]
    breaking(example)
    out = earlier_output(tmp_path)
    checked = run("check", "--data", str(example))
    built = run("build", "2020-02", "-o", str(out), "--data", str(example))
    files = len({line.split(":")[0] for line in expected})
    count = f"{len(expected)} error{'s' * (len(expected) > 1)} in {files} file{'s' * (files > 1)}"
    assert (checked.exit_code, lines(checked)) == (1, [*expected, count])
    assert (built.exit_code, lines(built)) == (1, [*expected, count])
    assert_untouched(out)


# ---------------------------------------------------------------- month folders


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2020-3", "2020-03"),
        ("２０２０-０３", "2020-03"),
        ("2020_03", "2020-03"),
        ("2020.03", "2020-03"),
        ("2020年3月", "2020-03"),
        ("2020-03 copy", "2020-03"),
    ],
)
def test_month_folder_lookalikes_are_errors(
    name: str, expected: str, example: Path, tmp_path: Path
) -> None:
    (example / name).mkdir()
    (example / name / "visits.yaml").write_text("visits:\n", encoding="utf-8")
    result = run("check", "--data", str(example))
    assert result.exit_code == 1
    assert lines(result) == [
        f"data/{name}: '{name}' looks like the folder of month {expected} but is not read: "
        f"a month folder is named exactly YYYY-MM (rename it to {expected}, or move it out of "
        "the data folder)",
        "1 error in 1 file",
    ]


def test_month_folder_out_of_range_is_an_error(example: Path, tmp_path: Path) -> None:
    (example / "2020-13").mkdir()
    result = run("check", "--data", str(example))
    assert result.exit_code == 1
    assert lines(result)[0] == (
        "data/2020-13: '2020-13' is not a month folder (expected YYYY-MM, e.g. 2020-02) "
        "(rename it to YYYY-MM, or move it out of the data folder)"
    )


def test_other_folders_are_not_months(example: Path) -> None:
    for name in ("images", "2019-2020", "20200201", "2020年度总结", ".2020-03.abcd"):
        (example / name).mkdir()
    result = run("check", "--data", str(example))
    assert (result.exit_code, result.output) == (0, "2020-02: no problems found\n")


def test_building_a_month_whose_folder_is_misnamed(example: Path, tmp_path: Path) -> None:
    (example / "2020-3").mkdir()
    out = tmp_path / "2020-03.docx"
    result = run("build", "2020-03", "-o", str(out), "--data", str(example))
    assert (result.exit_code, lines(result)) == (
        1,
        [
            "data/2020-03: no folder for month 2020-03 (there is a folder '2020-3': rename it to 2020-03)",
            "1 error in 1 file",
        ],
    )
    assert not out.exists()


def test_check_without_months_fails(example: Path, tmp_path: Path) -> None:
    (example / "2020-02").rename(tmp_path / "elsewhere")
    result = run("check", "--data", str(example))
    assert (result.exit_code, lines(result)) == (
        1,
        [
            "no month folders in data: nothing was checked",
            "  month folders are named like 2020-02; create one with: bulletin new 2020-02",
        ],
    )
    zh = run("--lang", "zh", "check", "--data", str(example))
    assert (zh.exit_code, lines(zh)) == (
        1,
        [
            "data 中没有月份文件夹：什么都没有检查",
            "  月份文件夹的名字形如 2020-02；可以用 bulletin new 2020-02 创建",
        ],
    )
    assert sorted(p.name for p in example.iterdir()) == ["README.md", "project.yaml", "schemas"]


# ---------------------------------------------------------------- environment


@pytest.mark.parametrize(
    "value", ["1580515200000", "2020-02-01", "-5", "12.5", "１５８０５１５２００"]
)
def test_bad_source_date_epoch_is_refused(value: str, example: Path, tmp_path: Path) -> None:
    out = earlier_output(tmp_path)
    result = run(
        "build", "2020-02", "-o", str(out), "--data", str(example), env={"SOURCE_DATE_EPOCH": value}
    )
    assert (result.exit_code, lines(result)) == (
        1,
        [
            f"SOURCE_DATE_EPOCH is '{value}', not a time in seconds since 1970 between 1980 and 2107",
            "  for example SOURCE_DATE_EPOCH=$(git log -1 --format=%ct); or unset it",
        ],
    )
    assert_untouched(out)


# ---------------------------------------------------------------- names


def test_the_project_may_add_titles(example: Path) -> None:
    edit(example / "2020-02" / "visits.yaml", "name: 梁小姐", "name: 陈阿嫲")
    refused = run("check", "--data", str(example))
    assert refused.exit_code == 1 and "'陈阿嫲' looks like a full name" in refused.output
    project = example / "project.yaml"
    project.write_text(project.read_text(encoding="utf-8") + "titles: [阿嫲]\n", encoding="utf-8")
    result = run("check", "--data", str(example))
    assert (result.exit_code, result.output) == (0, "2020-02: no problems found\n")


def test_staff_are_not_clients(example: Path) -> None:
    edit(example / "2020-02" / "consultations.yaml", "counsellor: 廖诗敏", "counsellor: 欧阳志强")
    result = run("check", "--data", str(example))
    assert (result.exit_code, result.output) == (0, "2020-02: no problems found\n")


def test_invisible_characters_shown_in_chinese(example: Path) -> None:
    edit(example / "2020-02" / "visits.yaml", "town: 民众镇", "town: 民众\u200b镇")
    result = run("--lang", "zh", "check", "--data", str(example))
    assert result.exit_code == 1
    assert lines(result)[0] == (
        "data/2020-02/visits.yaml:4: visits[0].town（第 1 条）: “民众<U+200B>镇”的第 3 个字符是看不见的字符"
        "（U+200B）（请重新输入；这类字符常随从微信、网页或 PDF 复制的文字一起粘贴进来）"
    )


# ---------------------------------------------------------------- duplicates


def _duplicate_visit(data: Path) -> None:
    path = data / "2020-02" / "visits.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text + "  - {date: 2020-02-25, name: 黄小姐, town: 民众镇, mode: 电访}\n", encoding="utf-8"
    )


DUPLICATE = (
    "warning: data/2020-02/visits.yaml:{line}: visits[{i}]: the same record as on line 4: it is "
    "counted twice (delete one of them; if both really happened, tell them apart (a date, a place))"
)


def test_a_record_entered_twice_is_a_warning(example: Path, tmp_path: Path) -> None:
    _duplicate_visit(example)
    lines_ = len((example / "2020-02" / "visits.yaml").read_text(encoding="utf-8").splitlines())
    checked = run("check", "--data", str(example))
    assert checked.exit_code == 0
    assert lines(checked) == [
        DUPLICATE.format(line=lines_, i=14),
        "warnings: 1 (--strict makes them errors)",
        "2020-02: no problems found",
    ]
    out = tmp_path / "2020-02.docx"
    built = run("build", "2020-02", "-o", str(out), "--data", str(example))
    assert built.exit_code == 0 and out.read_bytes()[:2] == b"PK"
    assert lines(built)[0] == DUPLICATE.format(line=lines_, i=14)


def test_strict_makes_warnings_errors(example: Path, tmp_path: Path) -> None:
    _duplicate_visit(example)
    out = earlier_output(tmp_path)
    lines_ = len((example / "2020-02" / "visits.yaml").read_text(encoding="utf-8").splitlines())
    expected = [
        DUPLICATE.format(line=lines_, i=14).removeprefix("warning: "),
        "1 error in 1 file",
    ]
    checked = run("check", "--strict", "--data", str(example))
    assert (checked.exit_code, lines(checked)) == (1, expected)
    built = run("build", "2020-02", "--strict", "-o", str(out), "--data", str(example))
    assert (built.exit_code, lines(built)) == (1, expected)
    assert_untouched(out)


EMPTY = (
    "data/2020-03: no records this month (visits, wishes, activities, services, counselling): "
    "the bulletin's overview and both summary tables say that nothing took place; it holds the "
    "cover, the contents, the articles and next month's plan (the records go in visits.yaml, "
    "wishes.yaml, events.yaml and consultations.yaml in this folder)"
)
EMPTY_ZH = (
    "data/2020-03: 本月没有任何记录（探访、小心愿、活动、服务、心理咨询）：简报的本月速览和两张"
    "服务汇总表只写明本月没有记录，其余为封面、目录、文章和下月服务预告（记录写在本文件夹的 "
    "visits.yaml、wishes.yaml、events.yaml 和 consultations.yaml 中）"
)


def test_a_month_without_records_is_a_warning_and_says_so_in_the_bulletin(small) -> None:
    from docx_text import lines as document_lines

    from tests.test_cli import NOT_LAID_OUT

    data = small({"2020-03": {"plans.yaml": "plans: []\n"}})
    out = Path("2020-03.docx")
    built = run("build", "2020-03", "-o", str(out), "--data", str(data))
    assert built.exit_code == 0
    assert lines(built) == [
        "warning: " + EMPTY,
        "warnings: 1 (--strict makes them errors)",
        "wrote 2020-03.docx",
        NOT_LAID_OUT,
    ]
    text = document_lines(out)
    assert "2020年3月份，工会社工服务项目暂无服务记录。" in text
    assert "中山市工会社工综合服务中心3月份没有活动和服务记录。" in text
    assert "中山市工会社工综合服务中心3月份没有探访记录。" in text
    chinese = run(
        "build", "2020-03", "-o", str(out), "--data", str(data), env={"LANG": "zh_CN.UTF-8"}
    )
    assert chinese.exit_code == 0
    assert lines(chinese)[0] == "警告：" + EMPTY_ZH


def test_strict_refuses_a_month_without_records(small, tmp_path: Path) -> None:
    data = small({"2020-03": {}})
    out = earlier_output(tmp_path)
    built = run("build", "2020-03", "--strict", "-o", str(out), "--data", str(data))
    assert (built.exit_code, lines(built)) == (1, [EMPTY, "1 error in 1 file"])
    assert_untouched(out)
    html = run("build", "2020-03", "--html", "--strict", "-o", "b.html", "--data", str(data))
    assert (html.exit_code, lines(html)) == (1, [EMPTY, "1 error in 1 file"])
    assert not Path("b.html").exists()
    # Checking is not building: a month just made by `bulletin new` checks clean.
    checked = run("check", "2020-03", "--strict", "--data", str(data))
    assert (checked.exit_code, lines(checked)) == (0, ["2020-03: no problems found"])


def test_a_month_with_only_a_service_has_no_warning(small) -> None:
    from tests.test_cli import NOT_LAID_OUT

    data = small({"2020-03": {"events.yaml": "services:\n  - {name: 心理咨询, place: 心灵港湾}\n"}})
    built = run("build", "2020-03", "--strict", "-o", "b.docx", "--data", str(data))
    assert (built.exit_code, lines(built)) == (0, ["wrote b.docx", NOT_LAID_OUT])


# ---------------------------------------------------------------- many problems


def _many_visits(data: Path, town: str, rows: int) -> None:
    row = f"  - {{date: 2020-02-25, name: 黄小姐, town: {town}, mode: 电访}}\n"
    (data / "2020-02" / "visits.yaml").write_text("visits:\n" + row * rows, encoding="utf-8")


def test_many_problems_of_one_kind_are_counted(small) -> None:
    data = small({"2020-02": {}})
    _many_visits(data, "东风镇", 2000)
    result = run("check", "--data", str(data))
    assert result.exit_code == 1
    shown = lines(result)
    assert len(shown) == 12
    assert shown[0] == (
        "data/2020-02/visits.yaml:2: visits[0].town: '东风镇' is not a known town (did you mean 东凤镇?)"
    )
    assert shown[9].startswith("data/2020-02/visits.yaml:11: visits[9].town:")
    assert shown[10] == (
        "data/2020-02/visits.yaml: 1990 more like the above, not shown "
        "('东风镇' is not a known town)"
    )
    assert shown[11] == "2000 errors in 1 file"


# ---------------------------------------------------------------- templates folders


def test_a_missing_templates_folder_is_an_error(example: Path, tmp_path: Path) -> None:
    project = example / "project.yaml"
    project.write_text(
        project.read_text(encoding="utf-8") + "templates: mytemplates\n", encoding="utf-8"
    )
    out = earlier_output(tmp_path)
    line = len(project.read_text(encoding="utf-8").splitlines())
    expected = [
        f"data/project.yaml:{line}: templates: the templates folder mytemplates does not exist "
        "(templates: in project.yaml names it, relative to the folder of project.yaml)",
        "1 error in 1 file",
    ]
    checked = run("check", "--data", str(example))
    assert (checked.exit_code, lines(checked)) == (1, expected)
    built = run("build", "2020-02", "-o", str(out), "--data", str(example))
    assert (built.exit_code, lines(built)) == (1, expected)
    assert_untouched(out)


def test_a_misspelt_templates_folder_is_named_with_the_one_there(
    example: Path, tmp_path: Path
) -> None:
    """`templates: my-templats` beside a folder my-templates: project.yaml's line, the name
    as written, the folder that is there; the months' own problems in the same run."""
    (example / "my-templates").mkdir()
    (example / "my-templates" / "wording.yaml").write_text("contents_summary: 汇总\n", "utf-8")
    project = example / "project.yaml"
    project.write_text(project.read_text("utf-8") + "templates: my-templats\n", "utf-8")
    edit(example / "2020-02" / "visits.yaml", "town: 民众镇", "town: 民众乡")
    line = len(project.read_text(encoding="utf-8").splitlines())
    out = earlier_output(tmp_path)
    checked = run("--lang", "zh", "check", "--data", str(example))
    assert (checked.exit_code, lines(checked)) == (
        1,
        [
            "data/2020-02/visits.yaml:4: visits[0].town（第 1 条）: “民众乡”不在镇区列表中（是不是想写 民众镇？）",
            f"data/project.yaml:{line}: templates: 模板文件夹 my-templats 不存在"
            "（是不是想写 my-templates？）",
            "2 个文件中共有 2 处错误",
        ],
    )
    built = run("--lang", "zh", "build", "2020-02", "-o", str(out), "--data", str(example))
    assert built.exit_code == 1 and lines(checked)[1] in lines(built)
    assert_untouched(out)


def test_a_templates_folder_without_templates_is_an_error(example: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "bulletin.dotx").write_bytes(b"not the name we read")
    out = earlier_output(tmp_path)
    built = run(
        "build", "2020-02", "-o", str(out), "--templates", str(folder), "--data", str(example)
    )
    assert built.exit_code == 1
    assert lines(built) == [
        f"the templates folder {folder} holds none of the template files",
        "  template files: bulletin.docx, bulletin.html.j2, evidence.docx, month/articles.yaml.j2, "
        "month/consultations.yaml.j2, month/events.yaml.j2, month/month.yaml.j2, month/plans.yaml.j2, "
        "month/visits.yaml.j2, month/wishes.yaml.j2, overview.txt.j2, report.docx, signin.docx, "
        "wording.yaml",
    ]
    assert_untouched(out)


def test_verbose_says_which_templates_are_overridden(example: Path, tmp_path: Path) -> None:
    folder = example / "mytemplates"
    folder.mkdir()
    (folder / "overview.txt.j2").write_text(
        "本月共{{ totals.sessions }}场活动。\n", encoding="utf-8"
    )
    project = example / "project.yaml"
    project.write_text(
        project.read_text(encoding="utf-8") + "templates: mytemplates\n", encoding="utf-8"
    )
    out = tmp_path / "2020-02.docx"
    result = run("build", "2020-02", "-o", str(out), "--verbose", "--data", str(example))
    assert result.exit_code == 0, result.output
    assert lines(result)[0] == "using data/mytemplates/overview.txt.j2 for overview.txt.j2"


def test_a_broken_overview_template_is_named_as_a_text_template(
    example: Path, tmp_path: Path
) -> None:
    """overview.txt.j2 is a text template, not a Word one: a slip in it is named so, with
    jinja's words for it, and nothing is written. Saved with a byte-order mark (Notepad),
    it is read as it was meant."""
    folder = tmp_path / "mine"
    folder.mkdir()
    overview = folder / "overview.txt.j2"
    overview.write_text("本月共{{ totals.sessions }场活动。\n", encoding="utf-8")
    out = earlier_output(tmp_path)
    for lang, said in (
        ("en", f"the template {overview} cannot be used: "),
        ("zh", f"模板 {overview} 无法使用："),
    ):
        built = run(
            "--lang",
            lang,
            "build",
            "2020-02",
            "-o",
            str(out),
            "--templates",
            str(folder),
            "--data",
            str(example),
        )
        assert built.exit_code == 1
        assert lines(built)[0].startswith(said) and "'}'" in lines(built)[0], lines(built)
        assert_untouched(out)
    overview.write_text("本月共{{ totals.sessions }}场活动。\n", encoding="utf-8-sig")
    built = run(
        "build", "2020-02", "-o", str(out), "--templates", str(folder), "--data", str(example)
    )
    assert built.exit_code == 0, built.output
    from docx import Document

    texts = [p.text for p in Document(str(out)).paragraphs]
    assert any(t.startswith("本月共") and t.endswith("场活动。") for t in texts), texts
    assert not any("\ufeff" in t for t in texts)
