"""The commissioners' Python API (issue #17) in one place: every workflow step, re-exported from
the small modules that implement it. Each step checks the data and the record's state, writes in
one transaction and records an audit event; who may call which step is :mod:`.policy`'s.

====================  ===========================================================================
module                steps
====================  ===========================================================================
:mod:`.people`        units, commissioners (profile versions, status, account), dispatches
                      (propose, accept/decline, end), service days, unit ratings
:mod:`.teams`         teams (特派团) and their five coverages
:mod:`.tasks`         a dispatch's tasks done or not done per year (the county's record)
:mod:`.work`          service records (log, correct, evidence files), ventures, trainings
:mod:`.rating`        one-use rating codes (issue, check, redeem)
:mod:`.yearly`        selection (选认) and the annual assessment workflow
:mod:`.monitor`       coverage, a commissioner's list, alerts, serving commissioners per county
:mod:`.facts`         what the assessment rules read (one row per commissioner and year), the
                      特派团 five-coverage status per county
====================  ===========================================================================
"""

from __future__ import annotations

from cimon.store.commissioners.common import CommissionerError
from cimon.store.commissioners.facts import team_coverage, yearly_facts
from cimon.store.commissioners.monitor import (
    CountyCoverage,
    Coverage,
    TownCoverage,
    coverage,
    ending_without_report,
    inactive,
    registry_coverage,
    registry_villages,
    served_villages,
    services_of,
    serving_by_county,
)
from cimon.store.commissioners.people import (
    PROFILE_FIELDS,
    confirm_days,
    create_commissioner,
    create_unit,
    decide_dispatch,
    edit_profile,
    end_dispatch,
    link_account,
    propose_dispatch,
    rate_by_unit,
    set_status,
)
from cimon.store.commissioners.rating import RatingRefused
from cimon.store.commissioners.rating import issue as issue_rating_code
from cimon.store.commissioners.rating import redeem as redeem_rating_code
from cimon.store.commissioners.tasks import record_task_status
from cimon.store.commissioners.teams import create_team, record_coverage
from cimon.store.commissioners.work import (
    add_evidence,
    correct_service,
    correct_venture,
    log_service,
    record_training,
    record_venture,
)
from cimon.store.commissioners.yearly import (
    calls_of,
    confirm_call,
    county_review,
    county_review_all,
    decide_candidate,
    open_call,
    province_confirm,
    province_confirm_all,
    publish_assessments,
    put_assessments_on_notice,
    put_call_on_notice,
    recommend,
    store_computed_assessments,
)

__all__ = [
    "PROFILE_FIELDS",
    "CommissionerError",
    "CountyCoverage",
    "Coverage",
    "RatingRefused",
    "TownCoverage",
    "add_evidence",
    "calls_of",
    "confirm_call",
    "confirm_days",
    "correct_service",
    "correct_venture",
    "county_review",
    "county_review_all",
    "coverage",
    "create_commissioner",
    "create_team",
    "create_unit",
    "decide_candidate",
    "decide_dispatch",
    "edit_profile",
    "end_dispatch",
    "ending_without_report",
    "inactive",
    "issue_rating_code",
    "link_account",
    "log_service",
    "open_call",
    "propose_dispatch",
    "province_confirm",
    "province_confirm_all",
    "publish_assessments",
    "put_assessments_on_notice",
    "put_call_on_notice",
    "rate_by_unit",
    "recommend",
    "record_coverage",
    "record_task_status",
    "record_training",
    "record_venture",
    "redeem_rating_code",
    "registry_coverage",
    "registry_villages",
    "served_villages",
    "services_of",
    "serving_by_county",
    "set_status",
    "store_computed_assessments",
    "team_coverage",
    "yearly_facts",
]
