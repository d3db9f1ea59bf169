"""Every command's output survives a console or a redirect in a GBK code page (Windows'
code page 936): what GBK cannot encode is replaced, never a UnicodeEncodeError."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from bulletin.cli import main
from bulletin.console import tolerate_unencodable


def gbk_stream() -> io.TextIOWrapper:
    """A stream like Python's stdout when redirected to a file under a GBK locale."""
    return io.TextIOWrapper(io.BytesIO(), encoding="gbk", errors="strict", newline="")


def test_unencodable_characters_become_lookalikes() -> None:
    stream = gbk_stream()
    tolerate_unencodable(stream)
    stream.write("✓ 完成 ✗ 未完成 • 𠮷 —\n")
    stream.flush()
    assert stream.buffer.getvalue().decode("gbk") == "√ 完成 × 未完成 · ? —\n"


def test_a_code_page_without_the_lookalike_gets_a_question_mark() -> None:
    stream = io.TextIOWrapper(io.BytesIO(), encoding="ascii", newline="")
    tolerate_unencodable(stream)
    stream.write("✓ ok\n")
    stream.flush()
    assert stream.buffer.getvalue() == b"? ok\n"


def test_utf8_streams_are_left_alone() -> None:
    stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    tolerate_unencodable(stream)
    assert stream.errors == "strict"


def run_in_gbk(monkeypatch, cwd: Path, *args: str) -> tuple[int, str, str]:
    """Run the console script's entry point with stdout and stderr in GBK; return the exit
    code and what a GBK reader sees on each stream."""
    out, err = gbk_stream(), gbk_stream()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(sys, "argv", ["bulletin", *args])
    monkeypatch.setenv("LANGUAGE", "zh_CN")
    monkeypatch.delenv("BULLETIN_DATA", raising=False)
    monkeypatch.chdir(cwd)
    with pytest.raises(SystemExit) as info:
        main()
    out.flush()
    err.flush()
    code = info.value.code or 0
    return code, out.buffer.getvalue().decode("gbk"), err.buffer.getvalue().decode("gbk")


def test_plan_report_with_ticks_in_gbk(example: Path, monkeypatch) -> None:
    code, out, err = run_in_gbk(monkeypatch, example.parent, "new", "2020-03")
    assert code == 0, err
    code, out, err = run_in_gbk(monkeypatch, example.parent, "stats", "--plan", "2020-03")
    assert (code, err) == (0, "")
    assert "  × 户外驿站宣传活动" in out.splitlines()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--lang", "zh", "--help"], "根据 YAML 数据生成工会社工服务项目的每月 Word 简报。"),
        (["--lang", "zh", "build", "--help"], "校验某月数据并生成简报（build/月份.docx）。"),
        (["check"], "2020-02：没有发现问题"),
        (["stats"], "服务人次"),
        (["stats", "--by", "town"], "东凤镇"),
        (["schema", "-o", "输出 schemas"], "输出 schemas 中的数据格式说明：更新了 8 个"),
    ],
)
def test_commands_in_gbk(example: Path, monkeypatch, args: list[str], expected: str) -> None:
    code, out, err = run_in_gbk(monkeypatch, example.parent, *args)
    assert code == 0, err
    assert expected in out + err


def test_csv_and_json_on_stdout_stay_utf8(example: Path, monkeypatch) -> None:
    """Redirected to a file, they are files: UTF-8 (the CSV with a BOM, for Excel)."""
    out = gbk_stream()
    monkeypatch.setattr(sys, "stdout", out)
    for fmt in ("csv", "json"):
        out.buffer.seek(0)
        out.buffer.truncate()
        monkeypatch.setattr(sys, "argv", ["bulletin", "stats", "--format", fmt])
        monkeypatch.chdir(example.parent)
        with pytest.raises(SystemExit) as info:
            main()
        assert not info.value.code
        data = out.buffer.getvalue()
        assert data.startswith(b"\xef\xbb\xbf") == (fmt == "csv")
        assert "2020-02" in data.decode("utf-8-sig")


def test_errors_in_gbk(example: Path, monkeypatch) -> None:
    visits = example / "2020-02" / "visits.yaml"
    text = visits.read_text(encoding="utf-8")
    visits.write_text(text.replace("东凤镇", "东风镇✗"), encoding="utf-8")
    code, out, err = run_in_gbk(monkeypatch, example.parent, "check")
    assert code == 1
    assert err.splitlines()[0].startswith(
        "data/2020-02/visits.yaml:5: visits[1].town（第 2 条）: “东风镇×”不在镇区列表中"
    )
    code, out, err = run_in_gbk(monkeypatch, example.parent, "stats", "--from", "2020-13")
    assert code == 2 and "2020-13" in err


def test_usage_error_in_gbk(tmp_path: Path, monkeypatch) -> None:
    code, out, err = run_in_gbk(monkeypatch, tmp_path, "buld")
    assert code == 2 and "buld" in err


def test_files_written_are_utf8_whatever_the_locale(
    example: Path, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Run under a GB18030 locale when the machine has one (the default encoding of open()
    follows it): the CSV is still UTF-8 with a BOM, project.yaml still UTF-8."""
    import subprocess

    env = {**os.environ, "PYTHONIOENCODING": "gbk", "LANGUAGE": "zh_CN", "PYTHONUTF8": "0"}
    probe = "import locale; locale.setlocale(locale.LC_ALL, 'zh_CN.GB18030')"
    if subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True).returncode:
        pytest.skip("no zh_CN.GB18030 locale on this machine")
    env["LC_ALL"] = "zh_CN.GB18030"
    # Not beside the example's data: init refuses to start a project inside another.
    folder = tmp_path_factory.mktemp("init") / "中心 数据"
    csv = tmp_path / "统计 表.csv"
    script = (
        "import sys; from bulletin.cli import main; sys.argv = sys.argv[1:]; "
        "import locale; assert locale.getpreferredencoding() == 'GB18030'; main()"
    )
    for args in (
        ["init", str(folder)],
        ["stats", "--data", str(example), "--format", "csv", "-o", str(csv)],
    ):
        result = subprocess.run(
            [sys.executable, "-c", script, "bulletin", *args], env=env, capture_output=True
        )
        assert result.returncode == 0, result.stderr.decode("gb18030")
    assert (folder / "project.yaml").read_text(encoding="utf-8").count("工会社工服务项目") >= 1
    data = csv.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert "探访户数" in data.decode("utf-8-sig")
