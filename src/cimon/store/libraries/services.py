"""The resource libraries' workflows (issue #18): each function checks the transition, writes
in one transaction and records an audit event (``need.*``, ``achievement.*``, ``match.*``,
``contract.*``).

Who may call what is decided by the web layer's policy; these functions check only that the
step is allowed from the record's present state, and raise :class:`LibraryError` (Chinese and
English) otherwise.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from cimon.errors import CimonError
from cimon.matching import engine as matching
from cimon.matching import records
from cimon.store import audit
from cimon.store.libraries.models import (
    DRAFT,
    PUBLISHED,
    REGISTERED,
    REJECTED,
    SIGNED,
    STAGE_ORDER,
    STAGES,
    SUBMITTED,
    Achievement,
    AchievementVersion,
    Contract,
    Match,
    MatchStage,
    Need,
    NeedVersion,
)

__all__ = [
    "ACHIEVEMENT_FIELDS",
    "NEED_FIELDS",
    "LibraryError",
    "advance_match",
    "create_achievement",
    "create_need",
    "edit_achievement",
    "edit_need",
    "publish_achievement",
    "publish_need",
    "recommend",
    "register_contract",
    "reject_need",
    "submit_need",
]

#: the content fields a need's version holds
NEED_FIELDS = ("problem", "chain", "industry", "budget", "deadline")
#: the content fields an achievement's version holds
ACHIEVEMENT_FIELDS = (
    "title",
    "abstract",
    "discipline",
    "trl",
    "mode",
    "price_low",
    "price_high",
    "holder",
    "region_code",
)


class LibraryError(CimonError):
    """A library step that cannot be done (a need not submitted, a contract number taken …)."""


def _name(user: Any) -> str:
    if getattr(user, "is_authenticated", False):
        return str(user.get_username())
    return str(user or "")


def _plain(value: Any) -> Any:
    """A value as the audit log's JSON keeps it."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _content(version: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: _plain(getattr(version, f)) for f in fields}


def _check_achievement(data: dict[str, Any]) -> None:
    if not str(data.get("title") or "").strip():
        raise LibraryError("成果名称不能为空。", "An achievement needs a title.")
    trl = data.get("trl")
    if trl is not None and not 1 <= int(trl) <= 9:
        raise LibraryError(
            f"技术就绪水平（TRL）须为 1–9，而不是 {trl}。", f"TRL must be 1–9, not {trl}."
        )
    mode = data.get("mode") or ""
    if mode and mode not in records.TRANSFER_MODES:
        modes = "、".join(records.TRANSFER_MODES)
        raise LibraryError(
            f"转化方式须为 {modes} 之一，而不是 {mode}。",
            f"The transfer mode must be one of {', '.join(records.TRANSFER_MODES)}, not {mode}.",
        )
    low, high = data.get("price_low"), data.get("price_high")
    if low is not None and high is not None and Decimal(low) > Decimal(high):
        raise LibraryError(
            "价格区间的下限大于上限。", "The price range's low end is above its high end."
        )


# ---- needs ----------------------------------------------------------------------------------


@transaction.atomic
def _check_need(data: dict[str, Any]) -> None:
    if not str(data["problem"]).strip():
        raise LibraryError("需求的问题描述不能为空。", "A need needs a problem description.")


def _next_version(
    model: Any,
    owner_field: str,
    owner: Any,
    user: Any,
    fields: tuple[str, ...],
    changes: dict[str, Any],
    check: Any,
    kind: str,
) -> Any:
    """A new version of ``owner``'s content (the current one with ``changes``), checked by
    ``check`` and audited as ``<kind>.edit``; the earlier versions stay."""
    unknown = set(changes) - set(fields)
    if unknown:
        raise LibraryError(f"未知字段：{sorted(unknown)}", f"Unknown fields: {sorted(unknown)}")
    old = owner.current
    data = {f: getattr(old, f) for f in fields} | changes
    check(data)
    new = model.objects.create(
        **{owner_field: owner},
        number=old.number + 1,
        recorded_at=timezone.now(),
        recorded_by=_name(user),
        **data,
    )
    audit.record(
        user,
        f"{kind}.edit",
        kind,
        owner.pk,
        old=_content(old, fields),
        new=_content(new, fields),
        version=new.number,
    )
    return new


