"""List the numbers a notebook's prose quotes that no output of the notebook shows.

Usage::

    python tools/prose_numbers.py notebooks/02_segmentation.ipynb [more.ipynb ...]

For every markdown cell, each number with a decimal point, a thousands separator, a
percent sign or at least three digits is looked up in the text outputs of the code
cells (printed text, DataFrame reprs, execute results). A quoted number counts as found
when an output shows the same value at the precision the prose quotes:

- ``1,071`` matches ``1071`` or ``1,071``;
- ``84.2%`` matches an output ``84.2``/``84.23`` (a percentage) or ``0.842``/``0.8423``
  (a share), rounded to the prose's decimals;
- ``0.221`` matches ``0.2214`` (rounded to three decimals).

Years (1900-2099), ordinal list markers and numbers inside links or inline code are
skipped. What remains is a list to read by eye, not a verdict: a number from the course
sources (80/20, 5-10x) is not an output and is listed; a stale number after the data
changed is listed too, which is what the tool is for. Exit status 0 always.
"""

from __future__ import annotations

import json
import re
import sys
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

PROSE_NUMBER = re.compile(
    r"(?<![\w.])[-−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|(?<![\w.])[-−]?\d+(?:\.\d+)?%?"
)
OUTPUT_NUMBER = re.compile(r"[-−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-−]?\d+(?:\.\d+)?(?:e[-+]?\d+)?")
SKIP = re.compile(r"`[^`]*`|\]\([^)]*\)|<[^>]+>|\$[^$]*\$")


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "").replace("−", "-").rstrip("%"))
    except InvalidOperation:
        return None


def _outputs(cells: list[dict]) -> list[Decimal]:
    values: list[Decimal] = []
    for cell in cells:
        for out in cell.get("outputs", []):
            texts = []
            if "text" in out:
                texts.append("".join(out["text"]))
            data = out.get("data", {})
            if "text/plain" in data:
                texts.append("".join(data["text/plain"]))
            if "text/html" in data:
                texts.append(re.sub(r"<[^>]+>", " ", "".join(data["text/html"])))
            for text in texts:
                for token in OUTPUT_NUMBER.findall(text):
                    d = _decimal(token)
                    if d is not None and d.is_finite():
                        values.append(d)
    return values


def _matches(quoted: str, outputs: list[Decimal]) -> bool:
    value = _decimal(quoted)
    if value is None:
        return True
    digits = quoted.rstrip("%").replace(",", "")
    places = len(digits.split(".")[1]) if "." in digits else 0
    quantum = Decimal(1).scaleb(-places)
    candidates = {abs(value)}
    if quoted.endswith("%"):
        candidates.add(abs(value) / 100)
    for out in outputs:
        out = abs(out)
        for cand in candidates:
            cand_places = places + (2 if cand != abs(value) else 0)
            q = Decimal(1).scaleb(-cand_places) if cand != abs(value) else quantum
            for rounding in (ROUND_HALF_UP, ROUND_HALF_EVEN):
                if out.quantize(q, rounding=rounding) == cand:
                    return True
    return False


def _interesting(token: str) -> bool:
    plain = token.rstrip("%").replace(",", "").lstrip("-−")
    if re.fullmatch(r"(19|20)\d\d", plain):
        return False
    return "." in plain or "," in token or token.endswith("%") or len(plain) >= 3


def unmatched(path: Path) -> list[tuple[int, str]]:
    """(cell index, number) for every quoted number no output of the notebook shows."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    outputs = _outputs(cells)
    found = []
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "markdown":
            continue
        text = SKIP.sub(" ", "".join(cell["source"]))
        for token in PROSE_NUMBER.findall(text):
            token = token.rstrip(".")
            if _interesting(token) and not _matches(token, outputs):
                found.append((i, token))
    return found


def main(argv: list[str]) -> int:
    for name in argv:
        rows = unmatched(Path(name))
        print(f"{name}: {len(rows)} quoted numbers not found in any output")
        for i, token in rows:
            print(f"  cell {i}: {token}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
