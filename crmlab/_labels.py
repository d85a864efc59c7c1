"""The names of the workbook's customer classes: the RFM segments and the value tiers.

Shared by the pandas functions (:mod:`crmlab.segment`, :mod:`crmlab.segment_classes`)
and the engine (:mod:`crmlab.engine`), in a module without imports so that the engine
names its classes without loading SciPy (which :mod:`crmlab.segment` needs for its
statistics: about 0.8 s and 60 MiB).
"""

from __future__ import annotations

__all__ = ["RFM_SEGMENTS", "TIERS"]

#: Named RFM segments: (name, 中文, rule on the R and F scores); first match wins.
RFM_SEGMENTS = [
    ("champions", "核心客户", "R >= 4 and F >= 4"),
    ("loyal", "忠诚客户", "R >= 3 and F >= 3"),
    ("new", "新客户", "R >= 4 and F <= 2"),
    ("at_risk", "需挽留客户", "R <= 2 and F >= 3"),
    ("need_attention", "需关注客户", "R == 3 and F <= 2"),
    ("hibernating", "沉睡客户", "R <= 2 and F <= 2"),
]

#: The course's value classes ([CRM textbook]), top first, with Chinese names.
TIERS = {"VIP": "VIP客户", "major": "主要客户", "ordinary": "普通客户", "small": "小客户"}
