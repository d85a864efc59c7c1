"""Answer keys: expected values and diagnosed mistakes, computed by running the master.

At build time :func:`compute_key` runs the solution notebook that ``otter assign`` wrote
(the instructor's own code, in this process, in a folder holding the variant's data) and
records every answer variable of every question. ``source/mistakes.yaml`` lists, per
question, the common mistakes students make with that method, each as the few lines of
wrong code a student writes (run after the question's solution, on a copy of its
variables) and the message that explains it; their values are recorded too. A mistake
whose code gives the right value for a variable diagnoses nothing for it.

:func:`value_tests` then writes, per answer variable, an otter exception-based test that
checks the form (type, length, keys), then the value against the key, and, when the value
is wrong, names the mistake it matches. The same tests are hidden tests of the autograder
(with the points) and, in the practice edition, public 0-point checks in the student
notebook: ``grader.check("q1")`` then tells a student whether the value is right and which
mistake it looks like. Messages never state the expected value.

Every message exists in English and in Chinese. The form checks written by hand in the
masters give theirs as ``_crm_say(english, chinese)`` (:func:`master_form_messages` checks
that each has its Chinese; the build refuses a master where one has not), and
:func:`form_language` puts ``_crm_say`` into each test file: in a student's notebook it
speaks the language of ``CRMLAB_LANG`` when the check runs (``en``, ``zh``, both when
unset), in the autograder English, the language of the gradebook.

``mistakes.yaml``::

    compare:                      # optional, per answer variable
      monetary_c: {tol: 0.01}     # absolute tolerance (default: 1e-6 + 1e-4 x |value|,
                                  # 0 for whole numbers)
      key_customers: {ordered: false}   # a list of text compared as a set (default: in order)
    q1:
      - mistake: return lines counted as purchases
        hint: "... what the student should do instead ..."
        mistake_zh: 把退货行算作购买      # the same in Chinese (both are required)
        hint_zh: "……学生应当怎样做……"
        form_hint: [percent]      # optional: a public form check may fail too, if its
                                  # message says one of these words
        code: |
          frequency_c = len(lines)
"""

from __future__ import annotations

import contextlib
import copy
import json
import math
import numbers
import os
import re
import types
from pathlib import Path

import yaml

_CHECK = re.compile(r"""grader\.check\(\s*["']([^"']+)["']\s*\)""")


class KeyError_(RuntimeError):
    """The master's solution or one of its mistakes does not run, or a mistake is wrong."""


# --- plain values -------------------------------------------------------------------------
def plain(value):
    """An answer as JSON data: numbers, text, lists (arrays, indexes), dicts (Series) and
    dicts of columns (DataFrames, e.g. a SQL result; compared column by column, rows in
    order)."""
    import numpy as np
    import pandas as pd

    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, pd.DataFrame):
        return {str(c): plain(value[c]) for c in value.columns}
    if isinstance(value, (pd.Series, dict)):
        items = value.items()
        if isinstance(value, pd.Series) and isinstance(value.index, pd.RangeIndex):
            return [plain(v) for v in value.tolist()]
        return {str(k): plain(v) for k, v in items}
    if isinstance(value, (list, tuple, np.ndarray, pd.Index, set, frozenset)):
        seq = value.tolist() if hasattr(value, "tolist") else list(value)
        return [plain(v) for v in seq]
    raise KeyError_(f"an answer of type {type(value).__name__} cannot be put in a key")


# the comparison, as source: test files must run where only numpy and pandas exist
SAY_SOURCE = """
def _crm_say(en, zh):
    import os
    lang = _CRM_LANG or os.environ.get("CRMLAB_LANG", "")
    lang = str(lang).strip().lower()
    if lang.startswith("zh"):
        return zh
    if lang.startswith("en"):
        return en
    return en + "\\n" + zh
"""


