"""Read a produced .docx as a reader sees it: paragraphs and table rows in body order."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml.ns import qn


def _para_text(p) -> str:
    """A paragraph's text, a line break as a newline."""
    return "".join(
        "\n" if el.tag == qn("w:br") else el.text or "" for el in p.iter(qn("w:t"), qn("w:br"))
    )


def cell_text(tc) -> str:
    return "\n".join(_para_text(p) for p in tc.iter(qn("w:p")))


def body_items(path: Path) -> list[tuple[str, object]]:
    """('p', text) for paragraphs and ('table', [[cell, …], …]) for tables, in order."""
    doc = Document(str(path))
    items: list[tuple[str, object]] = []
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            items.append(("p", "".join(t.text or "" for t in child.iter(qn("w:t")))))
        elif child.tag == qn("w:tbl"):
            rows = [
                [cell_text(tc) for tc in tr.findall(qn("w:tc"))] for tr in child.findall(qn("w:tr"))
            ]
            items.append(("table", rows))
    return items


def lines(path: Path) -> list[str]:
    """Every non-empty paragraph, and every table row as its cells joined by tabs."""
    out = []
    for kind, value in body_items(path):
        if kind == "p":
            if value.strip():
                out.append(value)
        else:
            out += ["\t".join(row) for row in value]
    return out


def tables(path: Path) -> list[list[list[str]]]:
    return [value for kind, value in body_items(path) if kind == "table"]


def assert_in_order(haystack: list[str], needles: list[str]) -> None:
    """Each needle occurs after the previous one (later in the same line, or in a later line)."""
    position, offset = 0, 0
    for needle in needles:
        for i in range(position, len(haystack)):
            found = haystack[i].find(needle, offset if i == position else 0)
            if found >= 0:
                position, offset = i, found + len(needle)
                break
        else:
            context = "\n".join(haystack[max(0, position - 3) : position + 3])
            raise AssertionError(f"{needle!r} not found after line {position}:\n{context}")
