"""The Chinese user guide: the pictures it shows exist and are the ones the script makes,
the two READMEs link to each other, and the commands it teaches exist."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import typer

from bulletin.cli import app

REPO = Path(__file__).resolve().parents[1]
GUIDE = REPO / "README.zh-CN.md"


def _script():
    spec = importlib.util.spec_from_file_location(
        "make_guide_images", REPO / "tools/make_guide_images.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_picture_the_guide_shows_exists_and_is_small() -> None:
    shown = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", GUIDE.read_text(encoding="utf-8"))
    assert shown, "the guide shows the bulletin's pages"
    for ref in shown:
        picture = REPO / ref
        assert picture.is_file(), f"{ref} is missing: run python tools/make_guide_images.py"
        data = picture.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) < 60_000, ref


def test_the_guide_shows_what_the_script_makes() -> None:
    made = {f"docs/images/{name}" for name in _script().PAGES}
    shown = set(re.findall(r"!\[[^\]]*\]\(([^)]+)\)", GUIDE.read_text(encoding="utf-8")))
    assert shown == made


def test_the_readmes_link_to_each_other_at_the_top() -> None:
    english = (REPO / "README.md").read_text(encoding="utf-8").splitlines()[:5]
    chinese = GUIDE.read_text(encoding="utf-8").splitlines()[:5]
    assert any("(README.zh-CN.md)" in line for line in english)
    assert any("(README.md)" in line for line in chinese)


def test_the_commands_the_guide_teaches_exist() -> None:
    group = typer.main.get_command(app)
    taught = set(re.findall(r"\bbulletin ([a-z]+)\b", GUIDE.read_text(encoding="utf-8")))
    assert {"init", "new", "check", "build", "stats", "schema"} <= taught
    assert taught <= set(group.commands)
    options = {opt for cmd in group.commands.values() for p in cmd.params for opt in p.opts}
    used = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", GUIDE.read_text(encoding="utf-8")))
    pip_options = {"--user", "--pip-args", "--index-url", "--cask", "--no-deps", "--force"}
    pip_options |= {"--version", "--lang"}  # options of bulletin itself, before the command
    assert used - pip_options <= options, used - pip_options - options
