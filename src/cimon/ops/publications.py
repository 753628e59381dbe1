"""Do the published versions still regenerate bit for bit? (after an upgrade or a restore)

For every publication: its evaluation is run again from the stored data and must give the
published table exactly (:func:`cimon.store.evaluations.published.content_of` refuses otherwise),
and every download stored with the version (results workbook, Word, PDF) is made again and
compared with the stored bytes. ``cimon doctor --publications`` prints the result.

The office formats record the moment they were written: an ``.xlsx``/``.docx`` is a zip whose
entries carry a modification time and whose ``docProps/core.xml`` holds ``dcterms:created`` and
``dcterms:modified``; a PDF has ``/CreationDate``, ``/ModDate`` and a file ``/ID``. A file made
again a minute later therefore differs in those bytes and nowhere else. :func:`same_content`
compares everything except them: every zip entry byte for byte (the core properties with the
two dates blanked), every PDF byte with the three fields blanked. The stored files themselves
are served unchanged for ever (they are kept, never made again).

A file stored with an earlier layout (:data:`cimon.store.evaluations.downloads.LAYOUT`: a later
release changed a header or a number format on purpose) cannot be made again as it was; it is
checked against its stored SHA-256 instead, and counted in ``earlier_layout``. The version's
results are still run again and must match the published table exactly.
"""

from __future__ import annotations

import hashlib
import io
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Regenerated:
    """One published version: the files compared and what differed (empty: all identical)."""

    year: int
    version: int
    files: int
    problems: tuple[tuple[str, str], ...]
    identical: int = 0  # files equal byte for byte; the others differ only in the time of making
    earlier_layout: int = 0  # files of an earlier layout: stored hash checked, not made again

    @property
    def ok(self) -> bool:
        return not self.problems


_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:)")
_PDF_STAMPS = re.compile(rb"/(?:CreationDate|ModDate)\s*\([^)]*\)|/ID\s*\[[^\]]*\]")


def _zip_entries(data: bytes) -> list[tuple[str, bytes]] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            out = []
            for info in z.infolist():
                body = z.read(info)
                if info.filename == "docProps/core.xml":
                    body = _CORE_DATES.sub(rb"\1\2", body)
                out.append((info.filename, body))
            return out
    except zipfile.BadZipFile:
        return None


def same_content(a: bytes, b: bytes) -> bool:
    """``a`` and ``b`` are the same file except for the time of making (module docstring)."""
    if a == b:
        return True
    if a[:4] == b"%PDF" and b[:4] == b"%PDF":
        return _PDF_STAMPS.sub(b"", a) == _PDF_STAMPS.sub(b"", b)
    za, zb = _zip_entries(a), _zip_entries(b)
    return za is not None and za == zb


def regenerate_all() -> list[Regenerated]:
    """Regenerate every published version and compare (module docstring)."""
    from cimon.store.evaluations.downloads import LAYOUT, make_file
    from cimon.store.evaluations.models import Publication
    from cimon.store.evaluations.published import NotReproducible, clear_caches, content_of

    clear_caches()
    out = []
    for pub in Publication.objects.select_related("evaluation").order_by(
        "evaluation_year", "version"
    ):
        problems: list[tuple[str, str]] = []
        stored = list(pub.files.all())
        try:
            published = content_of(pub)
        except NotReproducible as exc:
            out.append(Regenerated(pub.evaluation_year, pub.version, 0, ((exc.zh, exc.en),)))
            continue
        identical = earlier = 0
        for f in stored:
            if f.layout != LAYOUT:
                earlier += 1
                kept = hashlib.sha256(bytes(f.content)).hexdigest()
                if kept != f.sha256:
                    problems.append(
                        (
                            f"{f.name} 存储的内容与其 SHA-256 不符（{kept[:12]}…，记录的为 "
                            f"{f.sha256[:12]}…）",
                            f"{f.name}: the stored bytes do not match their SHA-256 ({kept[:12]}…, "
                            f"recorded {f.sha256[:12]}…)",
                        )
                    )
                continue
            with tempfile.TemporaryDirectory(prefix="cimon-regenerate-") as tmp:
                data = make_file(published, f.kind, f.lang, Path(tmp)).read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            identical += digest == f.sha256
            if not same_content(data, bytes(f.content)):
                problems.append(
                    (
                        f"{f.name} 重新生成后内容不同（SHA-256 {digest[:12]}…，存储的为 "
                        f"{f.sha256[:12]}…）",
                        f"{f.name} has other content when made again (SHA-256 {digest[:12]}…, "
                        f"stored {f.sha256[:12]}…)",
                    )
                )
        out.append(
            Regenerated(
                pub.evaluation_year, pub.version, len(stored), tuple(problems), identical, earlier
            )
        )
    return out
