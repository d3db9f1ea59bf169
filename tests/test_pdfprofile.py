"""The LibreOffice profile's font replacement table: Simplified Chinese faces by kind."""

from __future__ import annotations

from pathlib import Path

from bulletin import pdfprofile

NOTO = {"Noto Serif CJK SC", "Noto Sans CJK SC", "Noto Sans CJK JP", "AR PL UKai CN"}


def test_missing_faces_get_a_simplified_chinese_face_of_their_kind() -> None:
    table = pdfprofile.replacements(NOTO | {"DejaVu Serif"})
    assert table["宋体"] == table["SimSun"] == table["Times New Roman"] == "Noto Serif CJK SC"
    assert table["黑体"] == table["微软雅黑"] == table["Arial"] == "Noto Sans CJK SC"
    assert table["楷体"] == table["KaiTi"] == "AR PL UKai CN"


def test_installed_faces_are_kept_and_kai_falls_back_to_the_serif() -> None:
    table = pdfprofile.replacements({"Noto Serif CJK SC", "Noto Sans CJK SC", "SimSun", "宋体"})
    assert "宋体" not in table and "SimSun" not in table
    assert table["楷体"] == "Noto Serif CJK SC"


def test_no_chinese_face_means_no_table() -> None:
    assert pdfprofile.replacements({"DejaVu Sans", "Noto Sans CJK JP"}) == {}


def test_profile_holds_the_table(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(pdfprofile, "installed_families", lambda: NOTO)
    uri = pdfprofile.create(tmp_path / "profile")
    assert uri == (tmp_path / "profile").as_uri()
    xcu = (tmp_path / "profile" / "user" / "registrymodifications.xcu").read_text("utf-8")
    assert '<prop oor:name="Replacement" oor:op="fuse"><value>true</value></prop>' in xcu
    assert (
        '<prop oor:name="ReplaceFont" oor:op="fuse"><value>楷体</value></prop>'
        '<prop oor:name="SubstituteFont" oor:op="fuse"><value>AR PL UKai CN</value></prop>'
    ) in xcu


def test_without_fontconfig_the_profile_is_left_to_libreoffice(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(pdfprofile, "installed_families", lambda: None)
    pdfprofile.create(tmp_path / "profile")
    assert not (tmp_path / "profile" / "user" / "registrymodifications.xcu").exists()
