"""Evaluations (监测评价): runs of a year over the stored data, public notice (公示),
objections, and frozen, versioned publications with their snapshot files.

:mod:`.services` is the workflow (without permission checks: the web's policy decides those),
:mod:`.tasks` the background work, :mod:`.published` the content of a publication,
:mod:`.downloads` its files, :mod:`.basis` and :mod:`.rules` what is frozen with it.
"""
