"""Errors of the yearly-cycle analyses (comparison, incentives, ledger, targets, diagnostics).

Each names the file and the key, row or option that is wrong, and says what to do, in Chinese and
English (see :class:`cimon.errors.CimonError`).
"""

from __future__ import annotations

from cimon.errors import CimonError


class AnalysisError(CimonError):
    """An analysis cannot be done with the inputs given (missing year, unknown county …)."""


class RuleError(AnalysisError):
    """An incentive rule set (YAML) is invalid."""


class LedgerError(AnalysisError):
    """A funds-ledger file (allocations or recorded uses) is invalid."""


class TargetError(AnalysisError):
    """A target file (province class counts or a county action plan) or its values are invalid."""
