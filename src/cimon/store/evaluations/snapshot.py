"""The snapshot of a published version, made once in the background right after publication
(the task :func:`cimon.store.evaluations.tasks.prepare_publication`): the robustness analysis
shown with the version (``Publication.robustness``) and its downloads
(:class:`~cimon.store.evaluations.models.PublicationFile`, the formats and languages of the
``CIMON_PUBLICATION_FILES`` setting; by default all three formats in Chinese and English).

Without it every server process computed the analysis again (about 3 s for a province) and made
each file on its first request. Preparing is idempotent: what is stored already is kept, so a
task run twice (a worker restarted) does no harm. A version whose run cannot be rebuilt from the
stored data keeps the reason in ``prepare_error``; its pages show the published table alone.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from cimon.store.evaluations import downloads
from cimon.store.evaluations.models import Publication
from cimon.store.evaluations.published import NotReproducible, content_of

log = logging.getLogger(__name__)
DEFAULT_FILES = tuple(f"{kind}:{lang}" for lang in downloads.LANGS for kind in downloads.KINDS)


def files_to_make() -> list[tuple[str, str]]:
    """The (kind, language) pairs of ``CIMON_PUBLICATION_FILES`` (``"pdf:zh"`` …)."""
    wanted: Iterable[str] = getattr(settings, "CIMON_PUBLICATION_FILES", DEFAULT_FILES)
    out = []
    for item in wanted:
        kind, _, lang = item.partition(":")
        if kind not in downloads.KINDS or lang not in downloads.LANGS:
            raise ValueError(f"CIMON_PUBLICATION_FILES: unknown file {item!r} (e.g. 'pdf:zh')")
        out.append((kind, lang))
    return out


def prepare(publication_id: int) -> str:
    """Make what the snapshot of a publication lacks (see the module docstring); returns a short
    account for the task result."""
    pub = Publication.objects.select_related("evaluation").get(pk=publication_id)
    try:
        published = content_of(pub)  # computes the analysis unless the snapshot holds it
        result = published.content.robustness
        if not pub.robustness and result is not None:
            text = json.dumps(result.to_json(), ensure_ascii=False)
            # write once: of two workers preparing the same version, the first one's stays
            Publication.objects.filter(pk=pub.pk, robustness="").update(robustness=text)
            pub.refresh_from_db()
        made = [downloads.report_file(published, kind, lang) for kind, lang in files_to_make()]
    except NotReproducible as exc:
        log.warning("publication %s cannot be prepared: %s", pub.pk, exc.en)
        Publication.objects.filter(pk=pub.pk).update(
            prepare_error=exc.render("both"), prepared_at=timezone.now()
        )
        return f"not reproducible: {exc.en}"
    Publication.objects.filter(pk=pub.pk).update(prepared_at=timezone.now(), prepare_error="")
    return f"robustness {'stored' if pub.robustness else 'off'}; files: " + ", ".join(
        f.name for f in made
    )
