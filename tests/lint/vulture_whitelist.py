"""Names vulture cannot see used (make lint): each is read by name by a framework, a library or a
file format, not by the product's own Python. Anything else vulture finds is dead code: remove it."""
# ruff: noqa
# fmt: off
_ = object()

# called by name from JavaScript: the task pane (main.js) and the browser build's recalculation (wasm.js)
from skr_fee.documents.check import check_upload_json
from skr_fee.excel.batch import call_many
check_upload_json, call_many
# gunicorn loads the worker class by its dotted name (Containerfile: -k skr_fee.server.worker.Worker)
from skr_fee.server.worker import Worker
Worker
# the fee model's exact amount before rounding, stated for readers and checked by the property tests
_.exact_total
# fields of a period file (data/periods/*.toml) kept as SKR decided them: the decision date and sources
_.decided
_.pricing_sources

# attributes that openpyxl, python-docx and zipfile write into the file by name
_.showGridLines; _.horizontalCentered; _.orientation; _.paperSize; _.calc_on_load; _.bottom
_.algorithmName; _.hashValue; _.saltValue; _.spinCount
_.selectLockedCells; _.selectUnlockedCells; _.formatCells; _.formatColumns; _.formatRows
_.deleteColumns; _.deleteRows; _.insertColumns; _.insertRows; _.autoFilter; _.sort
_.creator; _.lastModifiedBy; _.keywords; _.author; _.last_modified_by; _.comments; _.modified
_.revision; _.language; _._blob
_.page_height; _.page_width; _.left_margin; _.right_margin
_.space_after; _.space_before; _.left_indent; _.keep_with_next
_.external_attr; _.compress_type
# attributes the standard library and uvicorn read by name: argparse's help, warnings' showwarning,
# logging's handlers and a record's msg, a uvicorn cycle's keep_alive
_.help; _.showwarning; _.handlers; _.msg; _.keep_alive
