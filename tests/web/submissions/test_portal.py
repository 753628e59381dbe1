"""The submission portal end to end through the views: a county clerk downloads its template,
uploads it with one bad cell, sees that cell flagged, fixes it and resubmits; warnings are
acknowledged only with a reason; uploads outside one's scope are rejected."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from cimon.store.submissions.models import ACCEPTED, DRAFT, REJECTED, SUPERSEDED, Claim, Submission
from cimon.web.submissions.portal import Upload, template_for, upload

from ..conftest import county_workbook

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _messages(html: str) -> str:
    """The text of the page's messages (what the upload said)."""
    return " ".join(re.findall(r'<ul class="messages">(.*?)</ul>', html, re.S))


def _post(c: Client, content: bytes, name: str = "自评.xlsx", **extra: Any) -> Any:
    f = io.BytesIO(content)
    f.name = name
    return c.post("/submit/upload/", {"file": f, "year": "2026", **extra}, follow=True)


def test_county_template_is_its_own_self_assessment(users: dict[str, Any]) -> None:
    c = _client(users["county"])
    r = c.get("/submit/template/?year=2026")
    assert r.status_code == 200
    assert "attachment" in r["Content-Disposition"]
    assert "%E8%A5%BF%E5%90%89" in r["Content-Disposition"]  # 西吉, RFC 5987 encoded
    wb = load_workbook(io.BytesIO(r.content))
    assert wb["创新管理自评"]["A4"].value == "mgmt_org"


def test_department_template_has_only_its_variables(users: dict[str, Any]) -> None:
    name, content = template_for(users["department"], 2026)
    assert name == "2026-统计局.xlsx"
    ws = load_workbook(io.BytesIO(content))["统计局"]
    codes = {c.value for c in ws[3] if c.value}
    assert "rd_exp" in codes and "hte" not in codes  # hte belongs to 科技厅


def test_expert_template_lists_only_assigned_counties(users: dict[str, Any]) -> None:
    _, content = template_for(users["expert"], 2026)
    ws = load_workbook(io.BytesIO(content))["专家评分"]
    names = [ws.cell(row=r, column=2).value for r in range(1, ws.max_row + 1)]
    assert "西吉县" in names and "原州区" not in names
    assert ws["B2"].value == "张专家"


def test_bad_cell_flagged_then_fixed_and_accepted(users: dict[str, Any]) -> None:
    c = _client(users["county"])
    r = _post(c, county_workbook(users["county"], scores=(4, 9, 4.5)))
    assert r.status_code == 200
    sub = Submission.objects.get()
    assert sub.status == REJECTED
    html = r.content.decode()
    # the bad cell is drawn flagged, and the report links to it
    assert re.search(r'<td id="c-\d+-D5" class="flag-error"', html), "D5 not flagged"
    assert re.search(r'href="#c-\d+-D5"', html)
    assert 'class="flag-error"' not in html.replace(
        re.search(r'<td id="c-\d+-D5" class="flag-error"', html).group(0), ""
    )  # only that one
    assert "自评分超出" in html or "超出" in html
    # the page's words: the report is below the message, and no command line
    assert "请按下方列出的问题修改文件，保存后重新上传" in html
    assert "上面" not in html and "重新导入" not in html and "--" not in _messages(html)
    # fixed and resubmitted: accepted, claims stored for 西吉县
    r = _post(c, county_workbook(users["county"], scores=(4, 3, 4.5)))
    latest = Submission.objects.order_by("-id").first()
    assert latest is not None and latest.status == ACCEPTED
    assert sorted(Claim.objects.values_list("variable", "score")) == [
        ("mgmt_org", 4.0),
        ("mgmt_policy", 3.0),
        ("mgmt_projects", 4.5),
    ]
    # the county's three self-scores are what it sent: not "0 条数据"
    assert f"已接受：提交 #{latest.pk}，3 项自评。" in _messages(r.content.decode())


