"""Small builders over WordprocessingML, the XML inside a .docx (python-docx's oxml): the
few elements bulletin adds to a filled template itself (runs, fields, bookmarks, links)."""

from __future__ import annotations

import copy

from docx.oxml import OxmlElement
from docx.oxml.ns import qn


def element(tag: str, **attrs: str):
    """A new element, `w:fldChar`, with its attributes: `w_fldCharType="begin"`."""
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(key.replace("_", ":", 1)), value)
    return el


def run(child, rpr=None):
    """A run (w:r) holding `child`, with a copy of the run properties `rpr` if given."""
    made = element("w:r")
    if rpr is not None:
        made.append(copy.deepcopy(rpr))
    made.append(child)
    return made


def style_elements(document) -> list:
    """The template's style definitions as XML elements: asking python-docx's style
    objects for their id or name costs ~0.1 ms a style, and a template has ~170."""
    return document.styles.element.findall(qn("w:style"))
