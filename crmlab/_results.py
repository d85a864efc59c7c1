"""The shape every fit result of ``crmlab`` takes, as in statsmodels: the numbers are
attributes, :meth:`Result.summary` returns a DataFrame, ``str(result)`` is the text form
to print (a title, a line or two of notes, then the summary table). A subclass marks its
title for the message catalogue with ``N_`` and writes its notes with ``_``: the text form
follows :func:`crmlab.set_language`."""

from __future__ import annotations

import pandas as pd

from crmlab._i18n import gettext as _

__all__ = ["Result"]


class Result:
    """Base class of the result objects (``CoxResult``, ``BGNBDResult``, ...).

    A subclass sets :attr:`title` and implements :meth:`summary`; it may add lines under
    the title with :meth:`notes`.

    Examples
    --------
    >>> class Mean(Result):
    ...     title = "Mean of x"
    ...     def __init__(self, value):
    ...         self.value = value
    ...     def summary(self):
    ...         return pd.DataFrame({"value": [self.value]}, index=["mean"])
    >>> print(Mean(2.5))
    Mean of x
    <BLANKLINE>
          value
    mean    2.5
    """

    title: str = ""

    def summary(self) -> pd.DataFrame:
        """The result as a table (one row per parameter, group or statistic).

        Returns
        -------
        DataFrame

        Raises
        ------
        NotImplementedError
            In the base class.
        """
        raise NotImplementedError

    def notes(self) -> list[str]:
        """Lines printed under the title (sample size, verdict ...); none by default."""
        return []

    def __str__(self) -> str:
        head = [_(self.title), *self.notes()] if self.title else self.notes()
        return "\n".join([*head, "", self.summary().to_string()])
