"""The workbook templates economists open, built by code (``make templates``).

``workbook_templates/`` holds the built files; the annex generator starts
from the annex template.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from openpyxl.styles import Font, NamedStyle
from openpyxl.workbook.workbook import Workbook

from . import workbooks as wbk

REPO_TEMPLATES = Path(__file__).resolve().parents[2] / "workbook_templates"
ANNEX_FILE = "bilaga.xlsx"


def build_annex_template() -> Workbook:
    """The annex layout: styles, column widths, print setup; the generator fills it."""
    wb, ws = wbk.new_workbook()
    ws.title = "Bilaga"
    heading = NamedStyle(name="Rubrik", font=wbk.HEADING)
    wb.add_named_style(heading)
    ws["A1"] = "Bilaga: avgift till SKR och fördelning per nämnd"
    ws["A1"].font = wbk.TITLE
    ws["A2"] = "Fylls i av skr-fee annex."
    ws["A2"].font = Font(name=wbk.FONT, italic=True, size=10)
    for col, width in {"A": 48, "B": 18, "C": 22, "D": 4}.items():
        ws.column_dimensions[col].width = width
    ws.sheet_view.showGridLines = False
    wbk.print_setup(ws, "Bilaga")
    return wb


def annex_template() -> Workbook:
    """The annex template from ``workbook_templates/`` when it is there, else built."""
    path = REPO_TEMPLATES / ANNEX_FILE
    if path.exists():
        return load_workbook(path)
    return build_annex_template()


def build_all(folder: Path = REPO_TEMPLATES) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ANNEX_FILE
    build_annex_template().save(path)
    return [path]


if __name__ == "__main__":
    for p in build_all():
        print(p)