def test_warnings_need_a_reason_and_acknowledging_stores_the_draft(users: dict[str, Any]) -> None:
    county = users["county"]
    c = _client(county)
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(county_workbook(county)))
    wb["创新管理自评"]["E5"] = None  # no statement: a warning (claim.no_statement)
    buf = io.BytesIO()
    wb.save(buf)
    content = buf.getvalue()
    r = _post(c, content, accept_warnings="on", reason="")
    assert r.status_code == 400  # the form asks for a reason
    assert "理由" in r.content.decode()
    assert not Submission.objects.exists()
    r = _post(c, content)
    draft = Submission.objects.get()
    assert draft.status == DRAFT
    assert "确认警告" in r.content.decode()
    r = c.post(f"/submit/{draft.pk}/acknowledge/", {"reason": ""}, follow=True)
    assert Submission.objects.count() == 1  # no reason: nothing happened
    r = c.post(f"/submit/{draft.pk}/acknowledge/", {"reason": "已核实，该项无需说明"}, follow=True)
    draft.refresh_from_db()
    accepted = Submission.objects.exclude(pk=draft.pk).get()
    assert draft.status == SUPERSEDED
    assert accepted.status == ACCEPTED and accepted.warnings_accepted
    assert accepted.note == "已核实，该项无需说明"
    from cimon.store.submissions.models import AuditEvent

    ev = AuditEvent.objects.get(action="submission.warnings_acknowledged")
    assert ev.detail["old"] == DRAFT and ev.detail["new"] == SUPERSEDED
    assert ev.user == county.username


def test_county_cannot_submit_another_countys_file(users: dict[str, Any]) -> None:
    other = county_workbook(users["county2"])  # 原州区's own template, filled in
    result = upload(users["county"], Upload("原州区.xlsx", other), 2026)
    assert result.status == REJECTED
    assert "region.wrong" in result.report.codes
    assert not Claim.objects.exists()


def test_department_cannot_submit_another_departments_workbook(users: dict[str, Any]) -> None:
    _, content = template_for(users["department2"], 2026)  # 科技厅
    result = upload(users["department"], Upload("科技厅.xlsx", content), 2026)
    assert result.status == REJECTED
    assert "template.department" in result.report.codes


def test_county_evidence_files_are_required_and_kept(users: dict[str, Any]) -> None:
    county = users["county"]
    wb = load_workbook(io.BytesIO(county_workbook(county)))
    wb["创新管理自评"]["F4"] = "领导小组文件.pdf"
    buf = io.BytesIO()
    wb.save(buf)
    without = upload(county, Upload("自评.xlsx", buf.getvalue()), 2026)
    assert without.status == REJECTED and "evidence.missing" in without.report.codes
    # the web form has no folder: the message says to attach the file
    (issue,) = [i for i in without.report.issues if i.code == "evidence.missing"]
    assert issue.zh == "佐证材料“领导小组文件.pdf”未随表上传。" and "文件夹" not in issue.fix_zh
    assert "not attached to the upload" in issue.en and "folder" not in issue.fix_en
    ok = upload(
        county,
        Upload("自评.xlsx", buf.getvalue()),
        2026,
        evidence=[Upload("领导小组文件.pdf", b"%PDF-1.4 test")],
    )
    assert ok.status == ACCEPTED
    sub = Submission.objects.get(pk=ok.submission_id)
    assert [e.name for e in sub.evidence.all()] == ["领导小组文件.pdf"]


def test_wrong_file_type_is_refused_with_its_name(users: dict[str, Any]) -> None:
    c = _client(users["county"])
    r = _post(c, b"hello", name="报告.docx")
    assert r.status_code == 400
    assert "报告.docx" in r.content.decode()
    assert not Submission.objects.exists()


def test_nonsense_year_is_a_bilingual_400(users: dict[str, Any]) -> None:
    r = _client(users["county"]).get("/submit/?year=20x6")
    assert r.status_code == 400
    assert "四位数年份" in r.content.decode()


