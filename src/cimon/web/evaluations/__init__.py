"""Evaluations (监测评价): run the evaluation of a year from the stored data in the background,
review it, put it on public notice (公示) with a start and end date, record objections and their
handling, then publish. Published results are frozen and versioned: a correction publishes a
new version with a reason, and the old one stays visible to administrators.

Library first: :mod:`.services` holds the workflow; models in :mod:`.models`. (The pages and the
dashboard come with the next part of issue #7.)
"""
