"""Rebuild the Chinese edition of a notebook after its English edition changed.

Every chapter notebook ``notebooks/NN_x.ipynb`` may have a Chinese edition
``notebooks/zh/NN_x.ipynb``: the same cells, with the same cell ids, in the same order; the
code cells identical to the English ones (``tests/test_editions.py`` fails on any
difference), the markdown cells translated. When someone changes the English notebook, run

    python tools/sync_editions.py notebooks/02_segmentation.ipynb

and the Chinese edition is rebuilt from the English one:

- **code cells** are the English cells. A code cell whose id and source are unchanged keeps
  the Chinese edition's stored outputs; a new or changed one is copied without outputs, and
  the tool says so: re-execute the Chinese edition
  (``python -m crmlab.cli notebooks notebooks/zh/02_segmentation.ipynb``) and run nbval on it;
- **markdown cells** keep their Chinese text, found by cell id (never by position), so
  English cells may move, and code cells come and go, without losing a translation;
- the **notebook metadata** (kernel, language_info) are the English edition's.

An English markdown cell with no Chinese text (a new cell, or a cell whose id changed) is
an error: the tool lists each such cell (id and first line) and writes nothing. Give the
translations in a text file with ``--translations FILE``; each cell starts with a marker
line holding its id, and runs to the next marker::

    <!-- cell 0b795092 -->
    ## 2. 二八定律 · The 80/20 rule
    ...
    <!-- cell a377b5a9 -->
    **解读.** ...

A text in ``--translations`` replaces the Chinese edition's text of that cell (to revise a
translation after the English prose changed); a translation without a Chinese character is
refused (English text pasted by mistake). The same command builds a first Chinese edition
when ``notebooks/zh/NN_x.ipynb`` does not exist yet: then every markdown cell needs a
translation. Chinese markdown cells whose id is no longer in the English edition are
dropped, and listed. ``--check`` writes nothing and exits with status 1 if the Chinese
edition is not in step with the English one (cells, ids, code and metadata; whether the
stored outputs are current is nbval's check, not this one).

Exit status: 0 done (or in step, with ``--check``), 1 out of step (``--check``), 2 an error
(missing or non-Chinese translations, unknown cell ids in the translations file).
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

CJK = re.compile(r"[\u3400-\u9fff]")
MARKER = re.compile(r"^<!--\s*cell\s+(\S+)\s*-->\s*$")


class EditionError(ValueError):
    """The Chinese edition cannot be rebuilt: the message lists the cells to fix."""


@dataclass
class SyncResult:
    """The rebuilt Chinese notebook and what changed on the way."""

    notebook: nbformat.NotebookNode
    code_changed: list[str] = field(default_factory=list)  # ids of code cells without outputs
    dropped: list[str] = field(default_factory=list)  # Chinese markdown ids not in English


def zh_path_for(en_path: Path) -> Path:
    """``notebooks/NN_x.ipynb`` -> ``notebooks/zh/NN_x.ipynb``."""
    return en_path.parent / "zh" / en_path.name


def read_translations(path: Path) -> dict[str, str]:
    """Cell id -> markdown from a text file of ``<!-- cell ID -->`` blocks (see above)."""
    cells: dict[str, list[str]] = {}
    current: str | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = MARKER.match(line)
        if match:
            current = match.group(1)
            if current in cells:
                raise EditionError(f"{path}:{number}: cell {current} is given twice")
            cells[current] = []
        elif current is None:
            if line.strip():
                raise EditionError(
                    f"{path}:{number}: text before the first '<!-- cell ID -->' marker"
                )
        else:
            cells[current].append(line)
    return {key: "\n".join(lines).strip("\n") for key, lines in cells.items()}


def _first_line(source: str) -> str:
    line = next((s for s in source.splitlines() if s.strip()), "")
    return line if len(line) <= 70 else line[:67] + "..."


def sync(
    english: nbformat.NotebookNode,
    chinese: nbformat.NotebookNode | None,
    translations: dict[str, str] | None = None,
) -> SyncResult:
    """Build the Chinese edition of ``english``.

    ``chinese`` is the current Chinese edition (None for a first build); ``translations``
    maps cell ids to Chinese markdown and wins over ``chinese``. Raises
    :class:`EditionError` listing every English markdown cell with no Chinese text, every
    translation without Chinese characters and every translation id that is not an English
    markdown cell.
    """
    translations = dict(translations or {})
    old = {cell.get("id"): cell for cell in (chinese.cells if chinese is not None else [])}
    english_markdown = {c.id for c in english.cells if c.cell_type == "markdown"}
    problems = [
        f"  {key}: not a markdown cell of the English edition (in the translations)"
        for key in translations
        if key not in english_markdown
    ]
    problems += [
        f"  {key}: the translation has no Chinese characters: {_first_line(text)!r}"
        for key, text in translations.items()
        if key in english_markdown and not CJK.search(text)
    ]
    result = SyncResult(nbformat.v4.new_notebook())
    result.notebook.metadata = copy.deepcopy(english.metadata)
    result.notebook.nbformat = english.nbformat
    result.notebook.nbformat_minor = english.nbformat_minor
    for cell in english.cells:
        before = old.get(cell.id)
        if cell.cell_type == "markdown":
            text = translations.get(cell.id)
            if text is None and before is not None and before.cell_type == "markdown":
                text = before.source
            if text is None:
                problems.append(f"  {cell.id}: no Chinese text for {_first_line(cell.source)!r}")
                continue
            new = copy.deepcopy(before if before is not None else cell)
            if new.cell_type != "markdown":
                new = copy.deepcopy(cell)
            new.source = text
        elif cell.cell_type == "code":
            if before is not None and before.cell_type == "code" and before.source == cell.source:
                new = copy.deepcopy(before)
                new.metadata = copy.deepcopy(cell.metadata)
            else:
                new = copy.deepcopy(cell)
                new.outputs = []
                new.execution_count = None
                result.code_changed.append(cell.id)
        else:  # raw cells carry no prose to translate
            new = copy.deepcopy(cell)
        result.notebook.cells.append(new)
    result.dropped = [
        key
        for key, cell in old.items()
        if cell.cell_type == "markdown" and key not in english_markdown
    ]
    if problems:
        raise EditionError(
            "the Chinese edition cannot be rebuilt; fix these cells (give their Chinese "
            "text with --translations FILE):\n" + "\n".join(problems)
        )
    return result


def in_step(result: SyncResult, chinese: nbformat.NotebookNode | None) -> bool:
    """Whether ``chinese`` already is the rebuilt edition (cells and metadata)."""
    if chinese is None or result.code_changed or result.dropped:
        return False
    return result.notebook.metadata == chinese.metadata and [
        (c.id, c.cell_type, c.source) for c in result.notebook.cells
    ] == [(c.get("id"), c.cell_type, c.source) for c in chinese.cells]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Rebuild notebooks/zh/NN_x.ipynb from notebooks/NN_x.ipynb: English code "
        "cells, Chinese markdown kept by cell id.",
    )
    parser.add_argument("english", type=Path, help="the English notebook, notebooks/NN_x.ipynb")
    parser.add_argument("--zh", type=Path, help="the Chinese edition (default: <dir>/zh/<name>)")
    parser.add_argument(
        "--translations", type=Path, help="Chinese markdown for new or revised cells"
    )
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if out of step")
    args = parser.parse_args(argv)
    zh_path = args.zh or zh_path_for(args.english)
    english = nbformat.read(args.english, as_version=4)
    chinese = nbformat.read(zh_path, as_version=4) if zh_path.exists() else None
    try:
        translations = read_translations(args.translations) if args.translations else None
        result = sync(english, chinese, translations)
    except EditionError as err:
        print(f"{zh_path}: {err}", file=sys.stderr)
        return 2
    if args.check:
        if in_step(result, chinese):
            print(f"{zh_path}: in step with {args.english}")
            return 0
        print(f"{zh_path}: out of step with {args.english}; run tools/sync_editions.py")
        return 1
    zh_path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.validate(result.notebook)
    nbformat.write(result.notebook, zh_path)
    print(f"wrote {zh_path}")
    for key in result.dropped:
        print(f"  dropped Chinese cell {key}: its id is no longer in the English edition")
    if result.code_changed:
        print(
            f"  {len(result.code_changed)} code cell(s) new or changed, stored without outputs "
            f"({', '.join(result.code_changed)}): re-execute with "
            f"`python -m crmlab.cli notebooks {zh_path}` and run nbval on it"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
