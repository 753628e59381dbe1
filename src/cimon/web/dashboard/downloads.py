"""Downloads of a published version: the results workbook (Excel) and the annual report
(Word, PDF), made on the first request by the annual report's writers
(:mod:`cimon.reports.annual`, from the same content as the pages) and kept in a cache folder.
The composed report (its charts) is kept in memory for the second format.

The cache key holds the publication (id, year, version, moment of publication), the data hash
of its evaluation, the language and the cimon version, so a correction (a new version), another
database or a new release never serves an old file. Files are written to a temporary folder
and moved into place, so a reader never sees half a file; two first requests at the same time
make the file once (a lock per key). The folder is ``CIMON_REPORT_CACHE`` (setting or
environment variable), by default ``cimon-report-cache`` in the system's temporary folder.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

from django.conf import settings

from cimon.web.dashboard.published import Published, _Cache

KINDS = {"xlsx": "xlsx", "docx": "docx", "pdf": "pdf"}
_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_LOCK = threading.Lock()
_DOCUMENTS = _Cache(2)


def cache_dir() -> Path:
    configured = getattr(settings, "CIMON_REPORT_CACHE", None) or os.environ.get(
        "CIMON_REPORT_CACHE"
    )
    return Path(configured or Path(tempfile.gettempdir()) / "cimon-report-cache")


def file_name(year: int, kind: str, lang: str) -> str:
    suffix = "en" if lang == "en" else "zh"
    if kind == "xlsx":
        return f"annual-results-{year}-{suffix}.xlsx"
    return f"annual-report-{year}-{suffix}.{kind}"


def cache_key(p: Published, lang: str) -> str:
    from cimon import __version__

    pub = p.publication
    raw = "|".join(
        str(x)
        for x in (
            pub.pk,
            pub.evaluation_year,
            pub.version,
            pub.published_at.isoformat(),
            pub.evaluation.data_hash,
            lang,
            __version__,
        )
    )
    digest = hashlib.sha256(raw.encode()).hexdigest()[:20]
    return f"{pub.evaluation_year}-v{pub.version}-{lang}-{digest}"


def _document(p: Published, lang: str) -> Any:
    """The composed report (charts drawn): most of the work, shared by Word and PDF."""
    from cimon.reports.annual.compose import compose

    return _DOCUMENTS.get(cache_key(p, lang), lambda: compose(p.content, lang, None))


def _make(p: Published, kind: str, lang: str, folder: Path) -> Path:
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

    return write_pdf(doc, target, render_html(doc))


def report_file(p: Published, kind: str, lang: str) -> Path:
    """The file of ``kind`` (xlsx, docx, pdf) for a published version, made when missing."""
    if kind not in KINDS:
        raise ValueError(kind)
    year = p.publication.evaluation_year
    folder = cache_dir() / cache_key(p, lang)
    target = folder / file_name(year, kind, lang)
    if target.is_file():
        return target
    key = str(target)
    with _LOCKS_LOCK:
        lock = _LOCKS.setdefault(key, threading.Lock())
    with lock:
        if target.is_file():
            return target
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=folder) as tmp:
            made = _make(p, kind, lang, Path(tmp))
            part = target.with_suffix(target.suffix + ".part")
            shutil.move(str(made), part)
            os.replace(part, target)
    return target
