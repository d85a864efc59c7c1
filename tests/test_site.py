"""The website (``make site``): it builds with warnings as errors, every notebook, student
exercise, datasheet and note has a page, in chapter order, with its stored figures and its
formulas, no exercise master reaches it, and every internal link resolves (checked offline).

The expected values (pages, figures, formulas, order) are read from the source files
themselves, independently of Sphinx.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_site = _load("check_site", ROOT / "docs" / "check_site.py")
crmlab_site = _load("crmlab_site", ROOT / "docs" / "_ext" / "crmlab_site.py")


def _notebooks() -> list[Path]:
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + sorted(
        (ROOT / "notebooks" / "zh").glob("[0-9][0-9]_*.ipynb")
    )


def _students() -> list[Path]:
    return sorted(ROOT.glob("exercises/[0-9][0-9]_*/student/*.ipynb"))


def _pages() -> list[Path]:
    """Every source file that must become a page."""
    docs = [p for p in (ROOT / "docs").rglob("*") if p.suffix in {".md", ".ipynb"}]
    return (
        [ROOT / "README.md", ROOT / "exercises" / "README.md"]
        + _notebooks()
        + _students()
        + sorted((ROOT / "datasets").glob("*.md"))
        + sorted(p for p in docs if not p.relative_to(ROOT / "docs").parts[0].startswith("_"))
    )


def _html(site: Path, source: Path) -> Path:
    return site / source.relative_to(ROOT).with_suffix(".html")


def _png_outputs(path: Path) -> int:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return sum(
        "image/png" in out.get("data", {})
        for cell in nb["cells"]
        if cell["cell_type"] == "code"
        for out in cell.get("outputs", [])
    )


def _formulas(path: Path) -> int:
    """``$...$`` and ``$$...$$`` spans in the Markdown cells (as Jupyter reads them)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    display = re.findall(r"\$\$.+?\$\$", text, flags=re.S)
    inline = re.findall(r"\$[^$\n]+?\$", re.sub(r"\$\$.+?\$\$", " ", text, flags=re.S))
    return len(display) + len(inline)


def test_the_site_builds_without_a_warning(site_build):
    # -W turns warnings into errors and -q prints nothing else: stderr must be empty
    assert site_build.returncode == 0, site_build.stderr[-3000:]
    assert site_build.stderr.strip() == ""


def test_every_source_has_a_page_and_no_master_does(site):
    missing = [p.relative_to(ROOT).as_posix() for p in _pages() if not _html(site, p).is_file()]
    assert not missing
    assert len(_notebooks()) >= 6 and len(_students()) >= 7
    on_site = [p.relative_to(site).as_posix() for p in site.rglob("*")]
    assert not [p for p in on_site if re.match(r"(_sources/)?exercises/[^/]+/source/", p)]
    assert (site / "index.html").is_file()


@pytest.mark.parametrize("notebook", _notebooks(), ids=lambda p: p.name)
def test_each_notebook_page_shows_its_stored_figures(site, notebook):
    html = _html(site, notebook).read_text(encoding="utf-8")
    images = re.findall(r'<img [^>]*src="(\.\./)+_images/[^"]+\.png"', html)
    assert len(images) == _png_outputs(notebook) > 0


@pytest.mark.parametrize("student", _students(), ids=lambda p: p.name)
def test_formulas_become_mathml(site, student):
    html = _html(site, student).read_text(encoding="utf-8")
    assert html.count("<math ") == _formulas(student)
    assert not re.search(r"<script[^>]*mathjax", html, flags=re.I)  # nothing fetched to draw them


def test_sidebar_lists_the_chapters_in_order_before_exercises_and_data(site):
    html = (site / "docs" / "index.html").read_text(encoding="utf-8")
    start = html.index("bd-docs-nav")
    nav = html[start : html.index("</nav>", start)]
    links = re.findall(r'<a class="reference internal" href="([^"#]+)"', nav)
    chapters = [
        f"../notebooks/{p.stem}.html" for p in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
    ]
    found = [link for link in links if link in chapters]
    assert found == chapters  # 00, 01, ... in file-name order, each once
    first_exercise = next(i for i, link in enumerate(links) if "/student/" in link)
    first_data = next(i for i, link in enumerate(links) if link.startswith("../datasets/"))
    assert links.index(chapters[-1]) < first_exercise < first_data


def test_pages_name_a_cjk_font_stack(site):
    css = (site / "_static" / "crmlab.css").read_text(encoding="utf-8")
    for family in ('"Noto Sans CJK SC"', '"PingFang SC"', '"Microsoft YaHei"'):
        assert family in css
    page = _html(site, ROOT / "notebooks" / "00_why_crm.ipynb").read_text(encoding="utf-8")
    assert "_static/crmlab.css" in page


def test_internal_links_resolve_offline(site):
    problems, counts = check_site.check(site)
    assert problems == []
    assert counts["pages"] >= len(_pages())
    assert counts["images"] >= sum(_png_outputs(p) for p in _notebooks())


def test_link_checker_catches_each_kind_of_fault(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/page.html#here">ok</a> <a href="a/page.html#nowhere">bad id</a>'
        '<a href="missing.html">gone</a> <img src="a/none.png">'
        '<a href="https://example.org/x">external, not fetched</a>'
        '<a href="../../outside.html">out</a> <p>a formula left as \\frac{1}{2}</p>'
        "<code>\\frac in code is fine</code>",
        encoding="utf-8",
    )
    (tmp_path / "a" / "page.html").write_text('<h1 id="here">x</h1>', encoding="utf-8")
    master = tmp_path / "exercises" / "00_x" / "source"
    master.mkdir(parents=True)
    (master / "00_x.html").write_text("<pre># BEGIN SOLUTION</pre><p>BEGIN TESTS</p>")
    problems, counts = check_site.check(tmp_path)
    text = "\n".join(problems)
    assert "'a/page.html#nowhere': no id 'nowhere'" in text
    assert "'missing.html': no such file" in text
    assert "'a/none.png': no such file" in text
    assert "'../../outside.html' leaves the site" in text
    assert "LaTeX left unconverted" in text and text.count("LaTeX") == 1
    assert "exercises/00_x/source/00_x.html: an exercise master is on the site" in text
    assert "'BEGIN TESTS'" in text
    assert len(problems) == 7
    assert counts["external"] == 1 and counts["pages"] == 3


def test_sidebar_sections_place_every_kind_of_page():
    names = [
        "docs/index",
        "notebooks/01_b",
        "notebooks/00_a",
        "notebooks/zh/00_a",
        "exercises/00_a/student/00_a",
        "exercises/README",
        "datasets/telco_churn",
        "datasets/company",
        "datasets/bfi",
        "docs/vocabulary",
        "docs/glossary",
        "docs/claims",
        "docs/zh/course",
        "docs/course",
        "README",
        "docs/something_new",
    ]
    assert crmlab_site.sections(names, root="docs/index") == [
        ("Start · 开始", ["README", "docs/course", "docs/zh/course"]),
        ("Chapters · 章节", ["notebooks/00_a", "notebooks/01_b"]),
        ("中文版 · Chinese edition", ["notebooks/zh/00_a"]),
        ("Exercises · 练习", ["exercises/README", "exercises/00_a/student/00_a"]),
        ("Data · 数据", ["datasets/company", "datasets/bfi", "datasets/telco_churn"]),
        ("Reference · 参考", ["docs/glossary", "docs/vocabulary"]),
        ("Appendix · 附录", ["docs/claims"]),
        ("More · 其他", ["docs/something_new"]),
    ]
