"""The yearly cycle (issue #4): year-over-year comparison (:mod:`~cimon.analysis.compare`),
incentive rules and money (:mod:`~cimon.analysis.rules`, :mod:`~cimon.analysis.incentives`), the funds
ledger (:mod:`~cimon.analysis.ledger`), targets (:mod:`~cimon.analysis.targets`), county diagnostics
(:mod:`~cimon.analysis.diagnose`) and peer groups (:mod:`~cimon.analysis.peers`). Pure library code:
pandas and numpy only, no Django."""
