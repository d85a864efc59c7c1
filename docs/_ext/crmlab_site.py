"""Sphinx glue for the CRM Lab website: the sidebar, the glossary page and math as MathML.

- **Sidebar.** The root page's toctrees are generated from the documents Sphinx found
  (``include_patterns`` in ``conf.py``), sorted into sections in chapter order. Every
  page lands in exactly one section, so a new page (a Chinese notebook, a claims ledger
  under ``docs/``) appears without editing anything, and none is left out of the sidebar.
- **Glossary.** The ``crmlab-glossary`` directive renders ``crmlab.glossary.glossary()``
  as a table, with whatever columns that function returns.
- **Math.** ``$...$`` in Markdown cells becomes MathML when the site is built
  (``latex2mathml``), which browsers draw natively: no MathJax, nothing fetched online.
"""

from __future__ import annotations

import html
import re

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

# (caption, rule) in sidebar order; the first rule that matches a document name wins.
SECTIONS: list[tuple[str, re.Pattern]] = [
    ("Start · 开始", re.compile(r"^(README|docs/(zh/)?course)$")),
    ("Chapters · 章节", re.compile(r"^notebooks/\d\d_[^/]+$")),
    ("中文版 · Chinese edition", re.compile(r"^notebooks/zh/\d\d_[^/]+$")),
    ("Exercises · 练习", re.compile(r"^exercises/(README|\d\d_[^/]+/student/[^/]+)$")),
    ("Data · 数据", re.compile(r"^datasets/[^/]+$")),
    ("Reference · 参考", re.compile(r"^docs/(zh/)?(glossary|vocabulary)$")),
    ("Appendix · 附录", re.compile(r"^docs/(zh/)?[^/]*claim[^/]*$")),
]
OTHER = "More · 其他"
# pages that come first within their section; the rest follow in name order
FIRST = {"README": 0, "docs/course": 1, "docs/zh/course": 2, "exercises/README": 0}
FIRST_DATA = "datasets/company"
# sidebar titles for pages whose own title would repeat the site's
TITLES = {"README": "Getting started · 开始使用"}


def _order(docname: str) -> tuple:
    return (FIRST.get(docname, 9), docname != FIRST_DATA, docname)


def sections(docnames, root: str) -> list[tuple[str, list[str]]]:
    """Group ``docnames`` (all but ``root``) into the sidebar's sections, in order."""
    groups: dict[str, list[str]] = {caption: [] for caption, _ in SECTIONS}
    groups[OTHER] = []
    for name in docnames:
        if name == root:
            continue
        caption = next((c for c, rule in SECTIONS if rule.match(name)), OTHER)
        groups[caption].append(name)
    return [(c, sorted(names, key=_order)) for c, names in groups.items() if names]


def _toctrees(app) -> str:
    root = app.config.root_doc
    out = []
    for caption, names in sections(app.env.found_docs, root):
        entries = "\n".join(
            f"{TITLES[name]} </{name}>" if name in TITLES else f"/{name}" for name in names
        )
        out.append(f"\n```{{toctree}}\n:caption: {caption}\n:maxdepth: 1\n\n{entries}\n```\n")
    return "".join(out)


def _on_source_read(app, docname: str, source: list[str]) -> None:
    if docname == app.config.root_doc:
        source[0] = source[0] + "\n" + _toctrees(app)


def _always_reread_root(app, env, added, changed, removed) -> list[str]:
    # the sidebar depends on which files exist, so the root page is read on every build
    return [app.config.root_doc]


# --- glossary ---------------------------------------------------------------------------
class GlossaryTable(SphinxDirective):
    """``crmlab-glossary``: the course's terms as a table (every column of ``glossary()``)."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        from crmlab.glossary import glossary

        frame = glossary()
        table = nodes.table(classes=["crmlab-glossary"])
        group = nodes.tgroup(cols=len(frame.columns))
        table += group
        for _ in frame.columns:
            group += nodes.colspec(colwidth=1)
        head = nodes.thead()
        group += head
        head += self._row(frame.columns)
        body = nodes.tbody()
        group += body
        for values in frame.itertuples(index=False):
            body += self._row(values)
        return [table]

    @staticmethod
    def _row(values) -> nodes.row:
        row = nodes.row()
        for value in values:
            entry = nodes.entry()
            entry += nodes.paragraph(text="" if value is None else str(value))
            row += entry
        return row


# --- math as MathML -------------------------------------------------------------------
def _mathml(self, node, display: bool) -> str:
    from latex2mathml.converter import convert

    latex = node.astext()
    try:
        return convert(latex, display="block" if display else "inline")
    except Exception as err:  # a formula latex2mathml cannot read: say where, show the TeX
        logger.warning("cannot convert math %r to MathML: %s", latex, err, location=node)
        return f"<code>{html.escape(latex)}</code>"


def _visit_inline(self, node) -> None:
    self.body.append(f'<span class="math notranslate">{_mathml(self, node, False)}</span>')
    raise nodes.SkipNode


def _visit_block(self, node) -> None:
    if node.get("number"):
        self.body.append(f'<span class="eqno">({node["number"]})</span>')
    self.body.append(f'<div class="math notranslate">{_mathml(self, node, True)}</div>')
    raise nodes.SkipNode


def setup(app) -> dict:
    app.connect("source-read", _on_source_read)
    app.connect("env-get-outdated", _always_reread_root)
    app.add_directive("crmlab-glossary", GlossaryTable)
    app.add_html_math_renderer("mathml", (_visit_inline, None), (_visit_block, None))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
