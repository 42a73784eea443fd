"""The rules: periods, municipalities, population, the fee model, allocation keys and the split.

Pure Python on the standard library alone, no file or network I/O beyond what
a caller hands in, so the same code runs in CPython and in Pyodide (the
browser add-in). Amounts are exact fractions rounded once, half up, in
``rounding`` and nowhere else.

May import: nothing of skr_fee outside ``rules``. Enforced by import-linter
(``pyproject.toml``): no openpyxl, xlwings, pandas, matplotlib, babel, fcntl
or subprocess here.
"""
