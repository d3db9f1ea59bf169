"""The private LibreOffice profile the PDF step converts with: a font replacement table.

Word documents name Windows faces (宋体, 黑体, 楷体, Times New Roman, Arial). Where those are
missing, as on Linux, LibreOffice falls back to whatever CJK face fontconfig ranks first,
often a Japanese one, and prints 宋体, 黑体 and 楷体 alike. The table below replaces each
missing face with an installed Simplified Chinese face of the same kind (serif, sans, kai),
and the Latin faces with the Latin of the same CJK family, so digits match the text around
them. A face that is installed is never replaced.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

# Faces a Chinese Word document names, by kind.
SERIF = ("宋体", "SimSun", "新宋体", "NSimSun", "仿宋", "FangSong", "华文宋体", "STSong")
SANS = ("黑体", "SimHei", "微软雅黑", "Microsoft YaHei", "等线", "DengXian", "华文黑体", "STHeiti")
KAI = ("楷体", "KaiTi", "楷体_GB2312", "华文楷体", "STKaiti")
LATIN_SERIF = ("Times New Roman",)
LATIN_SANS = ("Arial",)

# Installed faces to use instead, best first: Simplified Chinese forms only.
SERIF_FACES = ("Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN")
SANS_FACES = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei")
KAI_FACES = ("AR PL UKai CN",)


def installed_families() -> set[str] | None:
    """Font family names fontconfig knows, or None where there is no fontconfig (Windows)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        out = subprocess.run(
            [fc_list, ":", "family"], capture_output=True, text=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}


def replacements(installed: set[str]) -> dict[str, str]:
    """Missing face -> installed Simplified Chinese face of the same kind."""

    def first(faces: tuple[str, ...]) -> str | None:
        return next((f for f in faces if f in installed), None)

    serif, sans = first(SERIF_FACES), first(SANS_FACES)
    kai = first(KAI_FACES) or serif  # without a kai face, at least Simplified forms
    table: dict[str, str] = {}
    for names, face in (
        (SERIF + LATIN_SERIF, serif),
        (SANS + LATIN_SANS, sans),
        (KAI, kai),
    ):
        for name in names:
            if face and name not in installed:
                table[name] = face
    return table


def registry(table: dict[str, str]) -> str:
    """LibreOffice's registrymodifications.xcu holding the replacement table."""
    items = [
        '<item oor:path="/org.openoffice.Office.Common/Font/Substitution">'
        '<prop oor:name="Replacement" oor:op="fuse"><value>true</value></prop></item>'
    ]
    for i, (name, face) in enumerate(table.items()):
        items.append(
            '<item oor:path="/org.openoffice.Office.Common/Font/Substitution/FontPairs">'
            f'<node oor:name="_{i}" oor:op="replace">'
            '<prop oor:name="Always" oor:op="fuse"><value>true</value></prop>'
            '<prop oor:name="OnScreenOnly" oor:op="fuse"><value>false</value></prop>'
            f'<prop oor:name="ReplaceFont" oor:op="fuse"><value>{escape(name)}</value></prop>'
            f'<prop oor:name="SubstituteFont" oor:op="fuse"><value>{escape(face)}</value></prop>'
            "</node></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        + "\n".join(items)
        + "\n</oor:items>\n"
    )


def create(folder: Path) -> str:
    """Make a LibreOffice profile in FOLDER with the replacement table; return its URI."""
    user = folder / "user"
    user.mkdir(parents=True, exist_ok=True)
    installed = installed_families()
    if installed is not None:
        table = replacements(installed)
        if table:
            (user / "registrymodifications.xcu").write_text(registry(table), encoding="utf-8")
    return folder.as_uri()
