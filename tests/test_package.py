"""The package as installed from a wheel: the default templates travel inside it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from bulletin.build import builtin_templates

REPO = Path(__file__).resolve().parents[1]


def test_builtin_templates_are_found() -> None:
    folder = builtin_templates()
    assert (folder / "bulletin.docx").is_file()
    assert (folder / "overview.txt.j2").is_file()


def test_wheel_contains_the_templates(tmp_path: Path) -> None:
    pytest.importorskip("hatchling")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("bulletin-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "bulletin/templates/bulletin.docx" in names
    assert "bulletin/templates/overview.txt.j2" in names
    assert "bulletin/templates/project.yaml.j2" in names
    from bulletin.models import MONTH_FILES

    for name in MONTH_FILES:
        assert f"bulletin/templates/month/{name}.j2" in names
    assert "bulletin/cli.py" in names


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bulletin", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout.startswith("bulletin ")
