"""Dashboard pages over HTTP: what each role sees, versions, the language switch, downloads,
a version that cannot be rebuilt, and the number of queries of a page."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import re
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def login(users: dict[str, Any], role: str) -> Client:
    c = Client()
    c.force_login(users[role])
    return c


def chart(html: str, chart_id: str) -> dict[str, Any]:
    m = re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', html, re.S)
    assert m, chart_id
    return dict(json.loads(m.group(1)))


def test_viewer_reads_every_page(
    published: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    from cimon.model.regions import default_registry
    from cimon.store.evaluations.published import content_of

    users = published["users"]
    viewer = login(users, "viewer")
    assert viewer.get("/dashboard/")["Location"] == "/dashboard/2025/"
    html = viewer.get("/dashboard/2025/").content.decode()
    run = content_of(published["2025"]).runs[2025]
    for label, n in run.class_counts().items():
        assert f"{label} 类县</span><b>{n}</b>" in html
    # the charts are JSON for dashboard.js, nothing inline to execute
    ranking = chart(html, "chart-ranking")
    assert ranking["series"][0]["data"][-1]["value"] == run.results["score_published"].max()
    assert 'src="/static/cimon/vendor/echarts/echarts.min.js"' in html
    assert "<script>" not in html and "style=" not in html
    # the superseded version is not the viewer's to see; the current one is version 2
    assert viewer.get("/dashboard/2025/?version=1").status_code == 404
    assert "第 2 版" in html
    # a county: its page links from the tile grid and the table
    xiji = default_registry().match("西吉县").code
    tiles = chart(html, "chart-tiles")
    assert tiles["cimonLinks"][xiji] == f"/dashboard/2025/county/{xiji}/"
    page = viewer.get(f"/dashboard/2025/county/{xiji}/").content.decode()
    assert "西吉县" in page and "优势指标" in page and "200 次不确定性模拟" in page
    assert "类的概率为" in page and "90% 区间" in page
    assert chart(page, "chart-radar")["series"][0]["type"] == "radar"
    assert viewer.get("/dashboard/2025/county/999999/").status_code == 404
    assert viewer.get("/dashboard/2025/city/固原市/").status_code == 200
    assert viewer.get("/dashboard/2025/city/北京市/").status_code == 404
    incentives = viewer.get("/dashboard/2025/incentives/").content.decode()
    assert "激励资金合计" in incentives and "元" in incentives
    # unpublished years do not exist here, for anyone (2023 was evaluated, never published)
    assert viewer.get("/dashboard/2023/").status_code == 404
    assert login(users, "admin").get("/dashboard/2023/").status_code == 404
    # with the content cached, a page costs a handful of queries, whatever the county count (one
    # of them reads the cases the annual report cites, part of the content's cache key: #19)
    with django_assert_max_num_queries(13):
        viewer.get(f"/dashboard/2025/county/{xiji}/")

    # an administrator also sees the superseded version, and links stay on it
    admin = login(published["users"], "admin")
    old = admin.get("/dashboard/2025/?version=1").content.decode()
    assert "已被更正版本替代" in old
    assert 'href="/dashboard/2025/incentives/?version=1"' in old  # links stay on the version
    assert admin.get("/dashboard/2025/?version=9").status_code == 404

    # English via the switch
    viewer.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = viewer.get("/dashboard/2025/").content.decode()
    assert "Class counts against the 2025 target path" in html
    trend = chart(html, "chart-trend")
    assert trend["series"][0]["name"] == "Class A"


def test_downloads_are_made_once_and_kept_with_the_version(published: dict[str, Any]) -> None:
    from openpyxl import load_workbook

    from cimon.store.evaluations.models import Publication, PublicationFile

    # the version's issue date and document number (set when it was published) go on the cover
    Publication.objects.filter(pk=published["2025"].pk).update(
        issue_date=datetime.date(2026, 12, 7), document_number="宁科发〔2026〕12号"
    )
    viewer = login(published["users"], "viewer")
    r = viewer.get("/dashboard/2025/downloads/xlsx/")
    assert r.status_code == 200
    assert r["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert 'filename="annual-results-2025-zh.xlsx"' in r["Content-Disposition"]
    wb = load_workbook(io.BytesIO(r.content))
    assert len(wb.sheetnames) >= 3
    kept = PublicationFile.objects.get(publication=published["2025"], kind="xlsx", lang="zh")
    assert bytes(kept.content) == r.content and kept.size == len(r.content)
    assert kept.sha256 == hashlib.sha256(r.content).hexdigest()
    r2 = viewer.get("/dashboard/2025/downloads/xlsx/")
    assert r2.content == r.content and PublicationFile.objects.count() == 1  # not made again
    # the report in Word (the PDF, 7 s more, is written by the same composed document and
    # tested with the annual report)
    r = viewer.get("/dashboard/2025/downloads/docx/")
    assert r.status_code == 200
    assert 'filename="annual-report-2025-zh.docx"' in r["Content-Disposition"]
    assert r.content[:2] == b"PK"
    from docx import Document as read_docx

    cover = [p.text for p in read_docx(io.BytesIO(r.content)).paragraphs[:20]]
    assert "宁科发〔2026〕12号" in cover and "2026年12月7日" in cover
    assert viewer.get("/dashboard/2025/downloads/exe/").status_code == 404
    # English is a file of its own
    viewer.post("/i18n/setlang/", {"language": "en", "next": "/"})
    r = viewer.get("/dashboard/2025/downloads/xlsx/")
    assert 'filename="annual-results-2025-en.xlsx"' in r["Content-Disposition"]
    assert PublicationFile.objects.get(kind="xlsx", lang="en").size == len(r.content)
    # a correction is another version: another file
    admin = login(published["users"], "admin")
    assert admin.get("/dashboard/2025/downloads/xlsx/?version=1").status_code == 200
    assert set(
        PublicationFile.objects.filter(kind="xlsx").values_list("publication__version", "lang")
    ) >= {(2, "zh"), (1, "zh")}


def test_a_stored_file_is_served_even_when_the_data_are_gone(published: dict[str, Any]) -> None:
    """What was published stays downloadable as it was: the stored file does not need the run."""
    from cimon.store.evaluations.published import clear_caches
    from cimon.store.submissions.models import Observation

    viewer = login(published["users"], "viewer")
    first = viewer.get("/dashboard/2025/downloads/xlsx/").content
    Observation.objects.filter(year=2024).delete()
    clear_caches()
    r = viewer.get("/dashboard/2025/downloads/xlsx/")
    assert r.status_code == 200 and r.content == first
    assert viewer.get("/dashboard/2025/downloads/docx/").status_code == 409  # never made


def test_a_version_that_cannot_be_rebuilt(published: dict[str, Any]) -> None:
    """Data removed after publication: the pages show the frozen table and say why; files
    cannot be made (409)."""
    from cimon.store.evaluations.published import clear_caches
    from cimon.store.submissions.models import Observation

    Observation.objects.filter(year=2024).delete()
    clear_caches()
    viewer = login(published["users"], "viewer")
    r = viewer.get("/dashboard/2025/")
    html = r.content.decode()
    assert r.status_code == 200 and ("无法由存储的数据重建" in html or "已不在数据库中" in html)
    row = published["2025"].results[0]
    assert row["name"] in html  # the frozen table
    assert "chart-ranking" not in html
    county = viewer.get(f"/dashboard/2025/county/{row['region_code']}/")
    assert county.status_code == 200 and str(row["score_published"]) in county.content.decode()
    assert viewer.get(f"/dashboard/2025/city/{row['city']}/").status_code == 200
    assert viewer.get("/dashboard/2025/downloads/xlsx/").status_code == 409


def test_english_pages_show_english_names(published: dict[str, Any]) -> None:
    """In English, counties and cities are named in English on the pages and in the charts; the
    URLs keep the Chinese city name (the identifier); the Chinese pages keep the Chinese names."""
    from urllib.parse import quote

    from cimon.model.regions import default_registry

    reg = default_registry()
    xiji = reg.match("西吉县").code
    viewer = login(published["users"], "viewer")
    viewer.post("/i18n/setlang/", {"language": "en", "next": "/"})
    names = {n for r in reg for n in (r.name, r.city)}

    def visible(html: str) -> str:
        """The page's text without its charts' JSON, attributes and URLs."""
        html = re.sub(
            r'<script id="chart-[^"]+" type="application/json">.*?</script>', "", html, flags=re.S
        )
        return re.sub(r"<[^>]+>", " ", html)

    # province: every county in the table and the ranking, every city in the table and the map
    html = viewer.get("/dashboard/2025/").content.decode()
    for r in reg:
        assert f">{r.name_en}</a>" in html and f">{r.city_en}</a>" in html
    assert f'href="/dashboard/2025/city/{quote("固原市")}/"' in html  # the identifier stays
    assert not any(n in visible(html) for n in names)
    ranking = chart(html, "chart-ranking")
    assert {d["name"] for d in ranking["series"][0]["data"]} == {r.name_en for r in reg}
    assert any(label.endswith(". Qingtongxia City") for label in ranking["yAxis"]["data"])
    tiles = chart(html, "chart-tiles")
    squares = {d["code"]: d for d in tiles["series"][0]["data"]}
    assert squares[xiji]["name"] == "Xiji County"  # the tooltip: the full name
    assert squares[xiji]["label"]["formatter"] == "Xiji"  # the square: the short name
    assert tiles["cimonTiles"]["em"] == pytest.approx(len("Qingtongxia") * 0.6)
    assert {d["name"] for d in tiles["series"][1]["data"]} == {r.city_en for r in reg}
    # a county
    page = viewer.get(f"/dashboard/2025/county/{xiji}/").content.decode()
    assert "<h1>Xiji County · 2025" in page and ">Guyuan</a> › Xiji County" in page
    assert "of the same city (Guyuan)" in page
    assert chart(page, "chart-radar")["series"][0]["data"][0]["name"] == "Xiji County"
    assert chart(page, "chart-pillars")["series"][0]["name"] == "Xiji County"
    assert not any(n in visible(page) for n in names)
    # a city (by its Chinese name in the URL), the incentives
    city = viewer.get(f"/dashboard/2025/city/{quote('固原市')}/").content.decode()
    assert "<h1>Guyuan · 2025" in city and ">Pengyang County</a>" in city
    assert not any(n in visible(city) for n in names)
    incentives = viewer.get("/dashboard/2025/incentives/").content.decode()
    assert not any(n in visible(incentives) for n in names)
    # Chinese: unchanged
    viewer.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    page = viewer.get(f"/dashboard/2025/county/{xiji}/").content.decode()
    assert "<h1>西吉县 · 2025" in page and "Xiji" not in page
    assert chart(page, "chart-radar")["series"][0]["data"][0]["name"] == "西吉县"
    tiles = chart(viewer.get("/dashboard/2025/").content.decode(), "chart-tiles")
    assert "em" not in tiles["cimonTiles"] and "label" not in tiles["series"][0]["data"][0]
