"""Characters that do not show: zero-width spaces, direction marks, a byte-order mark inside
text. They make two different values look identical on a screen ('民众​镇' is not 民众镇), so
names, towns and ids refuse them and every message shows them as <U+200B>."""

from __future__ import annotations

import unicodedata

# Hangul fillers and the combining grapheme joiner show as nothing but are not format (Cf).
_BLANK = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u034f"}


def is_invisible(char: str) -> bool:
    """Whether `char` shows as nothing, or as a space other than the ordinary one."""
    if char == " " or char.isascii() and char.isprintable():
        return False
    category = unicodedata.category(char)
    return category in ("Cf", "Zl", "Zp") or (category == "Zs") or char in _BLANK


def first_invisible(text: str) -> tuple[int, str] | None:
    """(1-based position, U+XXXX) of the first invisible character in `text`, if any."""
    if text.isascii():
        return None
    for i, char in enumerate(text):
        if is_invisible(char):
            return i + 1, f"U+{ord(char):04X}"
    return None


def visible(text: str) -> str:
    """`text` with each invisible character written as <U+XXXX>."""
    if text.isascii() or first_invisible(text) is None:
        return text
    return "".join(f"<U+{ord(c):04X}>" if is_invisible(c) else c for c in text)
