"""Downloads of a published version: the results workbook (Excel) and the annual report (Word,
PDF), made by the annual report's writers (:mod:`cimon.reports.annual`, from the same content as
the pages) and kept with the version in the database
(:class:`~cimon.store.evaluations.models.PublicationFile`).

They are made once: in the background right after publication (:mod:`.snapshot`), or on the
first request if that has not happened yet. Every server process, every machine sharing the
database and every later release then serves the same bytes; a correction is a new version with
files of its own. Two first requests at the same time in one process make the file once (a lock
per file); two processes may both make it, and the first to store it wins (a unique constraint).
The composed report (its charts) is kept in memory for the second format.
"""

from __future__ import annotations

import hashlib
import tempfile
import threading
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from cimon.store.evaluations.models import Publication, PublicationFile
from cimon.store.evaluations.published import Cache, Published

KINDS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
LANGS = ("zh", "en")
_LOCKS: dict[tuple[int, str, str], threading.Lock] = {}
_LOCKS_LOCK = threading.Lock()
_DOCUMENTS = Cache(2)


def file_name(year: int, kind: str, lang: str) -> str:
    suffix = _lang(lang)
    if kind == "xlsx":
        return f"annual-results-{year}-{suffix}.xlsx"
    return f"annual-report-{year}-{suffix}.{kind}"


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "zh"


def _document(p: Published, lang: str) -> Any:
    """The composed report (charts drawn): most of the work, shared by Word and PDF."""
    from cimon.reports.annual.compose import compose
    from cimon.reports.annual.document import stamp

    pub = p.publication
    key = (pub.pk, pub.evaluation_year, pub.version, pub.published_at.isoformat(), lang)
    return _DOCUMENTS.get(
        key,
        lambda: stamp(compose(p.content, lang, None), pub.issue_date, pub.document_number),
    )


def make_file(p: Published, kind: str, lang: str, folder: Path) -> Path:
    """Write the file of ``kind`` as :func:`cimon.reports.annual.build.write_report` does: the
    results workbook straight from the content; Word and PDF from the composed document."""
    target = folder / file_name(p.publication.evaluation_year, kind, lang)
    if kind == "xlsx":
        from cimon.reports.annual.results_excel import write_results_workbook

        return write_results_workbook(p.content, target, lang)
    doc = _document(p, lang)
    if kind == "docx":
        from cimon.reports.annual.docx import write_docx

        return write_docx(doc, target)
    from cimon.reports.annual.html import render_html
    from cimon.reports.annual.pdf import write_pdf

    return write_pdf(doc, target, render_html(doc, for_pdf=True))


#: The layout of the downloads (results workbook, Word, PDF) this release makes: raised by one
#: whenever a change alters their bytes (a header, a number format, a sentence), so that a file
#: stored by an earlier release is known as such. Stored files are served as stored for ever;
#: ``cimon doctor --publications`` makes files of the current layout again and compares them byte
#: for byte, and for a file of an earlier layout checks its stored hash and that the version's
#: results still reproduce. Layout 1: every release before the one-table-definition change (#15);
#: layout 2: the tables defined once (#15: unified headers, whole-number formats).
LAYOUT = 2


def stored_file(pub: Publication, kind: str, lang: str) -> PublicationFile | None:
    """The stored file of ``kind`` in ``lang`` of a version, if it was made."""
    return PublicationFile.objects.filter(publication=pub, kind=kind, lang=_lang(lang)).first()


def report_file(p: Published, kind: str, lang: str) -> PublicationFile:
    """The file of ``kind`` (xlsx, docx, pdf) in ``lang`` of a published version: the stored
    one, else made now and stored."""
    if kind not in KINDS:
        raise ValueError(kind)
    lang, pub = _lang(lang), p.publication
    found = stored_file(pub, kind, lang)
    if found is not None:
        return found
    with _LOCKS_LOCK:
        lock = _LOCKS.setdefault((pub.pk, kind, lang), threading.Lock())
    with lock:
        found = stored_file(pub, kind, lang)
        if found is not None:
            return found
        with tempfile.TemporaryDirectory(prefix="cimon-download-") as tmp:
            data = make_file(p, kind, lang, Path(tmp)).read_bytes()
        from cimon._version import __version__

        try:
            with transaction.atomic():
                return PublicationFile.objects.create(
                    publication=pub,
                    kind=kind,
                    lang=lang,
                    name=file_name(pub.evaluation_year, kind, lang),
                    content=data,
                    sha256=hashlib.sha256(data).hexdigest(),
                    size=len(data),
                    made_at=timezone.now(),
                    cimon_version=__version__,
                    layout=LAYOUT,
                )
        except IntegrityError:  # another process stored it first: serve that one
            stored = stored_file(pub, kind, lang)
            if stored is None:
                raise
            return stored
