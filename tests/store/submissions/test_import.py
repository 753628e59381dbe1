"""import_file: what it hands the validator, duplicates, and the file kept byte for byte. The
validator is replaced by a stub here (its own tests are in tests/intake); the end-to-end path with
real workbooks is in test_roundtrip.py and tests/test_cli_intake.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.web.conftest import FW, REG, XIJI, MakeSub, rec

import cimon.intake
from cimon.intake.submission import ParsedSubmission
from cimon.store.submissions.models import AuditEvent, Observation, Submission
from cimon.store.submissions.services import StorageError, import_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def stub(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """``stub["next"]`` is what the validator returns; ``stub["calls"]`` what it was given."""
    state: dict[str, Any] = {"calls": []}

    def validate_file(path, framework, registry, **kw):  # type: ignore[no-untyped-def]
        state["calls"].append({"path": Path(path), **kw})
        sub: ParsedSubmission = state["next"]
        sub.file_name = Path(path).name
        return sub

    monkeypatch.setattr(cimon.intake, "validate_file", validate_file)
    return state


def test_file_is_kept_verbatim_and_validator_sees_stored_values(
    stub: dict[str, Any], make_sub: MakeSub, tmp_path: Path
) -> None:
    f = tmp_path / "统计局.xlsx"
    f.write_bytes(b"\x00first\xff")
    stub["next"] = make_sub([rec(XIJI, "rd_exp", 100.0, year=2020)], year=2020)
    r1 = import_file(f, framework=FW, registry=REG, year=2021, user="甲")
    assert r1.status == "accepted" and stub["calls"][0]["year"] == 2021
    assert stub["calls"][0]["history"].frame.empty

    g = tmp_path / "统计局-2022.xlsx"
    g.write_bytes(b"second")
    stub["next"] = make_sub([rec(XIJI, "rd_exp", 110.0)])
    r2 = import_file(g, framework=FW, registry=REG, user="乙")
    assert r2.status == "accepted"
    history = stub["calls"][1]["history"].frame
    assert list(history["value"]) == [100.0] and list(history["year"]) == [2020]
    assert list(history["source"]) == ["统计局.xlsx"]
    s = Submission.objects.get(pk=r1.submission_id)
    assert bytes(s.content) == b"\x00first\xff" and s.file_name == "统计局.xlsx"
    assert len(s.sha256) == 64


def test_identical_file_again_is_a_no_op(
    stub: dict[str, Any], make_sub: MakeSub, tmp_path: Path
) -> None:
    f = tmp_path / "a.xlsx"
    f.write_bytes(b"same bytes")
    stub["next"] = make_sub([rec(XIJI, "rd_exp", 1.0)])
    first = import_file(f, framework=FW, registry=REG)
    before = (Submission.objects.count(), Observation.objects.count(), AuditEvent.objects.count())
    again = import_file(f, framework=FW, registry=REG)
    assert again.status == "duplicate" and not again.blocked
    assert again.duplicate_of == first.submission_id
    assert again.report.codes == ["submission.duplicate"] and again.report.ok
    assert (
        Submission.objects.count(),
        Observation.objects.count(),
        AuditEvent.objects.count(),
    ) == before
    assert len(stub["calls"]) == 1  # not even read again
    assert "未做任何更改" in again.render("zh") and "Nothing changed" in again.render("en")


def test_a_superseded_file_may_be_imported_again_to_restore_it(
    stub: dict[str, Any], make_sub: MakeSub, tmp_path: Path
) -> None:
    old, new = tmp_path / "old.xlsx", tmp_path / "new.xlsx"
    old.write_bytes(b"old")
    new.write_bytes(b"new")
    stub["next"] = make_sub([rec(XIJI, "rd_exp", 1.0)])
    import_file(old, framework=FW, registry=REG)
    stub["next"] = make_sub([rec(XIJI, "rd_exp", 2.0)])
    import_file(new, framework=FW, registry=REG)
    stub["next"] = make_sub([rec(XIJI, "rd_exp", 1.0)])
    again = import_file(old, framework=FW, registry=REG)
    assert again.status == "accepted"
    assert list(Observation.objects.filter(superseded_at__isnull=True).values_list("value")) == [
        (1.0,)
    ]


def test_rejected_and_draft_files_are_kept(
    stub: dict[str, Any], make_sub: MakeSub, tmp_path: Path
) -> None:
    f = tmp_path / "bad.xlsx"
    f.write_bytes(b"bad")
    stub["next"] = make_sub([rec(XIJI, "rd_exp", 1.0)], errors=["value.not_number"])
    r = import_file(f, framework=FW, registry=REG)
    assert r.status == "rejected" and "未导入" in r.render()
    stub["next"] = make_sub([rec(XIJI, "rd_exp", 1.0)], warnings=["value.jump"])
    d = import_file(f, framework=FW, registry=REG)  # a rejected twin is no duplicate
    assert d.status == "draft" and "--accept-warnings" in d.render("en")
    stub["next"] = make_sub([rec(XIJI, "rd_exp", 1.0)], warnings=["value.jump"])
    ok = import_file(f, framework=FW, registry=REG, accept_warnings=True)
    assert ok.status == "accepted" and "已导入" in ok.render()
    assert [s.status for s in Submission.objects.order_by("id")] == [
        "rejected",
        "draft",
        "accepted",
    ]
    assert Observation.objects.count() == 1


def test_missing_file_is_a_clean_error() -> None:
    with pytest.raises(StorageError, match="not found"):
        import_file("nope.xlsx", framework=FW, registry=REG)
