"""The documents people read: the annex, SKR's national table, comparisons, the templates.

Workbooks (openpyxl), Swedish number formats (Babel), the fingerprint and its
verification, the SHA-512 lock, PDF/A through LibreOffice, charts
(matplotlib), and reading keys from files.

May import: ``data`` and ``rules``. Not Excel: nothing here knows of xlwings.
"""
