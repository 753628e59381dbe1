"""What a published version is compared with: its **basis**, frozen when it is published.

A version of year N shows more than its own results: last year's results it is compared with
(class jumps, places gained, incentive money), the history of earlier years and the path to the
province's targets. Those come from the published versions of earlier years, and which ones is
decided once, when the version is published — the current version of every earlier year at that
moment — and stored with it (``Publication.basis``). Its pages, the API and the downloads all
read the same versions, so they agree, and they keep agreeing whatever is published later:

* publishing year N−1 for the first time after year N leaves version N without a comparison
  (its pages say so); a correction of N (the next version) is compared with N−1;
* a correction of N−1 (its next version) leaves version N compared with the version of N−1 it
  was published against; the pages and the API name that version and say that N−1 has been
  corrected since, so the change is never silent.

Versions published before the basis was stored get the one they were made with: the versions
current at their moment of publication (the data migration ``0003`` and, for a row written
without it, :func:`basis_of` on first use, stored once).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q

from cimon.store.evaluations.models import Publication


def current_before(year: int, moment: datetime | None = None, province: str = "") -> dict[str, int]:
    """``{"<year>": publication id}``: for every year before ``year``, the version of
    ``province`` ("" on a single-province instance) that was current at ``moment`` (default:
    now)."""
    qs = Publication.objects.filter(evaluation_year__lt=year, province=province)
    if moment is None:
        qs = qs.filter(superseded_at__isnull=True)
    else:
        qs = qs.filter(published_at__lte=moment).filter(
            Q(superseded_at__isnull=True) | Q(superseded_at__gt=moment)
        )
    return {
        str(y): pk for y, pk in qs.order_by("evaluation_year").values_list("evaluation_year", "pk")
    }


def basis_ids(pub: Publication) -> dict[int, int]:
    """The frozen basis of ``pub`` as ``{year: publication id}``; a row without one gets the
    versions current when it was published, stored once (write-once: a concurrent first use
    stores the same answer)."""
    basis = pub.basis
    if basis is None:
        basis = current_before(pub.evaluation_year, pub.published_at, pub.province)
        Publication.objects.filter(pk=pub.pk, basis__isnull=True).update(basis=basis)
        pub.basis = basis
    return {int(y): int(pk) for y, pk in basis.items()}


def basis_of(pub: Publication) -> dict[int, Publication]:
    """The publications of earlier years ``pub`` is compared with, by year (oldest first)."""
    ids = basis_ids(pub)
    found = Publication.objects.filter(pk__in=ids.values()).select_related("evaluation")
    by_pk = {p.pk: p for p in found}
    return {y: by_pk[pk] for y, pk in sorted(ids.items()) if pk in by_pk}


def previous_of(pub: Publication) -> Publication | None:
    """The version of the year before ``pub``'s that it is compared with (None: there was no
    published result of that year when ``pub`` was published)."""
    ids = basis_ids(pub)
    pk = ids.get(pub.evaluation_year - 1)
    if pk is None:
        return None
    return Publication.objects.select_related("evaluation").filter(pk=pk).first()


def basis_note(pub: Publication) -> dict[str, object]:
    """What a page says about the comparison: the year and version compared with (None: none),
    and the current version of that year when it has been corrected since."""
    pk = basis_ids(pub).get(pub.evaluation_year - 1)
    lean = Publication.objects.light().filter(province=pub.province)  # versions, not rows
    prev = None if pk is None else lean.filter(pk=pk).first()
    year = pub.evaluation_year - 1
    if prev is None:
        later = lean.filter(evaluation_year=year, superseded_at__isnull=True).first()
        return {"year": year, "version": None, "current_version": later.version if later else None}
    now = prev
    if prev.superseded_at is not None:
        now = lean.filter(evaluation_year=year, superseded_at__isnull=True).first() or prev
    return {
        "year": year,
        "version": prev.version,
        "current_version": now.version if now.pk != prev.pk else None,
    }
