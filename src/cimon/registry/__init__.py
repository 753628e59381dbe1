"""Registries behind the counts (issue #16), the library half: no Django, no database.

* :mod:`cimon.registry.codes` — 统一社会信用代码 validation (GB 32100-2015, GB 11714);
* :mod:`cimon.registry.names` — enterprise names made comparable (Traditional/Simplified,
  full-width, brackets, legal forms);
* :mod:`cimon.registry.match` — incoming rows matched to records by code, name, then fuzzy
  candidates for a person (RapidFuzz);
* :mod:`cimon.registry.lists` — official lists (Excel/CSV) read within the intake limits,
  all-or-nothing, with cell-level errors;
* :mod:`cimon.registry.counts` — valid qualifications and carriers per county on a date, with
  the records behind each count;
* :mod:`cimon.registry.villages` — 乡镇 and 村 with their 12-digit statistical codes (国家统计局
  2023, the whole country; issue #17), loaded on first use.

``docs/registries.md`` describes them.
"""

from cimon.registry.codes import CodeCheck, check_code, is_valid_code, normalise_code
from cimon.registry.counts import Counts, Registry, count_on, count_years, year_end
from cimon.registry.lists import ListRead, read_list
from cimon.registry.match import Candidate, RecordIndex, match_rows, needs_review
from cimon.registry.names import name_key, name_keys

__all__ = [
    "Candidate",
    "CodeCheck",
    "Counts",
    "ListRead",
    "RecordIndex",
    "Registry",
    "check_code",
    "count_on",
    "count_years",
    "is_valid_code",
    "match_rows",
    "name_key",
    "name_keys",
    "needs_review",
    "normalise_code",
    "read_list",
    "year_end",
]
