"""Give the form checks of an exercise master their Chinese messages.

The public form checks written in a master (``exercises/NN_slug/source/NN_slug.ipynb``)
write each message in English and Chinese, ``_crm_say(english, chinese)``; the build
refuses a master where one has no Chinese (``crmlab.grading.keys.master_form_messages``).
This tool rewrites a master whose checks give plain English messages::

    python tools/bilingual_checks.py exercises/06_x/source/06_x.ipynb --table zh.yaml

- the usual messages (``x: not answered yet...``, ``x should be one number, got T.``, a
  letter or a name in quotes) get their Chinese from the patterns below;
- every other message needs its Chinese in the table ``zh.yaml`` (``english: 中文``,
  f-string placeholders such as ``{len(ids)}`` kept as they are, literal braces doubled).
  A message not in the table is an error: the tool writes the missing ones into the
  table with an empty Chinese text, for you to fill in, and changes nothing;
- with every message known, each ``assert ..., "..."`` and ``raise AssertionError("...")``
  of the test cells becomes ``assert ..., _crm_say("...", "……")`` (the rest of the cell
  unchanged), and the master gets the ``# IGNORE`` cell that defines ``_crm_say`` when the
  master is run by hand (otter assign leaves it out of the student notebook).

Rebuild the exercise afterwards (``make exercises``).
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import re
import sys
import unicodedata
from pathlib import Path

import yaml

from crmlab.grading import keys

_V = r"(?P<v>[A-Za-z_][A-Za-z0-9_]*)"
_T = r"\{type\((?P=v)\)\.__name__\}"
#: (English pattern, Chinese) of the messages every master repeats; {v} is the variable
PATTERNS = [
    (
        rf"{_V}: not answered yet: replace the \.\.\. with your computation\.",
        "{v}：还没有作答：把 ... 换成你的计算。",
    ),
    (rf"{_V}: not answered yet\.", "{v}：还没有作答。"),
    (
        rf"{_V}: not answered yet: replace the \.\.\. with a letter in quotes\.",
        "{v}：还没有作答：把 ... 换成加引号的字母。",
    ),
    (
        rf"{_V}: not answered yet: replace the \.\.\. with a name in quotes\.",
        "{v}：还没有作答：把 ... 换成加引号的名称。",
    ),
    (
        rf"{_V}: not answered yet: replace the \.\.\. with a list of names\.",
        "{v}：还没有作答：把 ... 换成名称的列表。",
    ),
    (
        rf"{_V}: not answered yet: replace the \.\.\. with your answer\.",
        "{v}：还没有作答：把 ... 换成你的答案。",
    ),
    (
        rf"{_V} should be one number, got {_T}\.",
        "{v} 应为一个数，得到的是 {{type({v}).__name__}}。",
    ),
    (
        rf"{_V} should be one number \(a count\), got {_T}\.",
        "{v} 应为一个数（计数），得到的是 {{type({v}).__name__}}。",
    ),
    (
        rf'{_V} should be a string such as "A" \(with quotes\), got {_T}\.',
        '{v} 应为 "A" 这样的字符串（带引号），得到的是 {{type({v}).__name__}}。',
    ),
    (
        rf'{_V} should be one of "A", "B", "C", "D", got \{{(?P=v)!r\}}\.',
        '{v} 应为 "A"、"B"、"C"、"D" 之一，得到的是 {{{v}!r}}。',
    ),
    (
        rf"{_V} should be a string such as 'true' \(with quotes\), got {_T}\.",
        "{v} 应为 'true' 这样的字符串（带引号），得到的是 {{type({v}).__name__}}。",
    ),
    (
        rf"{_V} should be one of \{{allowed\}}, got \{{(?P=v)!r\}}\.",
        "{v} 应为 {{allowed}} 之一，得到的是 {{{v}!r}}。",
    ),
    (
        rf"{_V} should be a string such as 'A', got {_T}\.",
        "{v} 应为 'A' 这样的字符串，得到的是 {{type({v}).__name__}}。",
    ),
    (
        rf"{_V} should be one of (?P<letters>\[[A-Z', ]+\]), got \{{(?P=v)!r\}}\. "
        r"Give one letter as a string, e\.g\. 'A'\.",
        "{v} 应为 {letters} 之一，得到的是 {{{v}!r}}。用字符串给出一个字母，例如 'A'。",
    ),
]
IGNORE_CELL = """# IGNORE: the build leaves this cell out (each test file gets its own _crm_say).
# For running this master by hand: the form checks below give their messages in the
# language of CRMLAB_LANG (en or zh; both when it is not set), as in the student notebook.
from crmlab.grading.keys import crm_say as _crm_say"""
_END = '""" # END TEST CONFIG\n'
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{[^{}]*\}")
WIDTH = 100


