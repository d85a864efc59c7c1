"""CRM Lab (客户关系管理): tested helpers for an open Customer Relationship Management workbook.

Data layer: ``datasets`` (files with datasheets and checksums), ``simulate`` (the
synthetic company), ``plotting`` (house style, Chinese fonts), ``glossary`` (course terms
zh <-> en). Chapters: ``economics`` (00), ``survey`` and ``sampling`` (01), ``segment`` and
``segment_classes`` (02), ``loyalty`` and ``loyalty_market`` (03), ``churn`` and
``survival`` (04), ``value`` and ``btyd`` (05). Exercises: ``grading``. CLI: ``cli``.
"""

__version__ = "0.1.0"
