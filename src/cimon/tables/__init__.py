"""Tables defined once and rendered everywhere (issue #15): :mod:`.spec` (columns, tables and how
each kind of value is shown), :mod:`.specs` (the tables), :mod:`.render` (terminal, workbook,
dashboard, API) and :mod:`cimon.reports.annual.spec_table` (the annual report's ``Table`` block)."""

from cimon.tables.spec import Column, TableSpec

__all__ = ["Column", "TableSpec"]
