"""Reports: frequency tables, co-occurrence, coded-segment retrieval, crosstabs and charts.

Each module computes one report from the store (SQL aggregates, numpy interval arithmetic)
into a plain result with ``to_json()`` and ``tables()``; :mod:`.writers` turns those into
files and :mod:`.charts` into figures. The CLI and the GUI report panel call the same
functions.
"""
