"""The language of crmlab's printed sentences (crmlab._i18n, issue 17 item 2).

The message catalogue ``crmlab/locale/zh/LC_MESSAGES/crmlab.po`` is the source; the
compiled ``crmlab.mo`` beside it is committed (so that an editable install, a source
checkout and the wheel read the same file, with no build step). The tests below hold
the two together: the ``.po`` has every sentence the code marks (extracted here with
Babel, as ``make locale`` does), each translated, with the same placeholders, and the
``.mo`` says exactly what the ``.po`` says (read back with the standard library's
``gettext``, a second implementation).
"""

from __future__ import annotations

import gettext
import os
import re
import string
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from statsmodels.tools.sm_exceptions import ConvergenceWarning

import crmlab
from crmlab import _i18n, churn_causes, churn_warning, datasets, survey
from crmlab import survival as sv

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "crmlab"
PO = PACKAGE / "locale" / "zh" / "LC_MESSAGES" / "crmlab.po"
MO = PO.with_suffix(".mo")


@pytest.fixture(autouse=True)
def english_after():
    """Every test leaves crmlab speaking English, whatever it set."""
    yield
    crmlab.set_language("en")


def _catalog():
    with open(PO, "rb") as f:
        return read_po(f)


def _messages():
    """(msgid or (singular, plural), msgstr or tuple of msgstr) of the .po, header aside."""
    return [(m.id, m.string) for m in _catalog() if m.id]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _ids(msgid) -> tuple:
    return msgid if isinstance(msgid, tuple) else (msgid,)


# --- the catalogue ---------------------------------------------------------------------------
def test_every_marked_sentence_is_in_the_catalogue_and_nothing_else():
    # Babel's extractor over the package, with the keywords _i18n defines (_, N_, ngettext)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PACKAGE), keywords={"_": None, "N_": None, "ngettext": (1, 2)}
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    catalogued = {m if isinstance(m, str) else tuple(m) for m, _ in _messages()}
    assert found - catalogued == set(), "new sentences: run make locale and translate them"
    assert catalogued - found == set(), "sentences no longer in the code: run make locale"
    assert len(found) >= 30


def test_every_message_has_a_chinese_translation():
    catalog = _catalog()
    assert catalog.num_plurals == 1  # Chinese has one form: msgstr[0] serves every count
    for m in catalog:
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        assert all(s.strip() for s in strings), f"untranslated: {m.id!r}"
        assert not m.fuzzy, f"fuzzy (check, then remove the flag): {m.id!r}"
        # a translation in Chinese, not the English copied over
        assert any(re.search(r"[\u4e00-\u9fff]", s) for s in strings) or strings[0] in {
            "，p = {p}"
        }, m.id


def test_placeholders_are_the_same_in_msgid_and_msgstr():
    for msgid, msgstr in _messages():
        expected = set().union(*(_fields(i) for i in _ids(msgid)))
        for s in msgstr if isinstance(msgstr, tuple) else (msgstr,):
            assert _fields(s) == expected, (msgid, s)


def test_compiled_mo_says_what_the_po_says():
    # the standard library's reader of the committed .mo against Babel's reader of the .po
    with open(MO, "rb") as f:
        mo = gettext.GNUTranslations(f)
    assert mo.info()["plural-forms"] == "nplurals=1; plural=0;"
    entries = dict(mo._catalog)  # msgid -> msgstr, (singular, i) -> msgstr for plurals
    entries.pop("", None)  # the header
    expected = {}
    for msgid, msgstr in _messages():
        if isinstance(msgid, tuple):
            expected.update({(msgid[0], i): s for i, s in enumerate(msgstr)})
        else:
            expected[msgid] = msgstr
    assert entries == expected, "the .mo is stale: run make locale"


# --- the setting -----------------------------------------------------------------------------
def test_default_is_english_and_set_language_switches():
    assert crmlab.get_language() == "en"
    assert _i18n.gettext("one unit") == "one unit"
    crmlab.set_language("zh_CN.UTF-8")  # a locale name is read by its language part
    assert crmlab.get_language() == "zh"
    assert _i18n.gettext("one unit") == "1 个单位"
    assert _i18n.ngettext("{n} day", "{n} days", 2).format(n=100) == "100 天"
    crmlab.set_language("en")
    assert _i18n.ngettext("{n} day", "{n} days", 2).format(n=100) == "100 days"


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match=r"'fr'.*en, zh.*CRMLAB_LANG"):
        crmlab.set_language("fr")
    assert crmlab.get_language() == "en"


