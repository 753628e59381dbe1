"""The county marks a dispatch's tasks done or not done on the dispatch page (#17); another
county, the city bureau, the unit and the commissioner cannot."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from tests.web.commissioners.test_pages import TODAY, _client, world  # noqa: F401

from cimon.store.commissioners.models import TaskStatus

pytestmark = pytest.mark.django_db


def test_the_county_marks_its_dispatch_tasks(users: Any, world: Any) -> None:  # noqa: F811
    d = world["mine_d"]  # 西吉县, one task: 马铃薯脱毒种薯
    c = _client(users["county"])
    page = c.get(reverse("commissioners:dispatch", args=[d.pk])).content.decode()
    assert 'id="tasks"' in page and "马铃薯脱毒种薯" in page
    assert reverse("commissioners:dispatch_task", args=[d.pk]) in page
    url = reverse("commissioners:dispatch_task", args=[d.pk])
    r = c.post(url, {"year": TODAY.year, "task": 0, "done": "1", "note": "已推广 20 亩"})
    assert r.status_code == 302
    row = TaskStatus.objects.get(dispatch=d, superseded_at__isnull=True)
    assert (row.done, row.note, row.year) == (True, "已推广 20 亩", TODAY.year)
    page = c.get(reverse("commissioners:dispatch", args=[d.pk])).content.decode()
    assert "已完成" in page and "已推广 20 亩" in page
    c.post(url, {"year": TODAY.year, "task": 0, "done": "0"})
    assert TaskStatus.objects.filter(dispatch=d).count() == 2
    assert not TaskStatus.objects.get(dispatch=d, superseded_at__isnull=True).done
    # a task the dispatch does not have: refused with a message, nothing stored
    r = c.post(url, {"year": TODAY.year, "task": 5, "done": "1"}, follow=True)
    assert "not a task 6" in r.content.decode() or "没有第 6 项" in r.content.decode()
    assert TaskStatus.objects.filter(dispatch=d).count() == 2
    assert c.post(url, {"year": "x", "task": 0, "done": "1"}).status_code == 400
    assert c.post(url, {"year": TODAY.year, "task": 0, "done": "y"}).status_code == 400


def test_others_may_not_mark_tasks(users: Any, world: Any) -> None:  # noqa: F811
    mine, other = world["mine_d"], world["other_d"]  # 西吉县, 原州区
    data = {"year": TODAY.year, "task": 0, "done": "1"}
    county = _client(users["county"])
    url_other = reverse("commissioners:dispatch_task", args=[other.pk])
    assert county.post(url_other, data).status_code == 404  # another county's dispatch
    url = reverse("commissioners:dispatch_task", args=[mine.pk])
    assert _client(users["county2"]).post(url, data).status_code == 404
    for role in ("city", "unit", "commissioner"):  # they see the dispatch, but do not mark
        assert _client(users[role]).post(url, data).status_code == 403, role
    page = _client(users["city"]).get(reverse("commissioners:dispatch", args=[mine.pk]))
    assert url not in page.content.decode()
    assert not TaskStatus.objects.exists()
    assert _client(users["admin"]).post(url_other, data).status_code == 302
    assert TaskStatus.objects.filter(dispatch=other).count() == 1