def create_need(
    user: Any, region_code: str, problem: str, *, label: str = "", **fields: Any
) -> Need:
    """A new need in draft, with its first version (``fields``: chain, industry, budget 万元,
    deadline)."""
    if not problem.strip():
        raise LibraryError("需求的问题描述不能为空。", "A need needs a problem description.")
    if not region_code:
        raise LibraryError("需求须属于一个县。", "A need belongs to a county.")
    unknown = set(fields) - set(NEED_FIELDS)
    if unknown:
        raise LibraryError(f"未知字段：{sorted(unknown)}", f"Unknown fields: {sorted(unknown)}")
    now = timezone.now()
    need = Need.objects.create(owner=user, region_code=region_code, label=label, created_at=now)
    version = NeedVersion.objects.create(
        need=need, number=1, problem=problem, recorded_at=now, recorded_by=_name(user), **fields
    )
    audit.record(
        user, "need.create", "need", need.pk, new=_content(version, NEED_FIELDS), label=label
    )
    return need


@transaction.atomic
def edit_need(need: Need, user: Any, **changes: Any) -> NeedVersion:
    """A new version of a draft or rejected need's content; the earlier versions stay."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.status not in (DRAFT, REJECTED):
        raise LibraryError(
            "只能修改草稿或已退回的需求。", "Only a draft or rejected need can be edited."
        )
    return _next_version(NeedVersion, "need", need, user, NEED_FIELDS, changes, _check_need, "need")


def _move_need(need: Need, allowed: tuple[str, ...], to: str) -> tuple[Need, str]:
    """The need, locked, with its status set to ``to`` (not saved), and its old status."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.status not in allowed:
        raise LibraryError(
            f"需求 #{need.pk} 当前状态为“{need.get_status_display()}”，不能执行此操作。",
            f"Need #{need.pk} is {need.status}: this step is not allowed.",
        )
    old = need.status
    need.status = to
    return need, old


@transaction.atomic
def submit_need(need: Need, user: Any) -> Need:
    """Draft (or rejected) → submitted: the county bureau reviews it next."""
    need, old = _move_need(need, (DRAFT, REJECTED), SUBMITTED)
    need.save(update_fields=["status"])
    audit.record(user, "need.submit", "need", need.pk, old=old, new=SUBMITTED)
    return need


def _review(need: Need, user: Any, to: str, note: str) -> Need:
    need, _ = _move_need(need, (SUBMITTED,), to)
    need.reviewed_by, need.reviewed_at, need.review_note = _name(user), timezone.now(), note
    need.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    action = "need.publish" if to == PUBLISHED else "need.reject"
    audit.record(user, action, "need", need.pk, old=SUBMITTED, new=to, note=note)
    return need


@transaction.atomic
def publish_need(need: Need, user: Any, note: str = "") -> Need:
    """Submitted → published, by the county bureau: the need is public and can be matched."""
    return _review(need, user, PUBLISHED, note)


@transaction.atomic
def reject_need(need: Need, user: Any, note: str) -> Need:
    """Submitted → rejected, with the reason; the owner may edit and submit it again."""
    if not note.strip():
        raise LibraryError("退回需求须说明理由。", "Say why the need is rejected.")
    return _review(need, user, REJECTED, note)


# ---- achievements ---------------------------------------------------------------------------


