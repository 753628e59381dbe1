"""The Django-ORM storage of cimon as a library (issue #15): submissions and their observations,
evaluations and their publications, accounts and the audit log.

Usable from Python and the command line without the web platform::

    from cimon.store.setup import ensure_django
    ensure_django()  # configures Django with cimon.store.settings unless already configured
    from cimon.store.submissions.queries import panel_as_of

Apps keep the labels, table names and migrations they had under ``cimon.web``
(``accounts``, ``submissions``, ``evaluations``), so existing databases work unchanged.
Nothing here imports :mod:`cimon.web`; the web adds its pages and its permission policy on top.
"""
