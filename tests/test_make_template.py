"""The template tools and the committed templates cannot drift apart: tools/make_template.py
and templates/bulletin.docx, tools/make_report_template.py and templates/report.docx."""

from __future__ import annotations

import importlib.util
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

REPO = Path(__file__).resolve().parents[1]
# What changes from one run of the tool to the next without the template changing.
_VOLATILE = re.compile(
    rb"<(dcterms:created|dcterms:modified|cp:lastPrinted)\b[^>]*?(?:/>|>[^<]*</\1>)"
)


def _make_template(out: Path, tool: str = "make_template") -> None:
    """Run tools/TOOL.py's build(out)."""
    spec = importlib.util.spec_from_file_location(tool, REPO / "tools" / f"{tool}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.build(out)


def _parts(path: Path) -> dict[str, bytes]:
    """Each part of the package; XML parts without volatile values and canonicalised."""
    parts = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            data = z.read(name)
            if name.endswith((".xml", ".rels")):
                data = ElementTree.canonicalize(_VOLATILE.sub(b"", data).decode("utf-8")).encode()
            parts[name] = data
    return parts


def test_volatile_values_are_what_the_comparison_ignores() -> None:
    core = (
        b'<cp:coreProperties><dc:title>t</dc:title><dcterms:created xsi:type="x">2020</dcterms'
        b':created><dcterms:modified xsi:type="x">2021</dcterms:modified></cp:coreProperties>'
    )
    assert (
        _VOLATILE.sub(b"", core) == b"<cp:coreProperties><dc:title>t</dc:title></cp:coreProperties>"
    )


@pytest.mark.parametrize(
    ("tool", "template"),
    [("make_template", "bulletin.docx"), ("make_report_template", "report.docx")],
)
def test_the_committed_template_is_what_the_tool_makes(
    tmp_path: Path, tool: str, template: str
) -> None:
    made = tmp_path / template
    _make_template(made, tool)
    fresh, committed = _parts(made), _parts(REPO / "templates" / template)
    assert sorted(fresh) == sorted(committed)
    differ = [name for name in fresh if fresh[name] != committed[name]]
    assert differ == [], f"run: python tools/{tool}.py"