@transaction.atomic
def create_achievement(user: Any, title: str, *, label: str = "", **fields: Any) -> Achievement:
    """A new achievement in draft, with its first version (``fields``: see
    :data:`ACHIEVEMENT_FIELDS`)."""
    unknown = set(fields) - set(ACHIEVEMENT_FIELDS)
    if unknown:
        raise LibraryError(f"未知字段：{sorted(unknown)}", f"Unknown fields: {sorted(unknown)}")
    _check_achievement({"title": title, **fields})
    now = timezone.now()
    item = Achievement.objects.create(owner=user, label=label, created_at=now)
    version = AchievementVersion.objects.create(
        achievement=item, number=1, title=title, recorded_at=now, recorded_by=_name(user), **fields
    )
    audit.record(
        user,
        "achievement.create",
        "achievement",
        item.pk,
        new=_content(version, ACHIEVEMENT_FIELDS),
        label=label,
    )
    return item


@transaction.atomic
def edit_achievement(item: Achievement, user: Any, **changes: Any) -> AchievementVersion:
    """A new version of an achievement's content (published ones too: matches keep the version
    they scored)."""
    item = Achievement.objects.select_for_update().get(pk=item.pk)
    return _next_version(
        AchievementVersion,
        "achievement",
        item,
        user,
        ACHIEVEMENT_FIELDS,
        changes,
        _check_achievement,
        "achievement",
    )


def publish_achievement(item: Achievement, user: Any) -> Achievement:
    """Draft → published: the achievement is public and can be recommended."""
    item = Achievement.objects.select_for_update().get(pk=item.pk)
    if item.status != DRAFT:
        raise LibraryError(
            f"成果 #{item.pk} 已发布。", f"Achievement #{item.pk} is already published."
        )
    item.status, item.published_at = PUBLISHED, timezone.now()
    item.save(update_fields=["status", "published_at"])
    audit.record(user, "achievement.publish", "achievement", item.pk, old=DRAFT, new=PUBLISHED)
    return item


# ---- matching -------------------------------------------------------------------------------


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def need_record(need: Need, version: NeedVersion) -> records.Need:
    """The matching engine's view of a need's version."""
    return records.Need(
        id=str(need.pk),
        problem=version.problem,
        chain=version.chain,
        industry=version.industry,
        budget=_float(version.budget),
        deadline=version.deadline,
        county=need.region_code,
    )


def achievement_record(version: AchievementVersion) -> records.Achievement:
    """The matching engine's view of an achievement's version."""
    return records.Achievement(
        id=str(version.achievement_id),
        title=version.title,
        abstract=version.abstract,
        discipline=version.discipline,
        trl=version.trl,
        mode=version.mode,
        price=(_float(version.price_low), _float(version.price_high)),
        owner=version.holder,
        region=version.region_code,
    )


def _current_versions() -> dict[int, AchievementVersion]:
    """The latest version of every published achievement, by achievement id."""
    latest: dict[int, AchievementVersion] = {}
    rows = AchievementVersion.objects.filter(achievement__status=PUBLISHED).order_by(
        "achievement_id", "number"
    )
    for v in rows:
        latest[v.achievement_id] = v
    return latest


