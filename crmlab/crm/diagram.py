"""The entity-relationship diagram of the CRM, drawn with matplotlib from the schema.

The tables, their key columns and the foreign-key arrows come from DuckDB's catalogue of
``schema.sql`` (:func:`crmlab.crm.read_schema`), so the picture cannot drift from the
database. Only matplotlib is needed (no Graphviz program): the CRM's tables have fixed
places grouped by function (sales and marketing left, customers in the middle, orders and
money right, service below); a table the layout does not know goes in an extra row.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from crmlab.crm._catalog import Table, read_schema, schema_sql

__all__ = ["LAYOUT", "plot_schema"]

#: (column, row) of each CRM table in the diagram; row 0 is the top.
LAYOUT = {
    "campaigns": (0, 0),
    "campaign_members": (1, 0),
    "survey": (2, 0),
    "mentions": (3, 0),
    "referrals": (4, 0),
    "crm_rollout": (0, 1),
    "assignments": (1, 1),
    "churn": (2, 1),
    "credit_lists": (3, 1),
    "costs": (4, 1),
    "managers": (0, 2),
    "pipeline": (1, 2),
    "customers": (2, 2),
    "orders": (3, 2),
    "products": (4, 2),
    "contacts": (1, 3),
    "incidents": (2, 3),
    "invoices": (3, 3),
    "records": (4, 3),
    "tickets": (1, 4),
}

#: Chinese names shown under the table names.
ZH = {
    "customers": "客户基础资料",
    "orders": "订单",
    "incidents": "服务事故与投诉",
    "contacts": "客户接触",
    "referrals": "推荐",
    "churn": "客户流失",
    "survey": "满意度调查",
    "pipeline": "销售漏斗",
    "products": "产品",
    "costs": "服务成本",
    "managers": "客户经理",
    "assignments": "客户经理分配",
    "invoices": "应收账款",
    "credit_lists": "红/灰/黑名单",
    "tickets": "呼叫中心服务单",
    "campaigns": "营销活动",
    "campaign_members": "营销活动对象",
    "crm_rollout": "CRM系统上线",
    "records": "客户档案",
    "mentions": "口碑",
}

_W, _LINE, _DX, _DY = 3.0, 0.3, 3.9, 3.1
#: arrows bent further so they pass around a box in between (a bold font is avoided: the
#: shipped CJK font has one weight only, and matplotlib would warn)
_BENDS = {("customers", "managers"): 0.5}


def _lines(table: Table) -> list[tuple[str, str]]:
    """(marker, column) of the key columns: PK, FK (both: PK FK), then a count of the rest."""
    fk_cols = {c for fk in table.foreign_keys for c in fk.columns}
    rows, shown = [], set()
    for col in table.column_names:
        marks = [m for m, on in (("PK", col in table.primary_key), ("FK", col in fk_cols)) if on]
        if marks:
            rows.append((" ".join(marks), col))
            shown.add(col)
    rest = len(table.columns) - len(shown)
    if rest:
        rows.append(("", f"+ {rest} more column{'s' if rest > 1 else ''}"))
    return rows


def plot_schema(sql: str | None = None, *, ax=None, chinese: bool = True):
    """Draw the entity-relationship diagram (实体关系图) of the CRM's schema.

    Each table is a box: its name (and Chinese name), its primary-key (PK) and
    foreign-key (FK) columns, and how many other columns it has. An arrow runs from a
    table to each table it references (many rows → one row).

    Parameters
    ----------
    sql : str, optional
        ``CREATE TABLE`` statements; default the CRM's ``schema.sql``.
    ax : matplotlib Axes, optional
        Where to draw; default a new figure sized for the CRM's 20 tables.
    chinese : bool
        Show the Chinese table names (call :func:`crmlab.plotting.use_chinese_font`
        first, or the glyphs are missing).

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> ax = plot_schema(chinese=False)
    >>> sorted(t.get_text() for t in ax.texts if t.get_text() in ("customers", "orders"))
    ['customers', 'orders']
    >>> plt.close(ax.figure)
    """
    tables = read_schema(schema_sql() if sql is None else sql)
    places = {n: LAYOUT[n] for n in tables if n in LAYOUT}
    extra = [n for n in tables if n not in LAYOUT]
    last_row = max((r for _, r in places.values()), default=-1)
    for k, name in enumerate(extra):
        places[name] = (k % 5, last_row + 1 + k // 5)
    if ax is None:
        n_rows = max(r for _, r in places.values()) + 1
        _, ax = plt.subplots(figsize=(17, 3.0 * n_rows + 0.6), layout="constrained")
    boxes = {}
    for name, (col, row) in places.items():
        lines = _lines(tables[name])
        height = _LINE * (len(lines) + 2.2)
        x, y_top = col * _DX, -row * _DY
        centre = name == "customers"
        box = FancyBboxPatch(
            (x, y_top - height),
            _W,
            height,
            boxstyle="round,pad=0.04",
            facecolor="#fdf3e1" if centre else "white",
            edgecolor="#b35900" if centre else "#4d4d4d",
            linewidth=2.0 if centre else 1.0,
            zorder=3,
        )
        ax.add_patch(box)
        boxes[name] = box
        # title bar
        ax.add_patch(
            FancyBboxPatch(
                (x, y_top - 1.35 * _LINE),
                _W,
                1.35 * _LINE,
                boxstyle="round,pad=0.04",
                facecolor="#b35900" if centre else "#3b5b92",
                edgecolor="none",
                zorder=4,
            )
        )
        title = name + (f"  {ZH[name]}" if chinese and name in ZH else "")
        ax.text(
            x + 0.1,
            y_top - 0.68 * _LINE,
            title,
            color="white",
            fontsize=10.5,
            va="center",
            zorder=5,
        )
        for k, (mark, text) in enumerate(lines):
            y = y_top - (2.05 + k) * _LINE
            ax.text(x + 0.1, y, mark, fontsize=8, color="#b35900", va="center", zorder=5)
            ax.text(
                x + 0.75,
                y,
                text,
                fontsize=9,
                va="center",
                zorder=5,
                color="#666666" if not mark else "black",
                style="italic" if not mark else "normal",
            )
    drawn = set()
    for name, table in tables.items():
        for fk in table.foreign_keys:
            if fk.ref_table == name or (name, fk.ref_table) in drawn:
                continue  # a self-reference (orders.return_of) is listed, not drawn
            drawn.add((name, fk.ref_table))
            a, b = boxes[name], boxes[fk.ref_table]
            start = (a.get_x() + _W / 2, a.get_y() + a.get_height() / 2)
            end = (b.get_x() + _W / 2, b.get_y() + b.get_height() / 2)
            ax.add_patch(
                FancyArrowPatch(
                    start,
                    end,
                    patchA=a,
                    patchB=b,
                    arrowstyle="-|>",
                    mutation_scale=14,
                    color="#b35900" if fk.ref_table == "customers" else "#3b5b92",
                    alpha=0.75,
                    linewidth=1.2,
                    connectionstyle=f"arc3,rad={_BENDS.get((name, fk.ref_table), 0.08)}",
                    zorder=2,
                )
            )
    xs = [c for c, _ in places.values()]
    ax.set_xlim(-0.3, max(xs) * _DX + _W + 0.3)
    bottom = min(b.get_y() for b in boxes.values())
    ax.set_ylim(bottom - 0.3, 0.3)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(
        "The CRM's tables and how they reference each other (arrow: many rows → one row; "
        "PK primary key, FK foreign key)",
        fontsize=12,
    )
    return ax