def _expert_sheet(user: Any, name: str | None = None) -> bytes:
    _, content = template_for(user, 2026)
    wb = load_workbook(io.BytesIO(content))
    ws = wb["专家评分"]
    if name is not None:
        ws["B2"] = name
    for row in ws.iter_rows(min_row=1):
        if row[1].value == "西吉县":
            for cell in row[3:6]:
                cell.value = 3.5
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_expert_scores_its_assigned_county_under_its_own_name(users: dict[str, Any]) -> None:
    from cimon.store.submissions.models import Observation

    ok = upload(users["expert"], Upload("评分.xlsx", _expert_sheet(users["expert"])), 2026)
    assert ok.status == ACCEPTED, ok.report.render("en")
    assert set(Observation.objects.values_list("region_code", "expert")) == {("640422", "张专家")}
    other = upload(
        users["expert"], Upload("评分2.xlsx", _expert_sheet(users["expert"], "李四")), 2026
    )
    assert other.status == REJECTED and "expert.unknown" in other.report.codes


def test_duplicate_of_a_file_one_may_not_see_names_nothing(users: dict[str, Any]) -> None:
    _, content = template_for(users["department2"], 2026)  # 科技厅, blank: accepted with gaps?
    theirs = upload(
        users["admin"], Upload("科技厅.xlsx", content), 2026, accept_warnings=True, reason="测试"
    )
    assert theirs.status == ACCEPTED, theirs.report.render("en")
    again = upload(users["department"], Upload("copy.xlsx", content), 2026)
    assert again.status == "duplicate" and again.duplicate_of is None
    text = again.render("zh") + again.report.render("both")
    assert "科技厅.xlsx" not in text and f"#{theirs.submission_id}" not in text
    mine = upload(users["admin"], Upload("copy.xlsx", content), 2026)
    assert mine.duplicate_of == theirs.submission_id  # the admin sees it: named


def test_draft_message_points_to_the_page_not_the_cli(users: dict[str, Any]) -> None:
    c = _client(users["county"])
    wb = load_workbook(io.BytesIO(county_workbook(users["county"])))
    wb["创新管理自评"]["E5"] = None
    buf = io.BytesIO()
    wb.save(buf)
    html = _post(c, buf.getvalue()).content.decode()
    assert "请在下方填写理由确认警告" in html and "--accept-warnings" not in html


def test_upload_names_are_kept_for_display_and_sanitised_for_storage(
    users: dict[str, Any],
) -> None:
    """A file sent as ``bad-<i>x</i>.xlsx`` is kept under that name (shown escaped), not cut at
    ``/``; evidence named with ``" : | ? * < >`` or ``/`` matches the same name in the sheet; the
    download's name is a safe one (issue #14)."""
    county = users["county"]
    wb = load_workbook(io.BytesIO(county_workbook(county)))
    wb["创新管理自评"]["F4"] = '报告:终版?.pdf；材料/证明"1".pdf'
    buf = io.BytesIO()
    wb.save(buf)
    c = _client(county)
    # built by hand: Django's test client (like a browser) would cut the names at "/" itself
    parts = [
        ("file", "bad-<i>x</i>.xlsx", buf.getvalue()),
        ("evidence", "报告:终版?.pdf", b"%PDF a"),
        ("evidence", '材料/证明"1".pdf', b"%PDF b"),
    ]
    body = b"".join(
        b'--BOUNDARY\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n%s\r\n"
        % (field.encode(), name.replace('"', "%22").encode(), content)
        for field, name, content in parts
    )
    body += b'--BOUNDARY\r\nContent-Disposition: form-data; name="year"\r\n\r\n2026\r\n'
    body += b"--BOUNDARY--\r\n"
    r = c.post(
        "/submit/upload/", body, content_type="multipart/form-data; boundary=BOUNDARY", follow=True
    )
    assert r.status_code == 200
    sub = Submission.objects.latest("id")
    assert sub.status == ACCEPTED, sub.report
    assert sub.file_name == "bad-<i>x</i>.xlsx"
    assert sorted((e.name, bytes(e.content)) for e in sub.evidence.all()) == [
        ("报告:终版?.pdf", b"%PDF a"),
        ('材料/证明"1".pdf', b"%PDF b"),
    ]
    page = c.get(f"/submit/{sub.pk}/").content.decode()
    assert "bad-&lt;i&gt;x&lt;/i&gt;.xlsx" in page and "<i>x</i>" not in page
    d = c.get(f"/submit/{sub.pk}/file/")["Content-Disposition"]
    assert d == "attachment; filename*=UTF-8''bad-_i_x__i_.xlsx"


