"""The editor experience: the schemas as VS Code's YAML extension (yaml-language-server) uses
them, through the `# yaml-language-server: $schema=` line of each file.

Runs where Node.js and yaml-language-server are installed (`.ci/run` installs them):
set YAML_LANGUAGE_SERVER to the server's path, or have it on PATH.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from bulletin.models import YearMonth
from bulletin.scaffold import new_month

SCRIPT = Path(__file__).with_name("editor_lsp.js")
SERVER = os.environ.get("YAML_LANGUAGE_SERVER") or shutil.which("yaml-language-server")

pytestmark = pytest.mark.skipif(
    not (SERVER and shutil.which("node")), reason="needs node and yaml-language-server"
)


def _ask(path: Path, position: str | None = None) -> dict[str, list]:
    argv = ["node", str(SCRIPT), str(SERVER), str(path), *([position] if position else [])]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=True)
    answers = {}
    for line in result.stdout.splitlines():
        kind, _, payload = line.partition(" ")
        answers[kind] = json.loads(payload)
    return answers


def test_the_example_month_is_clean_in_the_editor(example: Path) -> None:
    for path in [example / "project.yaml", *sorted((example / "2020-02").glob("*.yaml"))]:
        assert _ask(path)["DIAGNOSTICS"] == [], path


def test_the_editor_flags_slips_in_chinese_where_it_can(example: Path) -> None:
    visits = example / "2020-02" / "visits.yaml"
    text = visits.read_text("utf-8")
    text = text.replace("{date: 2020-02-25, name: 黄小姐", "{date: 25/2/2020, name: 黄小姐", 1)
    text = text.replace("town: 东凤镇", "town: 东风镇", 1)
    text = text.replace("town: 民众镇, mode: 电访}", "town: 民众镇, mdoe: 电访}", 1)
    visits.write_text(text, "utf-8")
    found = {(line, message.split(".")[0]) for line, message in _ask(visits)["DIAGNOSTICS"]}
    assert (4, "日期请写成 2020-02-25（也可以写 2020/2/25 或 2020年2月25日）") in found
    assert (4, "Property mdoe is not allowed") in found
    assert (5, "Value is not accepted") in found


def test_a_new_month_completes_towns_and_keys_with_descriptions(example: Path) -> None:
    month = new_month(example, YearMonth(2020, 3)).folder
    visits = month / "visits.yaml"
    text = visits.read_text("utf-8").replace("visits:\n", "visits:\n  - town: \n", 1)
    visits.write_text(text, "utf-8")
    line = text.splitlines().index("  - town: ") + 1
    towns = _ask(visits, f"{line}:10")["COMPLETION"]
    assert towns[0] == "神湾镇 — 镇区，必须是 project.yaml 中 towns 列出的镇区"
    visits.write_text(text.replace("  - town: \n", "  - \n"), "utf-8")
    keys = _ask(visits, f"{line}:4")["COMPLETION"]
    assert "date — 探访日期，如 2020-02-25，必须在本月内" in keys
    assert "mode — 探访方式：电访 或 走访" in keys
