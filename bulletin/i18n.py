"""User-facing messages in English and Simplified Chinese, chosen from the locale.

The messages live in gettext catalogues, bulletin/locale/<locale>/LC_MESSAGES/bulletin.po, one
per language, each msgid being the message key; the compiled .mo files beside them are what
runs. How to add a message: bulletin/locale/README.md.
"""

from __future__ import annotations

import functools
import gettext
import os
from pathlib import Path

DOMAIN = "bulletin"
LOCALE_DIR = Path(__file__).parent / "locale"
# Our language codes and the catalogue (gettext locale) that holds each.
LOCALES = {"en": "en", "zh": "zh_CN"}


def detect_language(environ: dict[str, str] | None = None) -> str:
    """Pick 'zh' or 'en' from the locale variables in gettext's order of precedence."""
    env = os.environ if environ is None else environ
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if not value:
            continue
        # LANGUAGE may list several languages separated by ':'; the first known one wins.
        for item in value.split(":"):
            code = item.split(".")[0].split("@")[0].lower()
            if code in ("c", "posix", ""):
                if var == "LANGUAGE":
                    continue
                return "en"
            if code.startswith("zh"):
                return "zh"
            if code.startswith("en"):
                return "en"
            if var != "LANGUAGE":
                return "en"
    return "en"


def choose_language(given: str | None = None, environ: dict[str, str] | None = None) -> str:
    """The one language decision: `given` (--lang) when it names a language we have, else the
    locale's (a --lang that names none is reported by the command line, which shows that
    report in the locale's language)."""
    return given if given in LOCALES else detect_language(environ)


@functools.cache
def catalogue(lang: str) -> gettext.GNUTranslations:
    """The compiled catalogue of `lang` ('zh' or 'en')."""
    path = LOCALE_DIR / LOCALES[lang] / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with path.open("rb") as f:
        return gettext.GNUTranslations(f)


def has_message(key: str) -> bool:
    """Whether the catalogue has a (singular) message `key`."""
    return catalogue("en").gettext(key) != key


def t(key: str, lang: str, /, **params: object) -> str:
    """Return the message `key` in `lang`, formatted with `params`. A message with plural
    forms takes its count as `n`. An unknown key raises KeyError."""
    messages = catalogue("zh" if lang == "zh" else "en")
    if "n" in params:
        template = messages.ngettext(key, key, int(params["n"]))  # type: ignore[arg-type]
        if template == key:
            template = messages.gettext(key)
    else:
        template = messages.gettext(key)
    if template == key:
        raise KeyError(key)
    return template.format(**params)