def crm_say(en: str, zh: str) -> str:
    """The message ``en`` or its Chinese ``zh``, by ``CRMLAB_LANG`` (both when unset): the
    function the form checks of the masters call as ``_crm_say`` (for an instructor who
    runs a master by hand; a test file gets its own copy from :func:`form_language`).

    Examples
    --------
    >>> import os; os.environ["CRMLAB_LANG"] = "zh"; crm_say("a share", "比例")
    '比例'
    >>> del os.environ["CRMLAB_LANG"]; print(crm_say("a share", "比例"))
    a share
    比例
    """
    env: dict = {"_CRM_LANG": None}
    exec(SAY_SOURCE, env)  # noqa: S102 - our own source
    return env["_crm_say"](en, zh)


_TEST_IMPORT = "from otter.test_files import test_case\n"


def form_language(test_file: str, language: str | None) -> str:
    """``test_file`` (an otter exception-based test file) with ``_crm_say`` defined at its
    top, so that the form checks written in the masters (``_crm_say("...", "……")``) speak
    ``language``: ``None`` in a student's notebook (``CRMLAB_LANG`` when the check runs:
    ``en``, ``zh``, both when unset, as the value checks), ``"en"`` in the autograder (the
    gradebook and the feedback files read English, as the hidden value tests write it)."""
    if "def _crm_say(" in test_file.split("@test_case", 1)[0]:
        raise KeyError_("this test file has its message language already")
    prelude = f"_CRM_LANG = {language!r}\n{SAY_SOURCE}\n"
    head, sep, rest = test_file.partition(_TEST_IMPORT)
    if not sep:
        return prelude + test_file
    return head + sep + prelude + rest


