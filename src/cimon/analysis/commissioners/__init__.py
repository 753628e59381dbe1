"""科技特派员 annual assessment (issue #17 item 3), pure: rule sets in YAML
(:mod:`~cimon.analysis.commissioners.rules`), a registry of rule kinds
(:mod:`~cimon.analysis.commissioners.kinds`) and :func:`assess` on a pandas DataFrame
(:mod:`~cimon.analysis.commissioners.assess`). The store (``cimon.store.commissioners``) builds
the input table from its records and calls :func:`assess`; docs/commissioners-assessment.md."""

from cimon.analysis.commissioners.assess import COUNT_COLUMNS, ID_COLUMNS, assess, quota_places
from cimon.analysis.commissioners.inputs import assessment_inputs
from cimon.analysis.commissioners.kinds import KINDS, Cap, Part, RuleKind, register
from cimon.analysis.commissioners.rules import (
    DEFAULT,
    GRADES,
    GRADES_EN,
    AssessmentInputError,
    AssessmentRuleError,
    AssessmentRules,
    Quota,
    load_assessment_rules,
    parse_assessment_rules,
)

__all__ = [
    "COUNT_COLUMNS",
    "DEFAULT",
    "GRADES",
    "GRADES_EN",
    "ID_COLUMNS",
    "KINDS",
    "AssessmentInputError",
    "AssessmentRuleError",
    "AssessmentRules",
    "Cap",
    "Part",
    "Quota",
    "RuleKind",
    "assess",
    "assessment_inputs",
    "load_assessment_rules",
    "parse_assessment_rules",
    "quota_places",
    "register",
]