def test_oversized_evidence_is_refused_while_streaming(
    users: dict[str, Any], settings: Any
) -> None:
    """Evidence is written to disk chunk by chunk and stopped at the limit, with the file named."""
    from cimon.web.submissions.portal import PortalError

    settings.CIMON_MAX_UPLOAD_MB = 1
    county = users["county"]
    big = Upload("大文件.pdf", io.BytesIO(b"x" * (1024 * 1024 + 1)))
    with pytest.raises(PortalError, match=r"大文件\.pdf") as info:
        upload(county, Upload("自评.xlsx", county_workbook(county)), 2026, evidence=[big])
    assert "1 MB" in info.value.zh
    assert not Submission.objects.exists()


def test_refused_attempts_are_kept_and_shown_apart_paged(users: dict[str, Any]) -> None:
    """Many rejected uploads neither disappear nor push the accepted one off the portal page:
    they are listed apart, collapsed, 20 to a page; the status board counts them."""
    from cimon.web.submissions.views import REFUSED_PER_PAGE

    county = users["county"]
    bad = county_workbook(county, scores=(4, 9, 4.5))
    for i in range(REFUSED_PER_PAGE + 2):
        assert upload(county, Upload(f"bad{i}.xlsx", bad), 2026).status == REJECTED
    ok = upload(county, Upload("good.xlsx", county_workbook(county)), 2026)
    assert ok.status == ACCEPTED
    refused = Submission.objects.filter(status__in=[REJECTED, DRAFT]).count()
    assert refused == REFUSED_PER_PAGE + 2  # every attempt is kept
    c = _client(county)
    html = c.get("/submit/?year=2026").content.decode()
    main, _, apart = html.partition('id="refused"')
    assert "good.xlsx" in main and "bad0.xlsx" not in main
    assert f"：{refused}</summary>" in apart and " open" not in apart.split(">")[0]
    assert apart.count("/submit/") >= REFUSED_PER_PAGE and "第 1 / 2 页" in apart
    page2 = c.get("/submit/?year=2026&refused=2").content.decode()
    assert 'id="refused" open' in page2 and "bad0.xlsx" in page2 and "bad1.xlsx" in page2
    admin = _client(users["admin"])
    board = admin.get("/status/?year=2026").content.decode()
    assert f'<details class="attempts"><summary>{refused}</summary>' in board
    assert "只列出最近 10 次" in board


def test_large_evidence_is_spooled_to_disk_not_memory(
    users: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An evidence file over 256 KB reaches the view as a temporary file, and the portal
    streams it into storage (issue #14)."""
    from django.core.files.uploadedfile import TemporaryUploadedFile

    from cimon.web.submissions import views

    seen: list[Any] = []
    real = views.portal.upload

    def spy(user: Any, file: Any, year: int, *, evidence: Any = (), **kw: Any) -> Any:
        seen.extend(e.content for e in evidence)
        return real(user, file, year, evidence=evidence, **kw)

    county = users["county"]
    wb = load_workbook(io.BytesIO(county_workbook(county)))
    wb["创新管理自评"]["F4"] = "扫描件.pdf"
    buf = io.BytesIO()
    wb.save(buf)
    main, big = io.BytesIO(buf.getvalue()), io.BytesIO(b"%PDF" + b"x" * 400_000)
    main.name, big.name = "自评.xlsx", "扫描件.pdf"
    monkeypatch.setattr(views.portal, "upload", spy)
    _client(county).post("/submit/upload/", {"file": main, "evidence": [big], "year": "2026"})
    assert len(seen) == 1 and isinstance(seen[0], TemporaryUploadedFile)
    sub = Submission.objects.latest("id")
    assert sub.status == ACCEPTED and bytes(sub.evidence.get().content)[:4] == b"%PDF"
