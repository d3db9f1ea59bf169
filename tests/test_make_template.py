"""tools/make_template.py and the committed templates/bulletin.docx cannot drift apart."""

from __future__ import annotations

import importlib.util
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

REPO = Path(__file__).resolve().parents[1]
COMMITTED = REPO / "templates" / "bulletin.docx"
# What changes from one run of the tool to the next without the template changing.
_VOLATILE = re.compile(
    rb"<(dcterms:created|dcterms:modified|cp:lastPrinted)\b[^>]*?(?:/>|>[^<]*</\1>)"
)


def _make_template(out: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "make_template", REPO / "tools" / "make_template.py"
    )
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


def test_the_committed_template_is_what_the_tool_makes(tmp_path: Path) -> None:
    made = tmp_path / "bulletin.docx"
    _make_template(made)
    fresh, committed = _parts(made), _parts(COMMITTED)
    assert sorted(fresh) == sorted(committed)
    differ = [name for name in fresh if fresh[name] != committed[name]]
    assert differ == [], "run: python tools/make_template.py"
