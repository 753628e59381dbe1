"""Downloads of an earlier layout (#15): stored files are served as stored; the check made after an
upgrade remakes the files of the current layout byte for byte, and for a file an earlier release
laid out differently checks its stored SHA-256 (cimon.ops.publications)."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from tests.web.conftest import publish_year, run_tasks

from cimon.ops.publications import regenerate_all
from cimon.store.evaluations.downloads import LAYOUT
from cimon.store.evaluations.models import PublicationFile

pytestmark = pytest.mark.django_db


def test_files_of_an_earlier_layout_are_checked_by_their_hash(stored: dict[str, Any]) -> None:
    publish_year(stored["admin"], 2025)
    run_tasks()
    made = PublicationFile.objects.get(kind="xlsx", lang="zh")
    assert made.layout == LAYOUT >= 2
    [now] = regenerate_all()
    assert now.ok and now.files == 1 and now.earlier_layout == 0

    # a file an earlier release stored: other bytes (its layout), its own hash
    old = b"PK an earlier layout"
    PublicationFile.objects.filter(pk=made.pk).update(
        layout=1, content=old, sha256=hashlib.sha256(old).hexdigest()
    )
    [then] = regenerate_all()
    assert then.ok and then.earlier_layout == 1

    # the same file of the current layout is remade and found different
    PublicationFile.objects.filter(pk=made.pk).update(layout=LAYOUT)
    [wrong] = regenerate_all()
    assert not wrong.ok and "other content when made again" in wrong.problems[0][1]

    # an earlier-layout file whose bytes no longer match their hash is a problem
    PublicationFile.objects.filter(pk=made.pk).update(layout=1, content=b"PK damaged")
    [damaged] = regenerate_all()
    assert not damaged.ok and "do not match their SHA-256" in damaged.problems[0][1]
