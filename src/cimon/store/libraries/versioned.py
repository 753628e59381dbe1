"""The fields every version of a library record's content has (:class:`VersionFields`): needs,
achievements and talent profiles keep their content as numbered versions, never overwritten.

Abstract: each version model keeps its own table, columns and constraints (the same columns as
when each declared the fields itself, so no migration)."""

from __future__ import annotations

from django.db import models


class VersionFields(models.Model):
    """A version's number (1, 2, … per record; the highest is current) and who recorded it
    when. A subclass adds the record it versions, the content and a unique (record, number)."""

    number = models.PositiveIntegerField()
    recorded_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        abstract = True
