"""The incentive rules of a published version, frozen when it is published (#13).

One place decides which rule set the platform uses: the setting ``CIMON_INCENTIVE_RULES`` (a
bundled id such as ``nx-2021`` or a YAML file; :func:`configured`), or on an instance hosting
several provinces the rules of the evaluation's province in ``CIMON_PROVINCES``
(:func:`configured_for`). When a version is published,
the full content of that rule set is stored with it (``Publication.rules``, :func:`freeze`), and
everything that shows the version's incentive money — the dashboard, the API, the downloads,
the robustness snapshot and the annual report made for it — computes the money from those
stored rules only (:func:`rules_of`). Changing the setting, editing or upgrading the bundled file
(for example the new default reading of places gained, ``rank.places: overtaken``) changes
the money of versions published afterwards, never of one already published.

Versions published before the rules were stored get the rules they were shown with: the rule
set configured then, with ``rank.places: literal``, the only reading that existed (the data
migration ``0005``). A row written without rules by other code gets the configured rule set on
first use, stored once.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from cimon.analysis.defaults import DEFAULT_RULES
from cimon.analysis.readings import SHORT
from cimon.analysis.rules import RuleSet, load_rules, parse_rules
from cimon.errors import CimonError
from cimon.model.framework import content_hash
from cimon.store.evaluations.models import Publication


def configured(province: str | None = None) -> RuleSet:
    """The rule set the platform applies to what it publishes next (``CIMON_INCENTIVE_RULES``,
    default ``nx-2021``: seed 000 section 四(二)); with ``province`` on an instance hosting
    several (``CIMON_PROVINCES``), that province's rule set (#20)."""
    if province:
        from cimon.store.national.hosting import hosted, hosted_province

        if hosted():
            return load_rules(hosted_province(province).rules)
    return load_rules(str(getattr(settings, "CIMON_INCENTIVE_RULES", "") or DEFAULT_RULES))


def configured_for(evaluation: Any) -> RuleSet:
    """The rule set a publication of ``evaluation`` is published under: its province's on a
    multi-province instance (the evaluation's province tag), else :func:`configured`."""
    from cimon.store.national.hosting import publication_province

    return configured(publication_province(evaluation) or None)


def freeze(rules: RuleSet) -> dict[str, Any]:
    """What ``Publication.rules`` stores: the rule set's full content (as loaded from its file,
    so it rebuilds without the file), its id, version, reading of places and content hash."""
    import json

    content = json.loads(json.dumps(dict(rules.raw), ensure_ascii=False, default=str))
    return {
        "id": rules.id,
        "version": rules.version,
        "places": rules.places,
        "source": rules.source,
        "hash": content_hash(content),
        "content": content,
    }


def thaw(frozen: dict[str, Any], label: str) -> RuleSet:
    """The rule set stored as ``frozen`` (``label`` names it in errors); refuses content that
    does not match its stored hash."""
    content = frozen.get("content")
    if not isinstance(content, dict) or content_hash(content) != frozen.get("hash"):
        raise CimonError(
            f"{label} 存储的激励规则已损坏（内容与哈希不符）。请从备份恢复数据库。",
            f"The incentive rules stored with {label} are damaged (content and hash differ). "
            "Restore the database from a backup.",
        )
    return parse_rules(content, label)


def rules_of(pub: Publication) -> RuleSet:
    """The incentive rules ``pub`` was published with. A row without them (written by code
    that did not set them) gets the configured rule set, stored once (write-once: a concurrent
    first use stores the same answer)."""
    if pub.rules is None:
        frozen = freeze(configured(pub.province or None))
        Publication.objects.filter(pk=pub.pk, rules__isnull=True).update(rules=frozen)
        pub.rules = Publication.objects.values_list("rules", flat=True).get(pk=pub.pk)
    return thaw(pub.rules, f"{pub.evaluation_year} 第{pub.version}版 / version {pub.version}")


def rules_line(rules: RuleSet, lang: str = "zh") -> str:
    """One line naming the rule set and its reading of places gained, for a version's pages."""
    zh, en = SHORT[rules.places]
    if lang == "en":
        return (
            f"Published under the incentive rules {rules.id} {rules.version} ({rules.name_en}); "
            f"places gained counted by the “{en}” reading (rank.places: {rules.places}); "
            "frozen with this version: later rule changes do not change its amounts."
        )
    return (
        f"本版按激励规则 {rules.id} {rules.version}（{rules.name_zh}）发布，"
        f"进位按“{zh}”口径计数（rank.places: {rules.places}）。规则随本版冻结，"
        "此后修改规则不改变本版金额。"
    )
