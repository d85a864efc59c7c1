"""Offline checks of the built website (``make site`` runs them on ``build/site/``).

- every relative link and image (``href``/``src`` of ``a``, ``img``, ``link``, ``script``,
  ``source``) points at a file inside the site, and every ``#fragment`` at an id on the
  target page;
- no exercise master reached the site (no ``exercises/*/source`` page, no otter
  solution or test markers in any page);
- no LaTeX was left unconverted in the text of a page (a ``\\frac`` outside code means a
  formula the Markdown parser did not recognise).

External URLs (``http:``, ``https:``, ``mailto:``) are counted, never fetched: the site is
checked offline. Usage: ``python docs/check_site.py build/site``; exit 1 on any problem.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINK_ATTRS = {"a": "href", "img": "src", "link": "href", "script": "src", "source": "src"}
EXTERNAL = ("http", "https", "mailto", "data", "javascript", "tel")
MASTER_MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN TESTS", "BEGIN HIDDEN TESTS")
TEX = re.compile(r"\\(frac|left|right|sum|prod|sqrt|le|ge|leq|geq|cdot|times|mathrm|text)\b")
SKIP_TEXT_IN = {"code", "pre", "script", "style", "math", "kbd", "samp", "textarea"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []  # (tag, url)
        self.ids: set[str] = set()
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key):
                self.ids.add(attrs[key])
        attr = LINK_ATTRS.get(tag)
        if attr and attrs.get(attr) is not None:
            self.links.append((tag, attrs[attr]))
        if tag in SKIP_TEXT_IN:
            self._skip += 1

    def handle_endtag(self, tag) -> None:
        if tag in SKIP_TEXT_IN and self._skip:
            self._skip -= 1

    def handle_data(self, data) -> None:
        if not self._skip:
            self.text.append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def check(site: Path) -> tuple[list[str], dict[str, int]]:
    """Return (problems, counts) for the site in folder ``site``."""
    site = Path(site).resolve()
    # _static/ holds the theme's Jinja macro files (.html, not pages): not checked
    pages = sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "_static")
    if not (site / "index.html").is_file():
        return [f"{site}/index.html is missing: build the site first (make site)"], {}
    parsed = {p: _parse(p) for p in pages}
    problems: list[str] = []
    counts = {"pages": len(pages), "internal": 0, "external": 0, "images": 0}
    for path, page in parsed.items():
        rel = path.relative_to(site).as_posix()
        if re.match(r"exercises/[^/]+/source/", rel):
            problems.append(f"{rel}: an exercise master is on the site")
        text = " ".join(page.text)
        for marker in MASTER_MARKERS:
            if marker in text:
                problems.append(f"{rel}: contains the otter marker {marker!r} (a master?)")
        tex = TEX.search(text)
        if tex:
            around = text[max(0, tex.start() - 40) : tex.end() + 40].replace("\n", " ")
            problems.append(f"{rel}: LaTeX left unconverted: ...{around}...")
        for tag, url in page.links:
            parts = urlsplit(url)
            if parts.scheme in EXTERNAL or url.startswith("//"):
                counts["external"] += 1
                continue
            if parts.scheme:
                problems.append(f"{rel}: <{tag}> points at {url!r} (scheme {parts.scheme!r})")
                continue
            counts["internal"] += 1
            counts["images"] += tag == "img"
            target = path if not parts.path else (path.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_relative_to(site):
                problems.append(f"{rel}: <{tag}> {url!r} leaves the site")
            elif not target.is_file():
                problems.append(f"{rel}: <{tag}> {url!r}: no such file")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{rel}: <{tag}> {url!r}: no id {parts.fragment!r} there")
    return problems, counts


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    site = Path(argv[0] if argv else "build/site")
    problems, counts = check(site)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{site}: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(
        f"{site}: {counts['pages']} pages, {counts['internal']} internal links and images "
        f"({counts['images']} images) all resolve; {counts['external']} external URLs "
        "not fetched (offline check)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
