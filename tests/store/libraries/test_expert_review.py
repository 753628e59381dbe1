"""The expert review shared by calls and collections (#18): conflicts, the institution, a
reviewer assigned once, the scores' range and the mean of the latest unconflicted scores, each
message naming what is reviewed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests.store.libraries.test_calls import expert
from tests.store.libraries.test_collection import achievement

from cimon.store.libraries import collection as col_svc
from cimon.store.libraries import expert_review as er
from cimon.store.libraries.services import LibraryError
from cimon.store.submissions.models import AuditEvent

TODAY = dt.date.today()


def test_conflict_and_institution() -> None:
    assert er.conflicted(" 某农业 大学 ", "某农业大学") and er.conflicted("ABC", "abc")
    assert not er.conflicted("", "") and not er.conflicted("某大学", "某农科院")
    assert er.check_institution("  某大学 ") == "某大学"
    with pytest.raises(LibraryError, match="工作单位"):
        er.check_institution("  ")


@pytest.mark.django_db
def test_a_collections_review_through_the_shared_step(users: dict[str, Any]) -> None:
    dept = users["department"]
    col = col_svc.create_collection(dept, "x", TODAY.year, TODAY, TODAY)
    entry = col_svc.submit_entry(col, users["viewer"], achievement(users["viewer"], "成果"), "某院")
    same, other, outsider = expert("li"), expert("wang"), expert("zhao")
    col_svc.assign_reviewer(col, dept, same, " 某院 ")
    col_svc.assign_reviewer(col, dept, other, "某大学")
    with pytest.raises(LibraryError, match="已是本次征集的评审专家") as exc:
        col_svc.assign_reviewer(col, dept, other, "某大学")
    assert "already reviews this collection" in exc.value.en
    event = AuditEvent.objects.filter(action="collection.reviewer").latest("id")
    assert event.detail["institution"] == "某大学" and event.object_id == str(col.pk)
    col_svc.close_collection(col, dept)
    with pytest.raises(LibraryError, match="您不是本次征集的评审专家"):
        col_svc.score_entry(entry, outsider, 50)
    with pytest.raises(LibraryError, match="报送单位“某院”"):
        col_svc.score_entry(entry, same, 90)
    for bad in (101, -1, True, 80.5):
        with pytest.raises(LibraryError, match="0–100"):
            col_svc.score_entry(entry, other, bad)  # type: ignore[arg-type]
    assert er.mean_score(entry, entry.unit) is None
    col_svc.score_entry(entry, other, 60)
    col_svc.score_entry(entry, other, 80)  # the latest counts
    assert er.mean_score(entry, entry.unit) == 80 == col_svc.entry_mean(entry)
    assert entry.scores.count() == 2
