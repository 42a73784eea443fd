"""Excel: the one registry of functions and what both Excel routes share.

``functions`` describes every ``SKR_*`` function once; ``cells`` computes one
cell's value; ``udf`` maps ranges and turns errors into Excel error values;
``officejs`` carries error cells to Office.js; ``pycel_functions`` binds them
for headless evaluation; ``workbook_inputs`` reads a live book for the annex
buttons. The shells in ``addin/`` are a few lines per function over these.

May import: ``documents``, ``data`` and ``rules``.
"""
