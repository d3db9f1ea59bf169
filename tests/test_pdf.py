"""Finding LibreOffice where its installers put it, on each platform (faked here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin import pdf
from bulletin.errors import BuildError
from bulletin.pdf import find_soffice


def program(path: Path) -> Path:
    """A fake LibreOffice program at `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n", encoding="utf-8")
    path.chmod(0o755)
    return path


@pytest.fixture
def empty_path(tmp_path: Path) -> str:
    """A PATH with nothing on it."""
    (tmp_path / "bin").mkdir()
    return str(tmp_path / "bin")


def test_windows_program_files(tmp_path: Path, empty_path: str) -> None:
    exe = program(tmp_path / "Program Files" / "LibreOffice" / "program" / "soffice.exe")
    env = {"PATH": empty_path, "ProgramFiles": str(tmp_path / "Program Files")}
    assert find_soffice(platform="win32", environ=env, home=tmp_path) == str(exe)


def test_windows_32_bit_program_files_and_versioned_folder(tmp_path: Path, empty_path: str) -> None:
    x86 = tmp_path / "Program Files (x86)"
    exe = program(x86 / "LibreOffice 7" / "program" / "soffice.exe")
    env = {
        "PATH": empty_path,
        "ProgramFiles": str(tmp_path / "none"),
        "ProgramFiles(x86)": str(x86),
    }
    assert find_soffice(platform="win32", environ=env, home=tmp_path) == str(exe)


def test_windows_needs_no_execute_bit(tmp_path: Path, empty_path: str) -> None:
    exe = program(tmp_path / "PF" / "LibreOffice" / "program" / "soffice.exe")
    exe.chmod(0o644)
    env = {"PATH": empty_path, "ProgramFiles": str(tmp_path / "PF")}
    assert find_soffice(platform="win32", environ=env, home=tmp_path) == str(exe)


def test_macos_applications(tmp_path: Path, empty_path: str, monkeypatch) -> None:
    monkeypatch.setattr(pdf, "MAC_APPLICATIONS", tmp_path / "Applications")
    exe = program(tmp_path / "Applications/LibreOffice.app/Contents/MacOS/soffice")
    home = tmp_path / "home"
    assert find_soffice(platform="darwin", environ={"PATH": empty_path}, home=home) == str(exe)


def test_macos_users_own_applications(tmp_path: Path, empty_path: str, monkeypatch) -> None:
    monkeypatch.setattr(pdf, "MAC_APPLICATIONS", tmp_path / "Applications")
    home = tmp_path / "home"
    exe = program(home / "Applications/LibreOffice.app/Contents/MacOS/soffice")
    assert find_soffice(platform="darwin", environ={"PATH": empty_path}, home=home) == str(exe)


def test_linux_flatpak_launcher(tmp_path: Path, empty_path: str, monkeypatch) -> None:
    home = tmp_path / "home"
    launcher = program(home / ".local/share/flatpak/exports/bin/org.libreoffice.LibreOffice")
    places = pdf.install_places("linux", {}, home)
    monkeypatch.setattr(
        pdf, "install_places", lambda *a: [p for p in places if "flatpak" in str(p)]
    )
    assert find_soffice(platform="linux", environ={"PATH": empty_path}, home=home) == str(launcher)


def test_linux_places() -> None:
    places = [str(p) for p in pdf.install_places("linux", {}, Path("/home/u"))]
    assert places == [
        "/opt/libreoffice*/program/soffice",
        "/usr/lib/libreoffice/program/soffice",
        "/snap/bin/libreoffice",
        "/home/u/.local/share/flatpak/exports/bin/org.libreoffice.LibreOffice",
        "/var/lib/flatpak/exports/bin/org.libreoffice.LibreOffice",
    ]


def test_path_comes_before_install_folders(tmp_path: Path, empty_path: str) -> None:
    on_path = program(Path(empty_path) / "soffice")
    program(tmp_path / "PF" / "LibreOffice" / "program" / "soffice.exe")
    env = {"PATH": empty_path, "ProgramFiles": str(tmp_path / "PF")}
    assert find_soffice(platform="win32", environ=env, home=tmp_path) == str(on_path)


def test_explicit_choice_wins_over_path(tmp_path: Path, empty_path: str) -> None:
    program(Path(empty_path) / "soffice")
    mine = program(tmp_path / "我的 程序" / "soffice")
    env = {"PATH": empty_path, "BULLETIN_SOFFICE": str(tmp_path / "elsewhere")}
    # --soffice beats the environment variable, which beats PATH.
    assert find_soffice(mine, platform="linux", environ=env, home=tmp_path) == str(mine)
    env["BULLETIN_SOFFICE"] = str(mine)
    assert find_soffice(platform="linux", environ=env, home=tmp_path) == str(mine)


def test_explicit_folder_finds_the_program_inside(tmp_path: Path, empty_path: str) -> None:
    exe = program(tmp_path / "LibreOffice" / "program" / "soffice.exe")
    env = {"PATH": empty_path}
    found = find_soffice(tmp_path / "LibreOffice", platform="win32", environ=env, home=tmp_path)
    assert found == str(exe)
    app = tmp_path / "LibreOffice.app"
    exe = program(app / "Contents/MacOS/soffice")
    assert find_soffice(app, platform="darwin", environ=env, home=tmp_path) == str(exe)


def test_explicit_choice_that_is_wrong_is_an_error(tmp_path: Path, empty_path: str) -> None:
    program(Path(empty_path) / "soffice")  # never used instead: nothing silent
    env = {"PATH": empty_path, "BULLETIN_SOFFICE": str(tmp_path / "nowhere")}
    with pytest.raises(BuildError) as info:
        find_soffice(platform="linux", environ=env, home=tmp_path)
    assert info.value.lines("en") == [
        f"BULLETIN_SOFFICE names {tmp_path / 'nowhere'}, which is not the LibreOffice program, "
        "so no PDF was made\n  give the program itself (Windows: C:\\Program Files\\LibreOffice"
        "\\program\\soffice.exe; macOS: /Applications/LibreOffice.app/Contents/MacOS/soffice) "
        "or its installation folder"
    ]


def test_not_found_lists_where_it_looked(tmp_path: Path, empty_path: str) -> None:
    env = {
        "PATH": empty_path,
        "ProgramFiles": str(tmp_path / "PF"),
        "ProgramFiles(x86)": str(tmp_path / "PF86"),
    }
    with pytest.raises(BuildError) as info:
        find_soffice(platform="win32", environ=env, home=tmp_path)
    assert info.value.lines("zh")[0].splitlines() == [
        "找不到 LibreOffice，无法生成 PDF；查找过：",
        "    PATH: soffice, libreoffice",
        f"    {tmp_path}/PF/LibreOffice*/program/soffice.exe",
        f"    {tmp_path}/PF86/LibreOffice*/program/soffice.exe",
        "    C:\\Program Files/LibreOffice*/program/soffice.exe",
        "    C:\\Program Files (x86)/LibreOffice*/program/soffice.exe",
        "  请从 libreoffice.org 安装（Debian/Ubuntu：sudo apt install libreoffice-writer），"
        "或用 --soffice 路径、环境变量 BULLETIN_SOFFICE 指明它的位置，"
        "或用 Word、WPS 打开 .docx 另存为 PDF",
    ]