@pytest.mark.parametrize(
    ("value", "language", "ok"), [("zh", "zh", True), ("", "en", True), ("xx", None, False)]
)
def test_environment_variable_is_read_at_import(value, language, ok):
    env = {**os.environ, "CRMLAB_LANG": value}
    code = "import crmlab; print(crmlab.get_language())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    if ok:
        assert out.returncode == 0, out.stderr
        assert out.stdout.split()[0] == language
    else:
        assert out.returncode != 0 and "'xx'" in out.stderr and "CRMLAB_LANG" in out.stderr


# --- sentences under zh ------------------------------------------------------------------------
def _ten():
    # small: 2 churned of 6 (odds 0.5); large: 3 churned of 4 (odds 3): odds ratio 6
    return pd.DataFrame(
        {
            "size": pd.Categorical(["small"] * 6 + ["large"] * 4, categories=["small", "large"]),
            "churned": [1, 1, 0, 0, 0, 0, 1, 1, 1, 0],
        }
    )


NUMBER = r"[−+-]?\d(?:\d|,(?=\d))*(?:\.\d+)?%?"  # 1,234.5 or -6% (no trailing comma)


@pytest.fixture(scope="module")
def company_items():
    raw = datasets.load_company()["survey"]
    clean = survey.reverse_code(survey.clean_survey(raw))
    dims = {d: spec["perception"] for d, spec in survey.SERVQUAL_ITEMS.items()}
    return clean, {**dims, **survey.RELATIONSHIP_SCALES}


def test_a_reading_prints_chinese_with_the_same_numbers():
    fit = churn_warning.fit_logit(_ten(), features=["size"])
    (english,) = fit.read()
    crmlab.set_language("zh")
    (chinese,) = fit.read()
    # odds ratio (3/1) / (2/4) = 6, +500%; log OR 1.792 with se 1.443 gives p = 0.21
    assert chinese.startswith(
        "size=large：取 large 而非 small（参照水平），流失发生比（odds）乘以 6.000（+500%；"
        "95% 置信区间 "
    )
    assert chinese.endswith("；在 5% 水平上不显著）")
    # every number is formatted the same in both languages
    assert re.findall(NUMBER, chinese) == re.findall(NUMBER, english)
    assert english.startswith("size=large: large rather than small (the reference level)")


def test_result_text_and_warnings_follow_the_language(company_items):
    # a log-rank test of two groups: its title and its one-line form
    data = pd.DataFrame(
        {"t": [1, 2, 3, 4, 5, 6], "e": [1, 1, 1, 1, 0, 1], "g": ["a", "a", "a", "b", "b", "b"]}
    )
    km = sv.kaplan_meier(data, duration="t", event="e", group="g")
    lr = sv.logrank_test(data, duration="t", event="e", group="g")
    english = str(lr)
    crmlab.set_language("zh")
    assert str(km).startswith("Kaplan-Meier 生存曲线\n对数秩检验 chi2 = ")
    assert str(lr).startswith("对数秩检验 chi2 = ") and "，自由度 df = 1，p = " in str(lr)
    assert re.findall(NUMBER, str(lr)) == re.findall(NUMBER, english)
    share = churn_causes.largest_share_test(pd.Series(["fault"] * 6 + ["natural"] * 4))
    # fault 6 of 10 (60.0%), natural 4 (40.0%): difference +20.0%
    assert str(share).startswith("论断“fault 占比最大”：")
    assert "占比最大的是“fault”（60.0%）" in str(share) and "= +20.0%" in str(share)
    clean, dims = company_items
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        survey.factor_structure(clean, dimensions=dims, method="pa", maxiter=50)
    messages = [str(w.message) for w in caught if issubclass(w.category, ConvergenceWarning)]
    assert messages == [
        "factor_structure：pa 提取在 50 次迭代后仍未收敛，这些载荷不是解"
        "（可改用 method='minres' 或增大 maxiter）。"
    ]


def _language_in(folder: Path, **env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if k != "CRMLAB_LANG"} | env
    code = "import crmlab; print(crmlab.get_language())"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=folder, env=environ, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_a_kernel_started_in_notebooks_zh_prints_chinese(tmp_path):
    # Jupyter and nbval start a notebook's kernel in the notebook's folder: the Chinese
    # edition (notebooks/zh/) speaks Chinese with the same code as the English one
    (tmp_path / "notebooks" / "zh").mkdir(parents=True)
    (tmp_path / "other" / "zh").mkdir(parents=True)
    assert _language_in(tmp_path / "notebooks" / "zh") == "zh"
    assert _language_in(tmp_path / "notebooks") == "en"
    assert _language_in(tmp_path / "other" / "zh") == "en"
    # the environment variable wins over the folder
    assert _language_in(tmp_path / "notebooks" / "zh", CRMLAB_LANG="en") == "en"
