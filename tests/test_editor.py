"""The editor experience: the schemas as VS Code's YAML extension (yaml-language-server) uses
them, through the `# yaml-language-server: $schema=` line of each file.

Needs Node.js and npm (README, "Set-up"). The server is $YAML_LANGUAGE_SERVER, the one on
PATH, or else the one these tests install with npm into the user's cache folder the first
time (pip cannot install a Node.js package); skipped, with the reason, only without Node.js
or when npm cannot install it.
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
PACKAGE = "yaml-language-server@1"  # the engine of VS Code's YAML extension
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
INSTALLED = CACHE / "bulletin-tests" / "yaml-language-server"


@pytest.fixture(scope="module")
def server() -> str:
    """The path of yaml-language-server, installed with npm when it is nowhere yet."""
    if shutil.which("node") is None:
        pytest.skip("needs Node.js and npm (README, Set-up: apt install nodejs npm)")
    found = os.environ.get("YAML_LANGUAGE_SERVER") or shutil.which("yaml-language-server")
    if found:
        return found
    local = INSTALLED / "node_modules" / ".bin" / "yaml-language-server"
    if not local.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("needs npm to install yaml-language-server (apt install npm)")
        argv = [npm, "install", "--no-audit", "--no-fund", "--prefix", str(INSTALLED), PACKAGE]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=600)
        if done.returncode != 0 or not local.exists():
            pytest.skip(f"npm could not install {PACKAGE}: {done.stderr.strip()[-500:]}")
    return str(local)


def _ask(server: str, path: Path, position: str | None = None) -> dict[str, list]:
    argv = ["node", str(SCRIPT), server, str(path), *([position] if position else [])]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=True)
    answers = {}
    for line in result.stdout.splitlines():
        kind, _, payload = line.partition(" ")
        answers[kind] = json.loads(payload)
    return answers


def test_the_example_month_is_clean_in_the_editor(server: str, example: Path) -> None:
    for path in [example / "project.yaml", *sorted((example / "2020-02").glob("*.yaml"))]:
        assert _ask(server, path)["DIAGNOSTICS"] == [], path


def test_the_editor_flags_slips_in_chinese_where_it_can(server: str, example: Path) -> None:
    visits = example / "2020-02" / "visits.yaml"
    text = visits.read_text("utf-8")
    text = text.replace("{date: 2020-02-25, name: 黄小姐", "{date: 25/2/2020, name: 黄小姐", 1)
    text = text.replace("town: 东凤镇", "town: 东风镇", 1)
    text = text.replace("town: 民众镇, mode: 电访}", "town: 民众镇, mdoe: 电访}", 1)
    visits.write_text(text, "utf-8")
    found = {(line, message.split(".")[0]) for line, message in _ask(server, visits)["DIAGNOSTICS"]}
    assert (4, "日期请写成 2020-02-25（也可以写 2020/2/25 或 2020年2月25日）") in found
    assert (4, "Property mdoe is not allowed") in found
    assert (5, "Value is not accepted") in found


def test_a_new_month_completes_towns_and_keys_with_descriptions(server: str, example: Path) -> None:
    month = new_month(example, YearMonth(2020, 3)).folder
    visits = month / "visits.yaml"
    text = visits.read_text("utf-8").replace("visits:\n", "visits:\n  - town: \n", 1)
    visits.write_text(text, "utf-8")
    line = text.splitlines().index("  - town: ") + 1
    towns = _ask(server, visits, f"{line}:10")["COMPLETION"]
    assert towns[0] == "神湾镇 — 镇区，必须是 project.yaml 中 towns 列出的镇区"
    visits.write_text(text.replace("  - town: \n", "  - \n"), "utf-8")
    keys = _ask(server, visits, f"{line}:4")["COMPLETION"]
    assert "date — 探访日期，如 2020-02-25，必须在本月内" in keys
    assert "mode — 探访方式：电访 或 走访" in keys
