"""Where the workbooks keep what is read back: the templates' inputs (read by the annex buttons and
by sheet keys) and the annex's own sheet (read by verify)."""

ANNEX_SHEET = "Bilaga"

# fee workbook
YEAR_CELL = "B2"
FEES_HEADER_ROW = 4
# allocation workbook
KOMMUN_CELL = "B3"
AR_CELL = "B4"
KEY_HEADER_ROW = 11
KEY_FIRST_ROW = 12
KEY_ROWS = 20
KEY_LAST_ROW = KEY_FIRST_ROW + KEY_ROWS - 1
KEY_RANGE = f"A{KEY_FIRST_ROW}:C{KEY_LAST_ROW}"
