"""The commissioners' permission matrix (issue #17): every record kind × every role, the
QuerySet (:func:`visible`) and the predicate (:func:`can_view`) agreeing on every record, and
the steps each role may take."""

from __future__ import annotations

from typing import Any

import pytest

from cimon.store.commissioners import policy
from cimon.store.commissioners.models import Commissioner

pytestmark = pytest.mark.django_db

#: world keys of the records of each kind: (c1's / 西吉县 / unit A side, c2's / 兴庆区 / unit B)
RECORDS = {
    "commissioner": ("c1", "c2"),
    "dispatch": ("d1", "d2"),
    "service": ("s1", "s2"),
    "venture": ("v1", "v2"),
    "training": ("t1", "t2"),
    "team": ("team", "team2"),
    "assessment": ("a1", "a2"),
    "candidate": ("cand", "cand2"),
}


def _user(world: dict[str, Any], who: str) -> Any:
    return world[who] if who in world else world["users"][who]


#: who sees which of the two records of each kind (True: the first, c1's side; False: c2's)
#: admin sees both; department, expert, viewer and users without a role see neither
EXPECT: dict[str, dict[str, set[str]]] = {
    "u_comm": {  # commissioner c1
        "commissioner": {"c1"}, "dispatch": {"d1"}, "service": {"s1"}, "venture": {"v1"},
        "training": {"t1"}, "team": {"team"}, "assessment": set(), "candidate": set(),
    },
    "u_unit": {  # unit A: c1 and c3 and its candidate
        "commissioner": {"c1"}, "dispatch": {"d1"}, "service": {"s1"}, "venture": {"v1"},
        "training": {"t1"}, "team": {"team"}, "assessment": set(), "candidate": {"cand"},
    },
    "county": {  # 西吉县
        "commissioner": {"c1"}, "dispatch": {"d1"}, "service": {"s1"}, "venture": {"v1"},
        "training": {"t1"}, "team": {"team"}, "assessment": {"a1"}, "candidate": set(),
    },
    "county2": {k: set() for k in RECORDS},  # 原州区: nothing here
    "city": {  # 固原市 holds 西吉县, not 兴庆区
        "commissioner": {"c1"}, "dispatch": {"d1"}, "service": {"s1"}, "venture": {"v1"},
        "training": {"t1"}, "team": {"team"}, "assessment": {"a1"}, "candidate": set(),
    },
    "u_comm2": {  # commissioner c2 (unit B, 兴庆区)
        "commissioner": {"c2"}, "dispatch": {"d2"}, "service": {"s2"}, "venture": {"v2"},
        "training": {"t2"}, "team": {"team2"}, "assessment": set(), "candidate": set(),
    },
    "admin": {k: set(v) for k, v in RECORDS.items()},
    **{r: {k: set() for k in RECORDS} for r in ("department", "expert", "viewer", "norole")},
}  # fmt: skip


@pytest.mark.parametrize("who", sorted(EXPECT))
def test_matrix_every_kind_every_role(world: dict[str, Any], who: str) -> None:
    user = _user(world, who)
    for kind, keys in RECORDS.items():
        seen = {k for k in keys if policy.can_view(user, world[k])}
        assert seen == EXPECT[who][kind], (who, kind)
        # the QuerySet says the same as the predicate, on every record of the kind
        model = policy.KINDS[kind]
        ids = set(policy.visible(user, kind).values_list("pk", flat=True))
        for obj in model._default_manager.all():
            assert (obj.pk in ids) == policy.can_view(user, obj), (who, kind, obj.pk)


def test_anonymous_and_inactive_see_nothing(world: dict[str, Any]) -> None:
    from django.contrib.auth.models import AnonymousUser

    user = world["u_comm"]
    user.is_active = False
    for kind in RECORDS:
        assert not policy.visible(AnonymousUser(), kind).exists()
        assert not policy.visible(user, kind).exists()
    assert not policy.can_view(user, world["c1"])


def test_unit_sees_all_its_people(world: dict[str, Any]) -> None:
    ids = set(policy.visible(world["u_unit"], "commissioner").values_list("pk", flat=True))
    expected = set(Commissioner.objects.filter(unit=world["unit_a"]).values_list("pk", flat=True))
    assert ids == expected and world["c3"].pk in ids and world["c2"].pk not in ids


