"""The data: what ships with the product and what the user brings in.

Embedded files beside these modules (``periods/*.toml``, ``population/*.csv``,
``participants/*.csv``, ``kommuner.csv``) and their loaders; the national
table built from them (``tables``); the importers of SCB's and participation
files; the user's data directory (``store``) and atomic file writes.

May import: ``rules``. The loaders on the fee path (periods, municipalities,
population, participation, tables) stay free of pandas, openpyxl and
matplotlib so that they run in Pyodide; the importers may use them.
"""
