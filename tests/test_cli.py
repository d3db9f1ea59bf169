"""The command line as a user meets it: exit codes, messages, files written or not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bulletin.cli import app

runner = CliRunner()
# What a build says when the LibreOffice layout is skipped, as it is in the tests (conftest).
NOT_LAID_OUT = (
    "the contents' page numbers were not written into the .docx (--no-layout or "
    "BULLETIN_NO_LAYOUT): Word asks to update its fields when the file is opened, "
    "WPS shows no numbers"
)


def run(*args: str, cwd: Path | None = None, env: dict | None = None):
    import os

    old = Path.cwd()
    if cwd:
        os.chdir(cwd)
    try:
        return runner.invoke(app, list(args), env={"LANG": "C", "LANGUAGE": "", **(env or {})})
    finally:
        os.chdir(old)


def test_build_writes_the_bulletin(example: Path, tmp_path: Path) -> None:
    result = run("build", "2020-02", cwd=example.parent)
    assert result.exit_code == 0, result.output
    out = tmp_path / "build" / "2020-02.docx"
    assert result.output.splitlines() == ["wrote build/2020-02.docx", NOT_LAID_OUT]
    assert out.read_bytes()[:2] == b"PK"


def test_build_to_a_chosen_path(example: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "二月.docx"
    result = run("build", "2020-02", "-o", str(target), "--data", str(example))
    assert result.exit_code == 0, result.output
    assert target.is_file()


def test_bad_data_exits_1_and_writes_nothing(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "build" / "2020-02.docx"
    out.parent.mkdir()
    out.write_bytes(b"earlier build")
    visits = example / "2020-02" / "visits.yaml"
    visits.write_text(
        visits.read_text(encoding="utf-8").replace("东凤镇", "东风镇"), encoding="utf-8"
    )
    result = run("build", "2020-02", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "data/2020-02/visits.yaml:5: visits[1].town: '东风镇' is not a known town (did you mean 东凤镇?)",
        "1 error in 1 file",
    ]
    assert out.read_bytes() == b"earlier build"
    assert [p.name for p in out.parent.iterdir()] == ["2020-02.docx"]
    assert "Traceback" not in result.output


def test_check_reports_all_months(example: Path) -> None:
    result = run("check", "--data", str(example))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "2020-02: no problems found"


def test_check_in_chinese(example: Path) -> None:
    (example / "2020-02" / "consultations.yaml").write_text(
        "consultations:\n  - {counsellor: 廖诗敏, channel: 线上, people: -1, hours: 2}\n",
        encoding="utf-8",
    )
    result = run("--lang", "zh", "check", "2020-02", cwd=example.parent)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "data/2020-02/consultations.yaml:2: consultations[0].people（第 1 条）: 不能是负数（现在是 -1）",
        "1 个文件中共有 1 处错误",
    ]


def test_locale_chooses_the_language(example: Path) -> None:
    (example / "2020-02" / "visits.yaml").write_text("visits: 1\n", encoding="utf-8")
    zh = run("check", cwd=example.parent, env={"LANG": "zh_CN.UTF-8"})
    en = run("check", cwd=example.parent, env={"LANG": "en_US.UTF-8"})
    posix = run("check", cwd=example.parent, env={"LANG": "zh_CN.UTF-8", "LC_ALL": "C"})
    forced = run("--lang", "en", "check", cwd=example.parent, env={"LANG": "zh_CN.UTF-8"})
    assert zh.exit_code == en.exit_code == posix.exit_code == forced.exit_code == 1
    assert "visits: 应是列表（每项以“- ”开头）" in zh.output
    assert "visits: must be a list (lines starting with '- ')" in en.output
    assert "must be a list" in posix.output
    assert "must be a list" in forced.output


@pytest.mark.parametrize("month", ["2020-13", "February", "2020.02", "2020年13月", "2020/0"])
def test_bad_month_is_a_usage_error(example: Path, month: str) -> None:
    result = run("build", month, "--data", str(example))
    assert result.exit_code == 2
    assert f"'{month}' is not a month; write it as YYYY-MM, e.g. 2020-02" in result.output


@pytest.mark.parametrize(
    ("month", "march"),
    [
        ("2020年2月", "2020年3月"),
        ("2020/2", "2020/3"),
        ("2020年2月份", "2020年3月份"),
        ("2020-2", "2020-3"),
    ],
)
def test_a_month_argument_is_read_as_the_data_writes_months(small, month: str, march: str) -> None:
    """A month typed as the data may write it (2020年2月) is that month and no other, for
    every command: March's mistake is not February's."""
    visit = "visits:\n  - {date: %s, name: 梁女士, town: 神湾镇, mode: 电访}\n"
    data = small(
        {
            "2020-02": {"visits.yaml": visit % "2020-02-25"},
            "2020-03": {"visits.yaml": visit % "2020-02-25"},
        }
    )
    checked = run("check", month, "--data", str(data))
    assert (checked.exit_code, checked.stdout.strip()) == (0, "2020-02: no problems found")
    checked = run("check", march, "--data", str(data))
    assert checked.exit_code == 1 and "2020-03/visits.yaml:2: visits[0].date" in checked.output
    stats = run("stats", "--from", month, "--to", month, "--format", "json", "--data", str(data))
    assert stats.exit_code == 0, stats.output
    assert [m["month"] for m in json.loads(stats.stdout)["months"]] == ["2020-02"]


@pytest.mark.parametrize("month", ["2020/13", "2020年13月", "2020-13"])
def test_check_says_a_month_of_no_number_is_not_a_month(small, month: str) -> None:
    """Written as a month, with a number no month has: said as a month that is not one, not
    as a file that is not there."""
    result = run("check", month, "--data", str(small({"2020-02": {}})))
    assert result.exit_code == 2
    assert f"'{month}' is not a month; write it as YYYY-MM, e.g. 2020-02" in result.output


def test_missing_month_folder(example: Path) -> None:
    result = run("build", "2020-05", "--data", str(example))
    assert result.exit_code == 1
    assert "no folder for month 2020-05" in result.output
    assert "bulletin new 2020-05" in result.output


def test_no_data_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run("check", cwd=tmp_path)
    assert result.exit_code == 2
    assert "cannot find the data folder" in result.output


def test_unknown_option_is_a_usage_error(example: Path) -> None:
    result = run("build", "2020-02", "--colour")
    assert result.exit_code == 2


def test_unwritable_output_is_reported(example: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("build", "2020-02", "-o", str(blocker / "a.docx"), "--data", str(example))
    assert result.exit_code == 1
    assert "cannot write" in result.output
    assert "close the file if it is open in Word" in result.output


def test_env_variable_points_at_the_data(example: Path, tmp_path: Path) -> None:
    result = run("check", cwd=tmp_path, env={"BULLETIN_DATA": str(example)})
    assert result.exit_code == 0, result.output


def test_version_and_help() -> None:
    assert run("--version").output.startswith("bulletin ")
    result = run("--help")
    assert result.exit_code == 0
    for command in ("build", "check"):
        assert command in result.output


def test_pdf_without_libreoffice_says_where_it_looked(
    example: Path, tmp_path: Path, monkeypatch
) -> None:
    nowhere = tmp_path / "nowhere"
    monkeypatch.setattr("bulletin.pdf.install_places", lambda *args: [nowhere / "soffice"])
    result = run(
        "build",
        "2020-02",
        "--pdf",
        "-o",
        str(tmp_path / "b.docx"),
        "--data",
        str(example),
        env={"PATH": str(nowhere), "BULLETIN_SOFFICE": "", "BULLETIN_NO_LAYOUT": ""},
    )
    assert result.exit_code == 1
    assert result.output.splitlines()[1] == (
        "LibreOffice was not found, so the contents' page numbers are not in the .docx: "
        "Word asks to update its fields when the file is opened, WPS shows no numbers "
        "(install LibreOffice, or name it with --soffice PATH)"
    )
    assert result.output.splitlines()[3:7] == [
        "LibreOffice was not found, so no PDF was made; looked in:",
        "    PATH: soffice, libreoffice",
        f"    {nowhere / 'soffice'}",
        "  install it from libreoffice.org (Debian/Ubuntu: sudo apt install libreoffice-writer), "
        "or point at it with --soffice PATH or the BULLETIN_SOFFICE environment variable, "
        "or open the .docx in Word or WPS and save it as PDF",
    ]
    assert (tmp_path / "b.docx").is_file() and not (tmp_path / "b.pdf").exists()


def test_pdf_with_a_wrong_soffice_option(example: Path, tmp_path: Path) -> None:
    wrong = tmp_path / "soffice.exe"
    result = run(
        "build",
        "2020-02",
        "--pdf",
        "--soffice",
        str(wrong),
        "-o",
        str(tmp_path / "b.docx"),
        "--data",
        str(example),
        env={"BULLETIN_NO_LAYOUT": ""},
    )
    assert result.exit_code == 1
    assert result.output.splitlines()[1] == (
        f"--soffice names {wrong}, which is not the LibreOffice program, "
        "so the contents' page numbers are not in the .docx"
    )
    assert result.output.splitlines()[3] == (
        f"--soffice names {wrong}, which is not the LibreOffice program, so no PDF was made"
    )
    assert not (tmp_path / "b.pdf").exists()


@pytest.mark.skipif(
    __import__("shutil").which("soffice") is None, reason="LibreOffice is not installed"
)
def test_pdf_is_made_with_libreoffice(example: Path, tmp_path: Path) -> None:
    # A folder and a file name with Chinese characters and spaces, as Windows users name them.
    out = tmp_path / "简报 输出" / "二月 简报.docx"
    result = run("build", "2020-02", "--pdf", "-o", str(out), "--data", str(example))
    assert result.exit_code == 0, result.output
    assert (out.parent / "二月 简报.pdf").read_bytes()[:4] == b"%PDF"
    assert sorted(p.name for p in out.parent.iterdir()) == ["二月 简报.docx", "二月 简报.pdf"]


def test_build_to_a_pdf_name_also_makes_the_pdf(example: Path, tmp_path: Path, monkeypatch) -> None:
    made = []

    def convert(docx: Path, **_options) -> Path:
        made.append(docx)
        docx.with_suffix(".pdf").write_bytes(b"%PDF-")
        return docx.with_suffix(".pdf")

    monkeypatch.setattr("bulletin.pdf.convert", convert)
    result = run("build", "2020-02", "-o", str(tmp_path / "x.pdf"), "--data", str(example))
    assert result.exit_code == 0, result.output
    assert made == [tmp_path / "x.docx"]
    assert (tmp_path / "x.docx").read_bytes()[:2] == b"PK"
    assert (tmp_path / "x.pdf").read_bytes() == b"%PDF-"


@pytest.mark.parametrize(
    "lang, message",
    [
        ("en", "-o {out}: the document is written as .docx (or .pdf, which also writes the .docx)"),
        ("zh", "-o {out}：文档只能保存为 .docx（或 .pdf，同时会生成 .docx）"),
    ],
)
def test_build_to_another_kind_of_file_is_a_usage_error(
    example: Path, tmp_path: Path, lang: str, message: str
) -> None:
    out = tmp_path / "x.txt"
    result = run("--lang", lang, "build", "2020-02", "-o", str(out), "--data", str(example))
    assert (result.exit_code, result.output) == (2, message.format(out=out) + "\n")
    assert list(tmp_path.iterdir()) == [example]


def test_build_to_a_folder_says_it_is_a_folder(example: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    result = run("build", "2020-02", "-o", str(folder), "--data", str(example))
    assert (result.exit_code, result.output) == (
        1,
        f"{folder} is a folder, not a file\n"
        "  give a file name with -o, e.g. -o build/2020-02.docx\n",
    )
    assert list(folder.iterdir()) == []


def test_build_without_a_month_builds_the_latest(example: Path, tmp_path: Path) -> None:
    result = run("--lang", "zh", "build", cwd=example.parent)
    assert result.exit_code == 0, result.output
    assert result.output == (
        "没有指定月份：生成最近一个有数据的月份 2020-02\n已生成 build/2020-02.docx\n"
        "目录页码没有写入 .docx（--no-layout 或 BULLETIN_NO_LAYOUT）：Word 打开文件时会询问"
        "是否更新域，WPS 不显示页码\n"
    )
    assert (tmp_path / "build" / "2020-02.docx").is_file()


def test_build_without_any_month_says_so(small, tmp_path: Path) -> None:
    data = small({})
    result = run("build", "--data", str(data))
    assert (result.exit_code, result.output) == (
        1,
        "there is no month with data yet\n  start one with: bulletin new\n",
    )
    assert not (tmp_path / "build").exists()
