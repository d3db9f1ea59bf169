"""Characters that do not show: zero-width spaces, direction marks, a byte-order mark inside
text. They make two different values look identical on a screen ('民众​镇' is not 民众镇), so
names, towns and ids refuse them and every message shows them as <U+200B>."""

from __future__ import annotations

import re

# Unicode's format characters (Cf), spaces other than the ordinary one (Zs), line and
# paragraph separators (Zl, Zp), and fillers that show as nothing (Hangul fillers, the
# combining grapheme joiner). Spelt out: computing them from unicodedata at start-up is slow.
_INVISIBLE = re.compile(
    "[\u00a0\u00ad\u034f\u061c\u115f\u1160\u1680\u180e\u2000-\u200f\u2028-\u202f"
    "\u205f-\u2064\u2066-\u206f\u3000\u3164\ufeff\uffa0\ufff9-\ufffb"
    "\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)


def first_invisible(text: str) -> tuple[int, str] | None:
    """(1-based position, U+XXXX) of the first invisible character in `text`, if any."""
    if text.isascii():
        return None
    m = _INVISIBLE.search(text)
    return (m.start() + 1, f"U+{ord(m.group()):04X}") if m else None


def visible(text: str) -> str:
    """`text` with each invisible character written as <U+XXXX>."""
    if text.isascii():
        return text
    return _INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


# Han characters, as a regular expression's class: the unified ideographs (the basic block,
# extension A, and extensions B onwards in planes 2 and 3) and the compatibility ideographs.
# A rare surname may be outside the basic block (㐀, 𠮷).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_HAN = re.compile(f"[{HAN}]")


def is_han(char: str) -> bool:
    """Whether `char` (one character) is a Han character."""
    return _HAN.fullmatch(char) is not None
