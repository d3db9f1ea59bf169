"""The HTML edition: the same context as the Word document, rendered by a Jinja template
into one self-contained page (pictures as data URIs, every style inline) that can be pasted
into the WeChat article editor or shown by `bulletin preview`.

Mechanics only, as bulletin.render is for Word: context in, text out. The words come from
the context; the fixed headings and the styles are in the template (templates/bulletin.html.j2).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import jinja2

from bulletin import pictures
from bulletin.context import Context
from bulletin.errors import BuildError, Msg

HTML_TEMPLATE = "bulletin.html.j2"
# The WeChat draft API takes an article of under 20,000 characters and 1 MB.
WECHAT_MAX_CHARS = 20_000
WECHAT_MAX_BYTES = 1_000_000
CSS_PX_PER_MM = 96 / 25.4


@dataclass(frozen=True)
class Edition:
    """The rendered page and what the reader should know about it."""

    html: str
    notes: list[Msg]


def _span(rows: list[Any], index: int, key: str) -> int:
    """The rowspan of a cell flagged 'restart' in column `key`: itself and the cells that
    continue it (bulletin.context.merge_flags)."""
    n = 1
    while index + n < len(rows) and getattr(rows[index + n], key) == "continue":
        n += 1
    return n


def _data_uri(picture: pictures.Picture) -> str:
    mime = "image/jpeg" if picture.format == "JPEG" else "image/png"
    return f"data:{mime};base64,{base64.b64encode(picture.data).decode('ascii')}"


def _pictures(context: Context, ready: dict) -> dict[str, dict[str, str]]:
    """Each article picture, prepared by the picture step (or earlier in the run: `ready`),
    as a data URI with its width."""
    paths = list(
        dict.fromkeys(
            image.path
            for section in context.sections
            for article in section.articles
            for image in article.images
        )
    )
    return {
        str(path): {"src": _data_uri(p), "width": f"{p.width_mm * CSS_PX_PER_MM:.0f}px"}
        for path, p in zip(paths, pictures.prepare_all(paths, ready), strict=True)
    }


def text_length(html: str) -> int:
    """The characters a reader sees: the page without its tags and data URIs."""
    text = re.sub(r"<[^>]*>", "", html)
    return len(re.sub(r"\s+", "", text))


def _where(exc: jinja2.TemplateError, template: Path) -> str:
    """`file:line` of a template's mistake: the line the parser stopped at, or for a
    mistake found while rendering, the last line of a template file being run."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.lineno:
        return f"{exc.filename or template}:{exc.lineno}"
    found = ""
    tb = exc.__traceback__
    while tb is not None:  # Jinja shows each template line run as a frame of its file
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2") or name == str(template):
            found = f"{name}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found or str(template)


def render_html(context: Context, template: Path, ready: dict | None = None) -> Edition:
    """Render the HTML edition of `context` with the Jinja template at `template`;
    `ready`: pictures already prepared in this run, by path."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template.parent),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["span"] = _span
    names = {f.name: getattr(context, f.name) for f in fields(context)}
    names["pictures"] = _pictures(context, ready or {})
    try:
        html = env.get_template(template.name).render(**names)
    except jinja2.TemplateError as exc:
        where = _where(exc, template)
        raise BuildError(Msg("html_template_error", {"path": where, "reason": exc})) from None
    notes = []
    chars = text_length(html)
    if chars > WECHAT_MAX_CHARS:
        notes.append(Msg("html_too_long", {"chars": chars, "max": WECHAT_MAX_CHARS}))
    size = len(html.encode("utf-8"))
    if size > WECHAT_MAX_BYTES:
        notes.append(
            Msg("html_too_big", {"size": f"{size / 1e6:.1f}", "max": f"{WECHAT_MAX_BYTES / 1e6:g}"})
        )
    return Edition(html, notes)
