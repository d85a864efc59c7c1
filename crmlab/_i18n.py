"""The language of the sentences crmlab prints, on the standard :mod:`gettext` machinery.

Every English sentence crmlab prints (readings of ratios, result titles and notes,
warnings) is written once, in English, at its source and wrapped in :func:`_` (or marked
with :func:`N_` where it must be translated later, at use, e.g. a class attribute).
The translations live in one message catalogue per language,
``crmlab/locale/<lang>/LC_MESSAGES/crmlab.po``, compiled to the ``.mo`` file that
:mod:`gettext` reads (``make locale`` extracts, updates and compiles them with Babel;
a test checks that the committed ``.mo`` says what the ``.po`` says). Numbers are
formatted before they are put into a sentence, the same way in every language.

The language is English unless the environment variable ``CRMLAB_LANG`` names another
one when crmlab is imported, or :func:`set_language` is called::

    import crmlab
    crmlab.set_language("zh")   # 中文
"""

from __future__ import annotations

import gettext
import os
import re
from pathlib import Path

__all__ = ["LANGUAGES", "ENV_VAR", "set_language", "get_language", "_", "N_", "ngettext"]

DOMAIN = "crmlab"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
#: The languages crmlab speaks: English (the source) and Simplified Chinese.
LANGUAGES = ("en", "zh")
#: The environment variable read at import.
ENV_VAR = "CRMLAB_LANG"

_current: dict = {"language": "en", "translations": gettext.NullTranslations()}


def _normalise(language: str) -> str:
    """``"zh_CN.UTF-8"``, ``"zh-Hans"``, ``"ZH"`` -> ``"zh"``; ``""``/``"C"`` -> ``"en"``."""
    code = re.split(r"[-_.@]", str(language).strip(), maxsplit=1)[0].lower()
    return "en" if code in {"", "c", "posix"} else code


def set_language(language: str) -> None:
    """Print crmlab's sentences in ``language`` from now on.

    Parameters
    ----------
    language : str
        ``"en"`` (English, the default) or ``"zh"`` (简体中文); a locale name such as
        ``"zh_CN.UTF-8"`` or ``"zh-Hans"`` is read by its language part.

    Returns
    -------
    None

    Raises
    ------
    ValueError
        If the language is not one crmlab has a catalogue for.
    FileNotFoundError
        If the compiled catalogue (``.mo``) is missing from the installation.

    Examples
    --------
    >>> set_language("zh"); get_language()
    'zh'
    >>> set_language("en"); get_language()
    'en'
    """
    code = _normalise(language)
    if code not in LANGUAGES:
        raise ValueError(
            f"language {language!r}: crmlab speaks {', '.join(LANGUAGES)} "
            f"(set_language or ${ENV_VAR})."
        )
    if code == "en":
        translations = gettext.NullTranslations()
    else:
        mo = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.mo"
        if not mo.is_file():
            raise FileNotFoundError(f"no compiled message catalogue at {mo} (run: make locale)")
        with open(mo, "rb") as f:
            translations = gettext.GNUTranslations(f)
    _current.update(language=code, translations=translations)


def get_language() -> str:
    """The language crmlab prints in now (``"en"`` or ``"zh"``)."""
    return _current["language"]


def _(message: str) -> str:
    """``message`` in the current language (itself in English or when untranslated)."""
    return _current["translations"].gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it now (translate at use
    with :func:`_`)."""
    return message


def ngettext(singular: str, plural: str, n: float) -> str:
    """The singular or plural form for the count ``n``, in the current language."""
    return _current["translations"].ngettext(singular, plural, n)


set_language(os.environ.get(ENV_VAR, "en"))
