"""The evaluation pages (监测评价): :mod:`.services` checks each step with the web's policy and
calls the workflow of :mod:`cimon.store.evaluations`.
"""
