"""verify computes an annex's amounts again from the rules and says what differs, for each way the
annex sheet can be changed: a board's amount, text in its place, a board's row gone, a row below the
sum, the headings gone. Expected amounts: tests/reference.py (SCB's files, plain fractions) and the
test's own largest-remainder split of Tyresö's 93 339 kr by 40/30/30."""

from fractions import Fraction
from math import floor
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell

import reference
from skr_fee.data.tables import fee_table
from skr_fee.documents.annex_files import write_annex
from skr_fee.documents.fingerprint import verify
from skr_fee.rules.key_toml import parse_key

ROOT = Path(__file__).resolve().parents[1]
NBSP = "\u00a0"
BOARDS = ["VO äldreomsorg", "VO omsorg om personer med funktionsnedsättning", "Arbetsmarknads- och socialnämnden"]


def split(amount: int, weights: list[int]) -> list[int]:
    exact = [Fraction(amount * w, sum(weights)) for w in weights]
    parts = [floor(x) for x in exact]
    for i in sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))[:amount - sum(parts)]:
        parts[i] += 1
    return parts


def kr(n: int) -> str:
    return f"{n:,}".replace(",", " ") + " kr"


@pytest.fixture()
def tyreso(tmp_path):
    """Made in each test: the table's amount (Faktura 1 + 2) and the boards' amounts by the rules."""
    f1, f2, _ = reference.shared_out(reference.population(2023), reference.participants_2025_2028())["0138"]
    t = fee_table(2025)
    out = tmp_path / "tyreso.xlsx"
    write_annex(t, t.fee("Tyresö"), parse_key((ROOT / "keys" / "tyreso.toml").read_text(), "tyreso.toml"), out,
                password="x")
    return out, f1 + f2, dict(zip(BOARDS, split(f1 + f2, [40, 30, 30])))


def findings_after(path: Path, edit) -> tuple[list[str], bool | None]:
    wb = load_workbook(path)
    edit(list(wb["Bilaga"].iter_rows(max_col=2)))
    wb.save(path)
    v = verify(path)
    return [f.replace(NBSP, " ") for f in v.findings], v.follows_rules


def split_row(rows, board: str):
    """The board's row in 'Fördelning per nämnd' (the key's table above names the boards too)."""
    return [(a, b) for a, b in rows if str(a.value).strip() == board][-1]


KEEP = object()
# one board's row changed: (the board, its name cell, its amount cell from the rules' amount, the finding)
ROW_CHANGES = {
    "a krona more": (0, KEEP, lambda n: n + 1, "Bilagan anger {more} för {board}; reglerna ger {rule}."),
    "text for the amount": (1, KEEP, lambda n: "UTKAST", "Bilagan anger 'UTKAST' för {board}; reglerna ger {rule}."),
    "the row emptied": (2, None, lambda n: None, "Nämnden {board} finns inte i bilagans fördelning."),
    "the name emptied": (2, None, lambda n: n, "Nämnden {board} finns inte i bilagans fördelning."),
}


@pytest.mark.parametrize("case", sorted(ROW_CHANGES))
def test_a_boards_row_changed_is_named(tyreso, case):
    path, _, rules = tyreso
    i, name, amount, finding = ROW_CHANGES[case]
    board = BOARDS[i]

    def edit(rows):
        a, b = split_row(rows, board)
        if name is not KEEP:
            a.value = name
        b.value = amount(rules[board])
    findings, follows = findings_after(path, edit)
    assert follows is False
    assert findings == [finding.format(board=board, more=kr(rules[board] + 1), rule=kr(rules[board]))]


def test_a_row_below_the_sum_is_no_boards_amount(tyreso):
    path, _, rules = tyreso

    def edit(rows):
        split_row(rows, BOARDS[0])[1].value = 1
        summa = next(i for i, (a, _) in enumerate(rows) if a.value == "Summa")
        a, b = next((a, b) for a, b in rows[summa + 1:] if a.value is None and not isinstance(a, MergedCell))
        a.value, b.value = BOARDS[0], rules[BOARDS[0]]
    findings, _ = findings_after(path, edit)
    assert findings == [f"Bilagan anger 1 kr för {BOARDS[0]}; reglerna ger {kr(rules[BOARDS[0]])}."]


def test_without_the_headings_nothing_is_taken_for_an_amount(tyreso):
    path, _, _ = tyreso

    def edit(rows):
        for a, _ in rows:
            if a.value == "Fördelning per nämnd" or str(a.value).startswith("Att fördela"):
                a.value = "(borttaget)"
    findings, follows = findings_after(path, edit)
    assert follows is False and findings == [f"Nämnden {b} finns inte i bilagans fördelning." for b in BOARDS]


def test_a_key_whose_first_board_has_no_parts_is_read_from_its_first_row(tmp_path):
    t = fee_table(2025)
    key = parse_key('namn = "k"\n[[namnd]]\nnamn = "Kultur"\nandel = 25\n[[namnd]]\nnamn = "Social"\nandel = 75\n'
                    '  [[namnd.del]]\n  namn = "IFO"\n  andel = 75\n', "k.toml")
    write_annex(t, t.fee("Tyresö"), key, tmp_path / "b.xlsx", password="x")
    f1, f2, _ = reference.shared_out(reference.population(2023), reference.participants_2025_2028())["0138"]
    v = verify(tmp_path / "b.xlsx")
    assert v.follows_rules is True and v.findings[0].replace(NBSP, " ") == (
        f"Beräkningen stämmer med reglerna: Tyresö 2025, {kr(f1 + f2)} på 2 nämnder (folkmängd per 2023-12-31).")
