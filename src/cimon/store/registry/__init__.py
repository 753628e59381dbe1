"""Registries stored (issue #16): enterprises with their name and county histories,
qualifications (高企、科小 …), carriers (平台、载体、园区 …), every list import kept byte for
byte, and the review of rows a person must settle.

:mod:`.models` holds the tables, :mod:`.services` imports lists and settles review items,
:mod:`.tables` gives :mod:`cimon.registry.counts` its inputs as of a moment, :mod:`.derived`
fills framework variables declared as registry counts, :mod:`.demo` loads 模拟数据.
"""
