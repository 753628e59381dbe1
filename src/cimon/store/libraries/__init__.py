"""Resource libraries stored (issue #18): needs (需求), achievements (成果), the matches the
engine recommended with their stages, and registered technology contracts (技术合同登记).

:mod:`.models` holds the tables, :mod:`.services` runs the workflows (submit, publish or reject
a need, publish an achievement, recommend, advance a match, register a contract).
"""
