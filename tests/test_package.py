"""The package as installed from a wheel: the default templates and the message catalogues
travel inside it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from bulletin.template_search import builtin_templates

REPO = Path(__file__).resolve().parents[1]


def test_builtin_templates_are_found() -> None:
    folder = builtin_templates()
    assert (folder / "bulletin.docx").is_file()
    assert (folder / "overview.txt.j2").is_file()
    assert (folder / "wording.yaml").is_file()


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
    assert "bulletin/templates/wording.yaml" in names
    assert "bulletin/templates/project.yaml.j2" in names
    from bulletin.models import MONTH_FILES

    for name in MONTH_FILES:
        assert f"bulletin/templates/month/{name}.j2" in names
    assert "bulletin/cli.py" in names
    for locale in ("en", "zh_CN"):
        assert f"bulletin/locale/{locale}/LC_MESSAGES/bulletin.mo" in names


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bulletin", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout.startswith("bulletin ")


def _package_imports() -> dict[str, set[str]]:
    """Each bulletin module and the bulletin modules it imports, anywhere in its body
    (lazy imports inside functions and TYPE_CHECKING blocks count too)."""
    import ast

    package = REPO / "bulletin"
    modules = {path.stem for path in package.glob("*.py")}
    graph: dict[str, set[str]] = {}
    for path in package.glob("*.py"):
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module == "bulletin":
                    found |= {a.name for a in node.names if a.name in modules}
                elif node.module.startswith("bulletin."):
                    found.add(node.module.split(".")[1])
            elif isinstance(node, ast.Import):
                found |= {
                    a.name.split(".")[1] for a in node.names if a.name.startswith("bulletin.")
                }
        graph[path.stem] = found - {path.stem}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of the graph, as the modules along it, or None."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_the_package_has_no_import_cycle() -> None:
    graph = _package_imports()
    assert graph["pipeline"] >= {"render", "context", "template_search"}
    assert "pipeline" not in graph["render"]
    assert _cycle(graph) is None


def test_render_is_word_mechanics_only() -> None:
    """Every word the document prints comes from the context, never from the renderer."""
    import re

    source = (REPO / "bulletin" / "render.py").read_text(encoding="utf-8")
    assert re.findall(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", source) == []
    assert _package_imports()["render"] <= {"context", "errors", "pictures"}
