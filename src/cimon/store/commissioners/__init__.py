"""科技特派员 stored (issue #17): dispatching units, commissioners and their versioned profiles,
teams (特派团) and their five coverages, dispatches (三方协议), service records with evidence files
and one-use rating tokens, ventures, trainings, selection (选认) and the annual assessment.

:mod:`.models` and :mod:`.records` hold the tables, :mod:`.policy` says who sees and does what,
:mod:`.services` (with :mod:`.people`, :mod:`.teams`, :mod:`.work`, :mod:`.rating`, :mod:`.yearly`)
runs the workflows, :mod:`.monitor` and :mod:`.facts` the set-based coverage, alert and
assessment-input queries, :mod:`.demo` the demo data.
"""