def test_assessments_are_shown_to_commissioner_and_unit_once_on_notice(
    world: dict[str, Any],
) -> None:
    from cimon.store.commissioners.models import Assessment

    a1 = world["a1"]
    Assessment.objects.filter(pk=a1.pk).update(status="notice")
    a1.refresh_from_db()
    assert policy.can_view(world["u_comm"], a1) and policy.can_view(world["u_unit"], a1)
    assert not policy.can_view(world["u_comm2"], a1)
    assert a1.pk in set(policy.visible(world["u_comm"], "assessment").values_list("pk", flat=True))


def test_actions(world: dict[str, Any]) -> None:
    u = world["users"]
    w = world
    assert policy.actions(w["u_comm"], w["c1"]) == {"edit"}
    assert policy.actions(w["u_comm"], w["c2"]) == set()
    assert policy.actions(w["u_comm"], w["s1"]) == {"correct", "evidence", "rating_code"}
    assert policy.actions(w["u_comm"], w["s2"]) == set()
    assert policy.actions(w["u_comm"], w["v1"]) == {"correct"}
    assert policy.actions(w["u_comm"], w["t1"]) == {"correct"}
    assert policy.actions(w["u_comm"], w["team"]) == {"coverage"}  # c1 leads it
    assert policy.actions(w["u_comm"], w["d1"]) == set()  # the county accepts, not itself
    assert policy.actions(u["county"], w["d1"]) == {"decide", "end", "tasks"}
    assert policy.actions(u["county"], w["d2"]) == set()
    assert policy.actions(u["county"], w["a1"]) == {"county_review"}
    assert policy.actions(u["county"], w["s1"]) == set()  # sees, does not edit
    assert policy.actions(u["county"], w["t1"]) == {"correct"}
    assert policy.actions(u["city"], w["d1"]) == set()  # read-only
    assert policy.actions(u["city"], w["a1"]) == set()
    assert policy.actions(w["u_unit"], w["d1"]) == {"days"}
    assert policy.actions(w["u_unit"], w["c1"]) == {"rate", "propose_dispatch"}
    assert policy.actions(w["u_unit"], w["c2"]) == set()
    assert policy.actions(w["u_unit"], w["s1"]) == set()
    assert policy.actions(u["admin"], w["a1"]) == {"confirm"}
    assert policy.actions(u["admin"], w["cand"]) == {"decide"}
    for who in ("department", "expert", "viewer", "norole"):
        for key in ("c1", "d1", "s1", "v1", "t1", "team", "a1", "cand"):
            assert policy.actions(u[who], w[key]) == set()
    assert policy.can(w["u_comm"], "edit", w["c1"]) and not policy.can(w["u_comm"], "edit", w["c2"])


def test_can_create(world: dict[str, Any]) -> None:
    u, w = world["users"], world
    from tests.web.conftest import XIJI

    assert policy.can_create(w["u_comm"], "service", commissioner=w["c1"])
    assert not policy.can_create(w["u_comm"], "service", commissioner=w["c2"])
    assert not policy.can_create(w["u_unit"], "service", commissioner=w["c1"])
    assert policy.can_create(w["u_comm"], "venture", commissioner=w["c1"])
    assert policy.can_create(w["u_comm"], "dispatch", commissioner=w["c1"])
    assert policy.can_create(w["u_unit"], "dispatch", commissioner=w["c3"])
    assert not policy.can_create(w["u_unit"], "dispatch", commissioner=w["c2"])
    assert policy.can_create(u["county"], "training", county_code=XIJI)
    assert not policy.can_create(u["county2"], "training", county_code=XIJI)
    assert policy.can_create(w["u_unit"], "candidate")
    assert not policy.can_create(u["county"], "candidate")
    assert not policy.can_create(u["city"], "training", county_code=XIJI)
    assert policy.can_create(u["admin"], "team") and not policy.can_create(u["county"], "team")
    for who in ("department", "expert", "viewer", "norole"):
        for kind in ("service", "venture", "dispatch", "training", "team", "candidate"):
            assert not policy.can_create(u[who], kind, commissioner=w["c1"], county_code=XIJI)


def test_the_web_policy_asks_the_same_module(world: dict[str, Any]) -> None:
    from cimon.web.accounts import policy as web

    for who in ("u_comm", "u_unit", "county", "city", "viewer"):
        user = _user(world, who)
        for kind, keys in RECORDS.items():
            assert set(web.commissioner_records(user, kind)) == set(policy.visible(user, kind))
            for k in keys:
                assert web.can_view_commissioner_record(user, world[k]) == policy.can_view(
                    user, world[k]
                )
                assert web.commissioner_actions(user, world[k]) == policy.actions(user, world[k])
