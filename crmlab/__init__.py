"""CRM Lab (客户关系管理): tested helpers for an open Customer Relationship Management workbook.

Data layer: ``_schema`` (tables, columns, levels, survey items, churn causes),
``_validate`` (the input checks), ``datasets`` (files with datasheets and checksums),
``simulate`` (the synthetic company), ``plotting`` (house style, Chinese fonts),
``glossary`` (course terms zh <-> en). Chapters: ``economics`` (00); ``sampling``,
``survey`` and ``satisfaction`` (01); ``segment``, ``clustering``, ``segment_classes`` and
``funnel`` (02); ``loyalty``, ``elasticity`` and ``loyalty_market`` (03); ``churn``,
``churn_causes``, ``churn_warning`` and ``survival`` (04); ``value``, ``btyd`` and
``investment`` (05). Money is counted in whole cents (``_money``). Order logs past one
machine's memory: ``engine`` (the same tables on DuckDB and Spark; optional, ``pip install
'crmlab[scale]'``). Exercises: ``grading``. CLI: ``cli``.
The names of arguments and columns follow ``docs/vocabulary.md``.

The sentences crmlab prints are in English, or in Chinese after
``crmlab.set_language("zh")`` (or with ``CRMLAB_LANG=zh`` in the environment): see
``_i18n``.
"""

__version__ = "0.1.0"

from crmlab._i18n import get_language, set_language  # noqa: E402

__all__ = ["__version__", "get_language", "set_language"]
