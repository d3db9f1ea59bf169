"""What Windows does differently, played on Linux: a file that Word or WPS holds open cannot
be replaced, and some signals do not exist."""

from __future__ import annotations

import importlib
import os
import signal
from pathlib import Path

from test_cli import run


def held_open(src: str | os.PathLike, dst: str | os.PathLike) -> None:
    """os.replace / os.rename as Windows answers while another program has `dst` open."""
    raise PermissionError(13, "拒绝访问。", str(dst))


def test_a_bulletin_open_in_word_is_not_replaced(example: Path, tmp_path: Path, monkeypatch):
    out = tmp_path / "简报 输出" / "二月.docx"
    out.parent.mkdir()
    out.write_bytes(b"the copy open in Word")
    monkeypatch.setattr(os, "replace", held_open)
    result = run("build", "2020-02", "-o", str(out), "--data", str(example))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"cannot write {out}: 拒绝访问。",
        "  close the file if it is open in Word or WPS, or choose another path with -o",
    ]
    assert out.read_bytes() == b"the copy open in Word"
    assert [p.name for p in out.parent.iterdir()] == ["二月.docx"]  # no temporary left


def test_a_stats_file_open_in_excel_is_not_replaced(example: Path, tmp_path: Path, monkeypatch):
    out = tmp_path / "统计 表.csv"
    out.write_bytes(b"open in Excel")
    monkeypatch.setattr(os, "replace", held_open)
    result = run("--lang", "zh", "stats", "--format", "csv", "-o", str(out), "--data", str(example))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"无法写入 {out}：拒绝访问。",
        "  如果该文件正在 Word 或 WPS 中打开，请先关闭；或用 -o 换一个路径",
    ]
    assert out.read_bytes() == b"open in Excel"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_new_month_whose_folder_cannot_be_moved_into_place(example: Path, monkeypatch):
    monkeypatch.setattr(os, "rename", held_open)
    result = run("new", "2020-03", "--data", str(example))
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == f"cannot write {example / '2020-03'}: 拒绝访问。"
    assert sorted(p.name for p in example.iterdir() if p.name.startswith("20")) == ["2020-02"]
    assert [p.name for p in example.iterdir() if p.name.startswith(".2020-03")] == []


def test_the_entry_point_handles_only_the_signals_the_platform_has(monkeypatch) -> None:
    import bulletin.__main__ as entry

    monkeypatch.delattr(signal, "SIGHUP")  # Windows has SIGINT and SIGTERM only
    try:
        importlib.reload(entry)
        assert signal.SIGINT in entry._SIGNALS and signal.SIGTERM in entry._SIGNALS
        assert len(entry._SIGNALS) == 2
    finally:
        monkeypatch.undo()
        importlib.reload(entry)
