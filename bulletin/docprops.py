"""The file's own properties (docProps/app.xml, the thumbnail), true for the document made.

A template saved by Word carries its application name, page and word counts and a preview
picture of the template; all of that would be false for the bulletin. The title and subject
(docProps/core.xml) are worded in the template and filled in like the rest of it.
"""

from __future__ import annotations

from docx.opc.constants import RELATIONSHIP_TYPE as RT

from bulletin import __version__

APPLICATION = f"bulletin/{__version__}"

APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
    ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    f"<Application>{APPLICATION}</Application>"
    "<DocSecurity>0</DocSecurity>"
    "<ScaleCrop>false</ScaleCrop>"
    "<LinksUpToDate>false</LinksUpToDate>"
    "<SharedDoc>false</SharedDoc>"
    "<HyperlinksChanged>false</HyperlinksChanged>"
    "</Properties>"
)


def write_properties(document) -> None:
    """Name this program as the application, with no page or word counts (Word recounts
    them when it saves), and drop any thumbnail (a picture of the template, not of this)."""
    rels = document.part.package.rels
    for rid, rel in list(rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            rels.pop(rid)
        elif rel.reltype == RT.EXTENDED_PROPERTIES and not rel.is_external:
            rel.target_part._blob = APP_XML.encode("utf-8")