def template(node: ast.expr) -> str:
    """A message's text: literal braces doubled, f-string placeholders as ``{source}``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.replace("{", "{{").replace("}", "}}")
    if isinstance(node, ast.JoinedStr):
        out = []
        for v in node.values:
            if isinstance(v, ast.Constant):
                out.append(v.value.replace("{", "{{").replace("}", "}}"))
            else:
                conv = {-1: "", 114: "!r", 115: "!s", 97: "!a"}[v.conversion]
                spec = "" if v.format_spec is None else ":" + template(v.format_spec)
                out.append("{" + ast.unparse(v.value) + conv + spec + "}")
        return "".join(out)
    raise ValueError(f"a message that is not a string: {ast.unparse(node)}")


def chinese(english: str, table: dict[str, str]) -> str | None:
    """The Chinese of ``english``: from the patterns, else the table (None if neither)."""
    for pattern, zh in PATTERNS:
        m = re.fullmatch(pattern, english)
        if m:
            return zh.format(**m.groupdict())
    return (table.get(english) or "").strip() or None


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _literal(chunk: str) -> str:
    is_f = any(p not in ("{{", "}}") for p in _PLACEHOLDER.findall(chunk))
    text = chunk if is_f else chunk.replace("{{", "{").replace("}}", "}")
    quote = "'" if '"' in text and "'" not in text else '"'
    if quote == '"':
        text = text.replace('"', '\\"')
    return ("f" if is_f else "") + quote + text + quote


def _lines(text: str, width: int, zh: bool) -> list[str]:
    """``text`` as string literals of at most ``width`` columns (placeholders kept whole;
    English broken after spaces, Chinese after punctuation)."""
    tokens, pos = [], 0
    for m in _PLACEHOLDER.finditer(text):
        if m.group() in ("{{", "}}"):
            continue
        tokens += _split(text[pos : m.start()], zh) + [m.group()]
        pos = m.end()
    tokens += _split(text[pos:], zh)
    chunks, cur = [], ""
    for tok in tokens:
        if cur and _width(_literal(cur + tok)) > width:
            chunks.append(cur)
            cur = tok
        else:
            cur += tok
    return [_literal(c) for c in chunks + [cur] if c]


def _split(text: str, zh: bool) -> list[str]:
    return [t for t in re.split(r"(?<=[，。；：、）])" if zh else r"(?<= )", text) if t]


def _messages(body: str):
    """The messages of ``body``'s checks not yet given as ``_crm_say(english, chinese)``."""
    for node, msg in keys.message_nodes(body):
        if msg is None:
            continue
        if not (isinstance(msg, ast.Call) and getattr(msg.func, "id", None) == "_crm_say"):
            yield node, msg


def _render(stmt, msg, body: str, zh: str) -> str:
    indent = " " * stmt.col_offset
    en = template(msg)
    if isinstance(stmt, ast.Assert):
        test = ast.get_source_segment(body, stmt.test)
        if "\n" in test:
            test = "(" + " ".join(test.split()) + ")"
        head, tail = f"{indent}assert {test}, _crm_say(", ")"
    else:
        head, tail = f"{indent}raise AssertionError(_crm_say(", "))"
    one = f"{head}{_literal(en)}, {_literal(zh)}{tail}"
    if _width(one) <= WIDTH:
        return one
    inner = indent + "    "
    en_lines = _lines(en, WIDTH - len(inner) - 2, zh=False)
    zh_lines = _lines(zh, WIDTH - len(inner) - 2, zh=True)
    return "\n".join(
        [head]
        + [inner + line for line in en_lines[:-1]]
        + [inner + en_lines[-1] + ","]
        + [inner + line for line in zh_lines[:-1]]
        + [inner + zh_lines[-1] + tail]
    )


def convert_cell(source: str, table: dict[str, str]) -> tuple[str, list[str]]:
    """A test cell with its plain messages made bilingual, and the English messages that
    have no Chinese (then the cell is returned unchanged)."""
    if _END not in source:
        return source, []
    head, body = source.split(_END, 1)
    found = [(stmt, msg, template(msg)) for stmt, msg in _messages(body)]
    missing = [en for _, _, en in found if chinese(en, table) is None]
    if missing:
        return source, missing
    lines = body.split("\n")
    for stmt, msg, en in sorted(found, key=lambda f: -f[0].lineno):
        new = _render(stmt, msg, body, chinese(en, table))
        lines[stmt.lineno - 1 : stmt.end_lineno] = new.split("\n")
    return head + _END + "\n".join(lines), []


def _source_lines(text: str) -> list[str]:
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def convert_master(master: Path, table: dict[str, str]) -> tuple[dict, list[str]]:
    """The master notebook (as JSON data) with bilingual form checks and the ``# IGNORE``
    cell, and the English messages without Chinese (then nothing is changed)."""
    nb = json.loads(Path(master).read_text(encoding="utf-8"))
    missing, converted = [], []
    for cell in nb["cells"]:
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] != "code" or "# BEGIN TEST CONFIG" not in src:
            continue
        new, lacking = convert_cell(src, table)
        missing += [m for m in lacking if m not in missing]
        converted.append((cell, new))
    if missing:
        return nb, missing
    for cell, new in converted:
        cell["source"] = _source_lines(new)
    if not any("".join(c["source"]).startswith("# IGNORE") for c in nb["cells"]):
        at = next(i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code")
        cell_id = hashlib.sha1(f"ignore {Path(master).name}".encode()).hexdigest()[:8]
        nb["cells"].insert(
            at,
            {
                "cell_type": "code",
                "execution_count": None,
                "id": cell_id,
                "metadata": {},
                "outputs": [],
                "source": _source_lines(IGNORE_CELL),
            },
        )
    return nb, []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("master", type=Path)
    parser.add_argument("--table", type=Path, help="YAML file: English message -> Chinese")
    args = parser.parse_args(argv)
    table = {}
    if args.table and args.table.exists():
        table = yaml.safe_load(args.table.read_text(encoding="utf-8")) or {}
    nb, missing = convert_master(args.master, table)
    if missing:
        print(f"{len(missing)} messages have no Chinese text:", file=sys.stderr)
        for m in missing:
            print(f"  {m}", file=sys.stderr)
        if args.table:
            table.update({m: "" for m in missing})
            args.table.write_text(
                yaml.safe_dump(table, allow_unicode=True, sort_keys=False, width=1000), "utf-8"
            )
            print(f"written into {args.table} with an empty Chinese text: fill them in")
        return 1
    text = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
    args.master.write_text(text, encoding="utf-8")
    print(f"{args.master}: every form check speaks English and Chinese")
    return 0


if __name__ == "__main__":
    sys.exit(main())
