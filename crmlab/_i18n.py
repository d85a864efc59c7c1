"""The language of the sentences crmlab prints, on the standard :mod:`gettext` machinery.

Every English sentence crmlab prints (readings of ratios, result titles and notes,
warnings) is written once, in English, at its source and wrapped in ``_()`` (a module
imports :func:`gettext` under gettext's usual name: ``from crmlab._i18n import gettext as _gettext
as _``), or marked
with :func:`N_` where it must be translated later, at use, e.g. a class attribute).
The translations live in one message catalogue per language,
``crmlab/locale/<lang>/LC_MESSAGES/crmlab.po``, compiled to the ``.mo`` file that
:mod:`gettext` reads (``make locale`` extracts, updates and compiles them with Babel;
a test checks that the committed ``.mo`` says what the ``.po`` says). Numbers are
formatted before they are put into a sentence, the same way in every language.

The language is English unless the environment variable ``CRMLAB_LANG`` names another
one when crmlab is imported, or crmlab is imported in a folder ``notebooks/zh`` (where the
Chinese edition of the notebooks lives: Jupyter and nbval start a notebook's kernel in
the notebook's folder, so both editions run the same code and each prints in its own
language), or :func:`set_language` is called::

    import crmlab
    crmlab.set_language("zh")   # 中文
"""

from __future__ import annotations

import gettext as _gettext
import os
import re
from pathlib import Path

__all__ = ["LANGUAGES", "ENV_VAR", "set_language", "get_language", "gettext", "N_", "ngettext"]

DOMAIN = "crmlab"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
#: The languages crmlab speaks: English (the source) and Simplified Chinese.
LANGUAGES = ("en", "zh")
#: The environment variable read at import.
ENV_VAR = "CRMLAB_LANG"

_current: dict = {"language": "en", "translations": _gettext.NullTranslations()}


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
        translations = _gettext.NullTranslations()
    else:
        mo = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.mo"
        if not mo.is_file():
            raise FileNotFoundError(f"no compiled message catalogue at {mo} (run: make locale)")
        with open(mo, "rb") as f:
            translations = _gettext.GNUTranslations(f)
    _current.update(language=code, translations=translations)


def get_language() -> str:
    """The language crmlab prints in now.

    Parameters
    ----------
    None

    Returns
    -------
    str
        ``"en"`` or ``"zh"``.

    Raises
    ------
    Nothing.

    Examples
    --------
    >>> get_language()
    'en'
    """
    return _current["language"]


def gettext(message: str) -> str:
    """``message`` in the current language. Modules import it as ``_``, the name the
    message extractor (``make locale``) looks for.

    Parameters
    ----------
    message : str
        An English sentence, written at its source; placeholders in braces are filled
        after translation (``_("n = {n}").format(n=5)``).

    Returns
    -------
    str
        Its translation, or the English when the language is English or the catalogue
        has no translation.

    Raises
    ------
    Nothing.

    Examples
    --------
    >>> gettext("one unit")
    'one unit'
    >>> set_language("zh"); gettext("one unit"); set_language("en")
    '1 个单位'
    """
    return _current["translations"].gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it now: for a sentence
    defined before the language is known (a class attribute); translate it at use with
    :func:`gettext`.

    Parameters
    ----------
    message : str

    Returns
    -------
    str
        ``message`` unchanged.

    Raises
    ------
    Nothing.

    Examples
    --------
    >>> N_("Log-rank test (对数秩检验)")
    'Log-rank test (对数秩检验)'
    """
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or the plural form for the count ``n``, in the current language
    (Chinese has one form for every count).

    Parameters
    ----------
    singular, plural : str
        The English forms.
    n : int
        The count that chooses the form.

    Returns
    -------
    str

    Raises
    ------
    Nothing.

    Examples
    --------
    >>> ngettext("{n} day", "{n} days", 2).format(n=100)
    '100 days'
    """
    return _current["translations"].ngettext(singular, plural, n)


def _edition_language(folder: Path) -> str | None:
    """``"zh"`` for a folder ``notebooks/zh`` (the Chinese edition), else None."""
    return "zh" if folder.name == "zh" and folder.parent.name == "notebooks" else None


set_language(os.environ.get(ENV_VAR) or _edition_language(Path.cwd()) or "en")