SAME_SOURCE = """
def _crm_same(got, want, atol, rtol, ordered):
    import numbers
    if isinstance(want, bool):
        return type(got).__name__ in ("bool", "bool_") and bool(got) == want
    if isinstance(want, numbers.Real):
        if type(got).__name__ in ("bool", "bool_") or not isinstance(got, numbers.Real):
            return False
        return abs(float(got) - want) <= atol + rtol * abs(want)
    if isinstance(want, str):
        return isinstance(got, str) and got.strip().casefold() == want.strip().casefold()
    if isinstance(want, dict):
        if hasattr(got, "columns") and hasattr(got, "shape"):
            # a DataFrame: its columns, each compared as the key's (a list of the rows
            # in order, or a dict by index label)
            if len({str(c) for c in got.columns}) != got.shape[1]:
                return False  # a column name twice
            got = {str(c): got.iloc[:, j] for j, c in enumerate(got.columns)}
        if hasattr(got, "to_dict") and not hasattr(got, "columns"):
            if len(set(got.index)) != len(got):
                return False  # a label twice: to_dict would keep only one
            got = got.to_dict()
        if not isinstance(got, dict):
            return False
        got = {str(k): v for k, v in got.items()}
        return set(got) == set(want) and all(
            _crm_same(got[k], want[k], atol, rtol, ordered) for k in want)
    if isinstance(want, list):
        if isinstance(got, (str, bytes, dict)) or hasattr(got, "columns"):
            return False
        if not hasattr(got, "__len__"):
            return False
        got = got.tolist() if hasattr(got, "tolist") else list(got)
        if len(got) != len(want):
            return False
        if not ordered and all(isinstance(w, str) for w in want):
            if not all(isinstance(g, str) for g in got):
                return False
            got, want = sorted(got), sorted(want)
        return all(_crm_same(g, w, atol, rtol, ordered) for g, w in zip(got, want))
    return False


def _crm_form(name, got, want):
    import numbers
    if got is ...:
        return _crm_say(f"{name}: not answered yet: replace the ... with your computation.",
                        f"{name}：还没有作答：把 ... 换成你的计算。")
    if got is None and want is not None:
        return _crm_say(
            f"{name} is None: no value yet (a query not written, or a call that returns "
            "nothing, such as one with inplace=True).",
            f"{name} 是 None：还没有值（查询还没写，或调用的函数不返回值，"
            "例如用了 inplace=True）。")
    if isinstance(want, bool):
        ok = type(got).__name__ in ("bool", "bool_")
        return None if ok else _crm_say(f"{name} should be True or False.",
                                        f"{name} 应为 True 或 False。")
    if isinstance(want, numbers.Real):
        ok = isinstance(got, numbers.Real) and type(got).__name__ not in ("bool", "bool_")
        return None if ok else _crm_say(
            f"{name} should be one number, got {type(got).__name__}.",
            f"{name} 应为一个数，得到的是 {type(got).__name__}。")
    if isinstance(want, str):
        return None if isinstance(got, str) else _crm_say(
            f"{name} should be text (a str).", f"{name} 应为文本（str）。")
    if isinstance(want, dict) and hasattr(got, "columns") and hasattr(got, "shape"):
        cols = [str(c) for c in got.columns]
        if set(cols) != set(want) or len(cols) != len(set(cols)):
            missing, extra = sorted(set(want) - set(cols)), sorted(set(cols) - set(want))[:5]
            return _crm_say(
                f"{name} should have exactly the columns {sorted(want)}; missing {missing}, "
                f"extra {extra}.",
                f"{name} 的列应恰好是 {sorted(want)}；缺少 {missing}，多出 {extra}。")
        rows = {len(v) for v in want.values() if isinstance(v, (list, dict))}
        if len(rows) == 1 and got.shape[0] not in rows:
            (n,) = rows
            return _crm_say(f"{name} should have {n} rows, not {got.shape[0]}.",
                            f"{name} 应有 {n} 行，而不是 {got.shape[0]} 行。")
        return None
    if isinstance(want, dict):
        if hasattr(got, "to_dict") and not hasattr(got, "columns"):
            if len(set(got.index)) != len(got):
                return _crm_say(
                    f"{name} has a label twice: one entry per key {sorted(want)}.",
                    f"{name} 有重复的标签：每个键 {sorted(want)} 只能有一项。")
            got = got.to_dict()
        if not isinstance(got, dict):
            return _crm_say(f"{name} should be a dict (or Series) with keys {sorted(want)}.",
                            f"{name} 应为以 {sorted(want)} 为键的 dict（或 Series）。")
        keys = {str(k) for k in got}
        if keys != set(want):
            missing, extra = sorted(set(want) - keys), sorted(keys - set(want))[:5]
            return _crm_say(
                f"{name} should have exactly the keys {sorted(want)}; missing {missing}, "
                f"extra {extra}.",
                f"{name} 的键应恰好是 {sorted(want)}；缺少 {missing}，多出 {extra}。")
        return None
    if isinstance(want, list):
        if isinstance(got, (str, bytes, dict)) or hasattr(got, "columns") or not hasattr(
                got, "__len__"):
            return _crm_say(f"{name} should be a list of {len(want)} items.",
                            f"{name} 应为含 {len(want)} 项的列表。")
        if len(got) != len(want):
            return _crm_say(f"{name} should hold {len(want)} items, not {len(got)}.",
                            f"{name} 应有 {len(want)} 项，而不是 {len(got)} 项。")
        return None
    return None
"""


def _tolerance(want, spec: dict) -> tuple[float, float]:
    if "tol" in spec:
        return float(spec["tol"]), 0.0
    if _whole(want):
        return 1e-9, 0.0
    return 1e-6, 1e-4


def _whole(want) -> bool:
    if isinstance(want, bool):
        return True
    if isinstance(want, int):
        return True
    if isinstance(want, list):
        return all(_whole(w) for w in want)
    if isinstance(want, dict):
        return all(_whole(w) for w in want.values())
    return isinstance(want, str)


def same(got, want, spec: dict | None = None) -> bool:
    """The comparison the generated tests make (for the build and the tests)."""
    spec = spec or {}
    env: dict = {}
    exec(SAME_SOURCE, env)  # noqa: S102 - our own source
    atol, rtol = _tolerance(want, spec)
    return env["_crm_same"](got, want, atol, rtol, bool(spec.get("ordered", True)))