@transaction.atomic
def recommend(need: Need, user: Any, k: int = 10, *, label: str = "") -> list[Match]:
    """Run the engine (:func:`cimon.matching.match`) for a published need over the current
    versions of the published achievements and store the top ``k`` with their score and
    explanation. A pair already stored keeps its row, stage and the score it had; the returned
    list is the engine's top ``k`` in its order."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.status != PUBLISHED:
        raise LibraryError(
            "只有已发布的需求才能推荐成果。", "Only a published need gets recommendations."
        )
    version = need.current
    versions = _current_versions()
    found = matching.match(
        need_record(need, version), [achievement_record(v) for v in versions.values()], k=k
    )
    now, name = timezone.now(), _name(user)
    out: list[Match] = []
    new_ids: list[int] = []
    for m in found:
        av = versions[int(m.candidate)]
        row, created = Match.objects.get_or_create(
            need=need,
            achievement_id=av.achievement_id,
            defaults=dict(
                need_version=version,
                achievement_version=av,
                rank=m.rank,
                score=m.score,
                features={k_: float(v) for k_, v in m.features.items()},
                explanation_zh=m.explanation.render("zh"),
                explanation_en=m.explanation.render("en"),
                shared_terms=list(m.explanation.shared_terms),
                label=label,
                created_at=now,
                created_by=name,
            ),
        )
        if created:
            MatchStage.objects.create(match=row, stage=row.stage, at=now, by=name)
            new_ids.append(row.pk)
        out.append(row)
    audit.record(
        user,
        "match.recommend",
        "need",
        need.pk,
        new=[r.achievement_id for r in out],
        stored=new_ids,
        version=version.number,
    )
    return out


def _advance(match: Match, user: Any, to: str, note: str) -> Match:
    """Move a match one stage on, keeping who and when."""
    match = Match.objects.select_for_update().get(pk=match.pk)
    at = STAGE_ORDER.index(match.stage)
    if to not in STAGES or at + 1 >= len(STAGE_ORDER) or STAGE_ORDER[at + 1] != to:
        now_zh, now_en = STAGES[match.stage]
        raise LibraryError(
            f"对接 #{match.pk} 处于“{now_zh}”阶段，只能进入下一阶段。",
            f"Match #{match.pk} is at {now_en}: it can only move to the next stage.",
        )
    old = match.stage
    match.stage = to
    match.save(update_fields=["stage"])
    MatchStage.objects.create(match=match, stage=to, at=timezone.now(), by=_name(user), note=note)
    audit.record(user, "match.advance", "match", match.pk, old=old, new=to, note=note)
    return match


@transaction.atomic
def advance_match(match: Match, user: Any, to: str, note: str = "") -> Match:
    """推荐 → 对接 → 洽谈 → 签约, one stage at a time; 技术合同登记 comes only with
    :func:`register_contract`."""
    if to == REGISTERED:
        raise LibraryError(
            "技术合同登记须通过登记合同完成。",
            "A match reaches 技术合同登记 by registering its contract.",
        )
    return _advance(match, user, to, note)


# ---- contracts ------------------------------------------------------------------------------


@transaction.atomic
def register_contract(
    user: Any,
    number: str,
    amount: int,
    signed_on: dt.date,
    region_code: str,
    *,
    match: Match | None = None,
    label: str = "",
) -> Contract:
    """Register a technology contract (登记编号 unique, amount in whole 元). With ``match``
    (which must be at 签约) the match moves to 技术合同登记."""
    number = number.strip()
    if not number:
        raise LibraryError("合同登记编号不能为空。", "A contract needs its registration number.")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise LibraryError(
            f"成交金额须为非负整数（元），而不是 {amount!r}。",
            f"The amount must be a non-negative whole number of 元, not {amount!r}.",
        )
    if not region_code:
        raise LibraryError("合同须属于一个县。", "A contract belongs to a county.")
    if Contract.objects.filter(number=number).exists():
        raise LibraryError(
            f"合同登记编号 {number} 已登记。", f"Contract number {number} is already registered."
        )
    if match is not None:
        match = Match.objects.select_for_update().get(pk=match.pk)
        if match.stage != SIGNED:
            raise LibraryError(
                "只有已签约的对接才能登记合同。", "Only a signed match can register its contract."
            )
    try:
        with transaction.atomic():
            contract = Contract.objects.create(
                number=number,
                amount=amount,
                signed_on=signed_on,
                region_code=region_code,
                match=match,
                label=label,
                recorded_at=timezone.now(),
                recorded_by=_name(user),
            )
    except IntegrityError as exc:  # a concurrent registration of the same number
        raise LibraryError(
            f"合同登记编号 {number} 已登记。", f"Contract number {number} is already registered."
        ) from exc
    audit.record(
        user,
        "contract.register",
        "contract",
        contract.pk,
        new={
            "number": number,
            "amount": amount,
            "signed_on": signed_on.isoformat(),
            "region_code": region_code,
            "match": match.pk if match else None,
        },
        label=label,
    )
    if match is not None:
        _advance(match, user, REGISTERED, f"合同 {number}")
    return contract
