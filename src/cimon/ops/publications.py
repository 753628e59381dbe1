"""Do the published versions still regenerate bit for bit? (after an upgrade or a restore)

For every publication: its evaluation is run again from the stored data and must give the
published table exactly (:func:`cimon.web.dashboard.published.content_of` refuses otherwise),
and every download stored with the version (results workbook, Word, PDF) is made again and must
have the stored SHA-256. ``cimon doctor --publications`` prints the result.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Regenerated:
    """One published version: the files compared and what differed (empty: all identical)."""

    year: int
    version: int
    files: int
    problems: tuple[tuple[str, str], ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def regenerate_all() -> list[Regenerated]:
    """Regenerate every published version and compare (module docstring)."""
    from cimon.web.dashboard.downloads import make_file
    from cimon.web.dashboard.published import NotReproducible, clear_caches, content_of
    from cimon.web.evaluations.models import Publication

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
            out.append(
                Regenerated(pub.evaluation_year, pub.version, 0, ((exc.zh, exc.en),))
            )
            continue
        for f in stored:
            with tempfile.TemporaryDirectory(prefix="cimon-regenerate-") as tmp:
                data = make_file(published, f.kind, f.lang, Path(tmp)).read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if digest != f.sha256:
                problems.append(
                    (
                        f"{f.name} 重新生成后不同（SHA-256 {digest[:12]}…，存储的为 {f.sha256[:12]}…）",
                        f"{f.name} differs when made again (SHA-256 {digest[:12]}…, stored "
                        f"{f.sha256[:12]}…)",
                    )
                )
        out.append(Regenerated(pub.evaluation_year, pub.version, len(stored), tuple(problems)))
    return out