# --- the form checks' messages -----------------------------------------------------------
def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _literal_text(node) -> str | None:
    """The text of a string literal or f-string (placeholders as ``{expr}``), else None."""
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value if isinstance(v, ast.Constant) else "{" + ast.unparse(v.value) + "}"
            for v in node.values
        )
    return None


def message_nodes(body: str):
    """Each ``assert ..., message`` and ``raise AssertionError(message)`` of the Python
    source ``body``, as ``(statement node, message node or None)``: the places a form check
    speaks to the student (read by :func:`form_messages` and ``tools/bilingual_checks.py``)."""
    import ast

    for node in ast.walk(ast.parse(body)):
        if isinstance(node, ast.Assert):
            yield node, node.msg
        elif (
            isinstance(node, ast.Raise)
            and isinstance(node.exc, ast.Call)
            and getattr(node.exc.func, "id", None) == "AssertionError"
        ):
            yield node, node.exc.args[0] if node.exc.args else None


def form_messages(test_cell: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The messages of a form check written in a master (a test cell: its config, a test
    function and its call): ``([(english, chinese), ...], [problem, ...])``.

    Every ``assert ..., message`` and ``raise AssertionError(message)`` must give its message
    as ``_crm_say(english, chinese)``, two string literals (f-strings allowed), the Chinese
    with Chinese characters (not a copy of the English) and the same placeholders; anything
    else is a problem, named by its line in the cell."""
    import ast

    body = test_cell.split('""" # END TEST CONFIG', 1)[-1]
    offset = test_cell[: len(test_cell) - len(body)].count("\n")
    pairs, problems = [], []
    for node, msg in message_nodes(body):
        where = f"line {node.lineno + offset}"
        if msg is None:
            problems.append(f"{where}: no message")
            continue
        if not (
            isinstance(msg, ast.Call)
            and getattr(msg.func, "id", None) == "_crm_say"
            and len(msg.args) == 2
            and not msg.keywords
        ):
            problems.append(f"{where}: {ast.unparse(msg)[:80]} is not _crm_say(english, chinese)")
            continue
        en, zh = (_literal_text(a) for a in msg.args)
        if en is None or zh is None:
            problems.append(f"{where}: the messages of _crm_say must be string literals")
            continue
        if not _has_chinese(zh) or zh == en:  # the English may quote a term (万元)
            problems.append(f"{where}: {en[:60]!r} has no Chinese text after it")
            continue
        placeholders = [re.findall(r"\{[^{}]*\}", t) for t in (en, zh)]
        if sorted(placeholders[0]) != sorted(placeholders[1]):
            problems.append(
                f"{where}: {en[:60]!r}: the Chinese shows {placeholders[1]}, "
                f"the English {placeholders[0]}"
            )
            continue
        pairs.append((en, zh))
    return pairs, problems


def master_form_messages(master: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """:func:`form_messages` over every test cell of the master notebook ``master``
    (problems prefixed with the cell's test function)."""
    nb = json.loads(Path(master).read_text(encoding="utf-8"))
    pairs, problems = [], []
    for src in _code_cells(nb):
        if "# BEGIN TEST CONFIG" not in src:
            continue
        found, wrong = form_messages(src)
        name = re.search(r"def (\w+)\(", src)
        pairs += found
        problems += [f"{name.group(1) if name else 'test cell'}, {w}" for w in wrong]
    return pairs, problems


# --- running the solution -----------------------------------------------------------------
#: What each mistake of ``mistakes.yaml`` must have (its code too): name and hint, in English
#: and in Chinese.
MISTAKE_FIELDS = ("mistake", "hint", "mistake_zh", "hint_zh", "code")


def load_mistakes(source: Path) -> dict:
    path = Path(source) / "mistakes.yaml"
    if not path.exists():
        return {"compare": {}}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    data.setdefault("compare", {})
    for q, items in data.items():
        if q == "compare":
            continue
        for i, m in enumerate(items or []):
            absent = [f for f in MISTAKE_FIELDS if not str(m.get(f) or "").strip()]
            if absent:
                raise KeyError_(
                    f"{path}: {q}, mistake {i + 1} ({m.get('mistake')!r}) has no {absent}: "
                    "every mistake needs its name and hint in English and in Chinese."
                )
    return data


def _code_cells(nb: dict):
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        yield src


def _runnable(src: str) -> str:
    keep = []
    for line in src.splitlines():
        s = line.strip()
        if s.startswith(("%", "!")) or "otter" in s or s.startswith("grader."):
            continue
        keep.append(line)
    return "\n".join(keep)


def _snapshot(ns: dict) -> dict:
    out = {}
    for k, v in ns.items():
        if isinstance(v, (types.ModuleType, types.FunctionType, type)) or k.startswith("__"):
            out[k] = v
            continue
        try:
            out[k] = copy.deepcopy(v)
        except Exception:  # noqa: BLE001 - an object that cannot be copied is shared
            out[k] = v
    return out


@contextlib.contextmanager
def _agg_backend():
    """Plots of a solution go nowhere; the environment is restored afterwards (a
    MPLBACKEND left set would reach the Jupyter kernels started later by this process and
    take their inline figures away)."""
    old = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = "Agg"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = old


@contextlib.contextmanager
def _in_folder(folder: Path):
    old = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(old)


def compute_key(
    solution: Path, questions: dict[str, list[str]], mistakes: dict, *, strict: bool = True
) -> dict:
    """Run the solution notebook ``solution`` (in its folder, next to its data) and return
    ``{question: {"answers": {var: value}, "mistakes": [{mistake, hint, values}]}}``.

    ``questions`` maps each question to its answer variables (the public tests'
    parameters). With ``strict`` (the committed edition) a mistake that gives the right
    answer is an error; otherwise (a variant's data) it is left out."""
    nb = json.loads(Path(solution).read_text(encoding="utf-8"))
    ns: dict = {"__name__": "__main__"}
    key: dict = {}
    with (
        _in_folder(Path(solution).parent),
        _agg_backend(),
        contextlib.redirect_stdout(open(os.devnull, "w")),
    ):
        for src in _code_cells(nb):
            checked = _CHECK.findall(src)
            code = _runnable(src)
            if code.strip():
                try:
                    exec(compile(code, f"<{Path(solution).name}>", "exec"), ns)  # noqa: S102
                except Exception as exc:
                    raise KeyError_(f"the solution of {solution.name} fails: {exc!r}") from exc
            for q in checked:
                if q not in questions:
                    continue
                names = questions[q]
                missing = [n for n in names if n not in ns]
                if missing:
                    raise KeyError_(f"{q}: the solution sets no {missing}")
                answers = {n: plain(ns[n]) for n in names}
                found = []
                for m in mistakes.get(q, []) or []:
                    other = _snapshot(ns)
                    try:
                        exec(compile(m["code"], f"<mistake {q}>", "exec"), other)  # noqa: S102
                    except Exception as exc:
                        raise KeyError_(
                            f"{q}: mistake {m['mistake']!r} does not run: {exc!r}"
                        ) from exc
                    values = {}
                    for n in names:
                        v = plain(other[n])
                        if not _finite(v):
                            continue  # a NaN answer matches nothing: no diagnosis
                        if not same(v, answers[n], mistakes["compare"].get(n)):
                            values[n] = v
                    if not values and not strict:
                        continue
                    if not values:
                        raise KeyError_(
                            f"{q}: mistake {m['mistake']!r} gives the right answer for "
                            f"every variable of the question"
                        )
                    found.append(
                        {
                            "mistake": m["mistake"],
                            "hint": m["hint"],
                            "mistake_zh": m.get("mistake_zh", ""),
                            "hint_zh": m.get("hint_zh", ""),
                            "form_hint": list(m.get("form_hint", [])),
                            "values": values,
                        }
                    )
                key[q] = {"answers": answers, "mistakes": found}
    absent = sorted(set(questions) - set(key))
    if absent:
        raise KeyError_(f"no grader.check cell ran for {absent} in {solution.name}")
    unknown = sorted(set(mistakes) - {"compare"} - set(questions))
    if unknown:
        raise KeyError_(f"mistakes.yaml names questions without checks: {unknown}")
    return key


# --- the generated tests ------------------------------------------------------------------
def value_tests(question: str, entry: dict, compare: dict, *, hidden: bool) -> str:
    """Source of the value tests of ``question`` (to append to its otter test file).

    Messages exist in English and Chinese. The public checks (``hidden=False``: a student's
    ``grader.check``) show the language of ``CRMLAB_LANG`` (``en`` or ``zh``), both (English
    first) when it is not set, as the bilingual prompts do; the hidden tests of the
    autograder speak English (the gradebook reads their mistake names)."""
    out = []
    for name, want in entry["answers"].items():
        spec = compare.get(name) or {}
        atol, rtol = _tolerance(want, spec)
        ordered = bool(spec.get("ordered", True))
        diagnoses = [
            (
                f"{m['mistake']}: {m['hint']}",
                f"{m.get('mistake_zh') or m['mistake']}：{m.get('hint_zh') or m['hint']}",
                m["values"][name],
            )
            for m in entry["mistakes"]
            if name in m["values"]
        ]
        # one message per distinct wrong value (two mistakes may give the same value)
        merged: list[list] = []
        for en, zh, value in diagnoses:
            for item in merged:
                if same(value, item[2], spec):
                    item[0] += " Or: " + en
                    item[1] += " 或者：" + zh
                    break
            else:
                merged.append([en, zh, value])
        decorator = (
            "@test_case(points=None, hidden=True)"
            if hidden
            else '@test_case(points=0, hidden=False, success_message="' + f'{name}: right value.")'
        )
        out.append(
            f"""
{decorator}
def test_{question}_{name}_value({name}):
    _CRM_LANG = {"en" if hidden else None!r}
{_indent(SAY_SOURCE)}
{_indent(SAME_SOURCE)}
    want = {want!r}
    if _crm_same({name}, want, {atol!r}, {rtol!r}, {ordered!r}):
        return
    for en, zh, value in {[tuple(m) for m in merged]!r}:
        if _crm_same({name}, value, {atol!r}, {rtol!r}, {ordered!r}):
            raise AssertionError(_crm_say({name!r} + " looks like a common mistake: " + en,
                                          {name!r} + " 像一个常见错误：" + zh))
    problem = _crm_form({name!r}, {name}, want)
    assert problem is None, problem
    raise AssertionError(_crm_say(
        {name!r} + " has the right form but not the right value: read the question's "
        "definitions again.",
        {name!r} + " 形式正确，但数值不对：请再读一遍题目中的定义。"))
"""
        )
    return "".join(out)


def _indent(text: str) -> str:
    return "\n".join(("    " + line) if line.strip() else "" for line in text.splitlines())


def _finite(v) -> bool:
    if isinstance(v, float):
        return math.isfinite(v)
    if isinstance(v, list):
        return all(_finite(x) for x in v)
    if isinstance(v, dict):
        return all(_finite(x) for x in v.values())
    return True


def nan_free(key: dict) -> None:
    """Refuse a key with NaN or infinite values (a test could never pass)."""

    def walk(v, where):
        if isinstance(v, float) and not math.isfinite(v):
            raise KeyError_(f"{where} is {v}: the solution gives no finite value")
        if isinstance(v, list):
            for i, x in enumerate(v):
                walk(x, f"{where}[{i}]")
        if isinstance(v, dict):
            for k, x in v.items():
                walk(x, f"{where}[{k!r}]")

    for q, entry in key.items():
        for n, v in entry["answers"].items():
            walk(v, f"{q}: {n}")
