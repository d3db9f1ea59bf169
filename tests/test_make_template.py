"""The template tools and the committed templates cannot drift apart: tools/make_template.py
and templates/bulletin.docx, tools/make_report_template.py and templates/report.docx,
tools/make_signin_template.py and templates/signin.docx."""

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
    [
        ("make_template", "bulletin.docx"),
        ("make_report_template", "report.docx"),
        ("make_evidence_template", "evidence.docx"),
        ("make_signin_template", "signin.docx"),
    ],
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


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.mark.parametrize(
    "template", ["bulletin.docx", "report.docx", "evidence.docx", "signin.docx"]
)
def test_the_templates_hold_no_leftovers_of_the_default_document(template: str) -> None:
    """No stylesWithEffects part, no theme font (WPS reports those as missing fonts), explicit
    Latin and East Asian default fonts, only styles that are used, built in or the base of
    one, and table header rows marked with the bare element, as Office writes it."""
    import sys

    sys.path.insert(0, str(REPO / "tools"))
    from make_template import BUILT_INS

    with zipfile.ZipFile(REPO / "templates" / template) as z:
        names = z.namelist()
        xml = {n: z.read(n).decode("utf-8") for n in names if n.endswith(".xml")}
    assert not [n for n in names if "stylesWithEffects" in n]
    assert "stylesWithEffects" not in xml["[Content_Types].xml"]
    assert not [n for n, text in xml.items() if re.search(r"\w+Theme=", text)]
    styles = ElementTree.fromstring(xml["word/styles.xml"])
    fonts = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert fonts.get(f"{W}ascii") and fonts.get(f"{W}eastAsia")
    applied = {
        m
        for n, text in xml.items()
        if n != "word/styles.xml"
        for m in re.findall(r'<w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"', text)
    }
    kept = set(applied)
    for style in styles.iter(f"{W}style"):
        if style.find(f"{W}name").get(f"{W}val").lower() in {b.lower() for b in BUILT_INS}:
            kept.add(style.get(f"{W}styleId"))
    for style in styles.iter(f"{W}style"):
        if style.get(f"{W}styleId") in kept:
            for ref in ("basedOn", "next"):
                if (el := style.find(f"{W}{ref}")) is not None:
                    kept.add(el.get(f"{W}val"))
    ids = [s.get(f"{W}styleId") for s in styles.iter(f"{W}style")]
    assert [i for i in ids if i not in kept] == []
    assert applied <= set(ids)
    headers = re.findall(r"<w:tblHeader[^>]*>", xml["word/document.xml"])
    assert set(headers) <= {"<w:tblHeader/>"}
