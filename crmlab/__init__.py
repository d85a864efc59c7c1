"""CRM Lab (客户关系管理): tested helpers for an open Customer Relationship Management workbook.

Modules: ``datasets`` (the data layer), ``simulate`` (the synthetic company),
``plotting`` (house style, Chinese fonts), ``glossary`` (course terms zh <-> en),
``economics`` (chapter 00), ``segment`` (chapter 02), ``grading`` (exercises).
"""

__version__ = "0.1.0"
