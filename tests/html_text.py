"""Read a produced HTML edition as a reader sees it: block texts and table rows in order."""

from __future__ import annotations

from html.parser import HTMLParser

BLOCKS = {"p", "h1", "h2", "h3", "h4", "li", "caption", "figcaption"}


class Reader(HTMLParser):
    """Collects every non-empty paragraph and every table row (cells joined by tabs; a cell
    under another's rowspan is empty, as Word's merged cells read), and every tag's attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._text: list[str] | None = None
        self._row: list[str] | None = None
        self._spans: dict[int, int] = {}  # column -> rows still covered by a rowspan

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self._row = []
            self._fill()
        elif tag in ("td", "th"):
            self._text = []
            rowspan = int(dict(attrs).get("rowspan") or 1)
            if rowspan > 1:
                self._spans[len(self._row)] = rowspan - 1
        elif tag in BLOCKS and self._row is None:
            self._text = []
        elif tag == "br" and self._text is not None:
            self._text.append("\n")

    def _fill(self) -> None:
        while self._row is not None and self._spans.get(len(self._row), 0) > 0:
            self._spans[len(self._row)] -= 1
            self._row.append("")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._row is not None and self._text is not None:
            self._row.append("".join(self._text))
            self._text = None
            self._fill()
        elif tag == "tr" and self._row is not None:
            self._fill()
            self.lines.append("\t".join(self._row))
            self._row = None
        elif tag in BLOCKS and self._row is None and self._text is not None:
            text = "".join(self._text)
            if text.strip():
                self.lines.append(text)
            self._text = None
        elif tag == "table":
            self._spans = {}

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data.strip("\n"))


def read(html: str) -> Reader:
    reader = Reader()
    reader.feed(html)
    reader.close()
    return reader
