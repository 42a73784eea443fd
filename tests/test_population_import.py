"""SCB population files in every accepted shape, broken ones, and what imported data changes."""

import csv
import hashlib
import io
import os
import subprocess
import sys
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

import pictures
import reference
from openpyxl import Workbook

from skr_fee.excel import udf
from skr_fee.rules.errors import MissingData, SkrFeeError
from skr_fee.data.tables import fee_table
from skr_fee.data.municipalities import registry
from skr_fee.data.population import population_on
from skr_fee.data.scb_import import DataImportError, import_file

BASE = population_on(date(2023, 12, 31)).counts


def figures_2024():
    """A plausible 2024: every municipality a little changed, Ale up 6 % (a warning)."""
    out = {c: n + (int(c) % 13) * 7 - 30 for c, n in BASE.items()}
    out["1440"] = round(BASE["1440"] * 1.06)
    return out


F2024 = figures_2024()
NAMES = {m.code: m.name for m in registry()}


@pytest.fixture()
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv("SKR_FEE_DATA", str(folder))
    return folder


def snapshot(folder: Path):
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*") if p.is_file()}


def sv(n):  # SCB's thousands separator
    return f"{n:,}".replace(",", " ")


def wide_rows(counts, year=2024, country=True, spaces=False):
    rows = [["Folkmängd efter region och år"], [], ["region", str(year)]]
    if country:
        rows.append(["00 Riket", sv(sum(counts.values())) if spaces else str(sum(counts.values()))])
    rows.append(["01 Stockholms län", "2 450 000"])
    for c in sorted(counts):
        rows.append([f"{c} {NAMES[c]}", sv(counts[c]) if spaces else str(counts[c])])
    rows += [[], ["Källa: SCB, Befolkningsstatistik"], ["Uppgifterna avser 31 december."]]
    return rows


def long_rows(counts, year=2024):
    rows = [["region", "år", "Folkmängd"]]
    rows += [[f"{c} {NAMES[c]}", str(year), str(counts[c])] for c in sorted(counts)]
    return rows


def write_csv(path, rows, delimiter=",", encoding="utf-8", quote=True):
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, quoting=csv.QUOTE_ALL if quote else csv.QUOTE_MINIMAL,
               lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def write_xlsx(path, rows, numbers=True):
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append([int(v) if numbers and isinstance(v, str) and v.isdigit() else v for v in r])
    wb.save(path)
    return path


ACCEPTED = {
    "comma_utf8_bom": lambda p: write_csv(p / "a.csv", wide_rows(F2024), ",", "utf-8-sig"),
    "semicolon_utf8": lambda p: write_csv(p / "b.csv", wide_rows(F2024), ";", "utf-8"),
    "tab_cp1252": lambda p: write_csv(p / "c.csv", wide_rows(F2024), "\t", "cp1252"),
    "semicolon_latin1_spaces": lambda p: write_csv(p / "d.csv", wide_rows(F2024, spaces=True), ";", "latin-1"),
    "long_comma": lambda p: write_csv(p / "e.csv", long_rows(F2024), ",", "utf-8", quote=False),
    "xlsx_title_and_notes": lambda p: write_xlsx(p / "f.xlsx", wide_rows(F2024)),
    "xlsx_numbers_as_text_with_spaces": lambda p: write_xlsx(p / "g.xlsx", wide_rows(F2024, spaces=True), numbers=False),
    "xlsx_long": lambda p: write_xlsx(p / "h.xlsx", long_rows(F2024)),
}


@pytest.mark.parametrize("shape", sorted(ACCEPTED))
def test_every_accepted_shape_gives_the_same_stored_data(shape, tmp_path, data_dir):
    path = ACCEPTED[shape](tmp_path)
    [result] = import_file(path)
    assert result.date == date(2024, 12, 31)
    stored = population_on(date(2024, 12, 31)).counts
    assert dict(stored) == F2024
    expected = "kommunkod,kommun,folkmangd\n" + "".join(f"{c},{NAMES[c]},{F2024[c]}\n" for c in sorted(F2024))
    assert (data_dir / "population" / "2024-12-31.csv").read_text(encoding="utf-8") == expected
    assert any("Ale:" in w and "+6,0 %" in w for w in result.warnings)


def test_wide_file_with_several_years_and_date_option(tmp_path, data_dir):
    rows = [["region", "2023", "2024"]] + [[f"{c} {NAMES[c]}", BASE[c], F2024[c]] for c in sorted(BASE)]
    path = write_xlsx(tmp_path / "two.xlsx", rows)
    results = import_file(path, date(2024, 12, 31))  # --date picks one year
    assert [r.date for r in results] == [date(2024, 12, 31)]
    no_year = write_csv(tmp_path / "noyear.csv", [["region", "Folkmängd"]] + [[f"{c} {NAMES[c]}", F2024[c]] for c in BASE])
    with pytest.raises(DataImportError, match="ange --datum"):
        import_file(no_year)
    [r] = import_file(no_year, date(2024, 12, 31))
    assert r.date == date(2024, 12, 31)


def broken(tmp_path, name, rows=None, data=None):
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
        return path
    return write_csv(path, rows)


def drop(code):
    return [r for r in wide_rows(F2024) if not (r and r[0].startswith(code))]


BROKEN = {
    "missing": (lambda p: broken(p, "m.csv", drop("1480")), ["1 kommuner saknas: 1480 Göteborg"]),
    "duplicate": (lambda p: broken(p, "d.csv", wide_rows(F2024) + [["1440 Ale", "1"]]),
                  ["1440 Ale står två gånger"]),
    "text_in_number": (lambda p: broken(p, "t.csv", [r if not (r and r[0].startswith("0114")) else [r[0], ".."]
                                                      for r in wide_rows(F2024)]),
                       ["'..' är inget tal"]),
    "negative": (lambda p: broken(p, "n.csv", [r if not (r and r[0].startswith("0114")) else [r[0], "-5"]
                                               for r in wide_rows(F2024)]), ["-5 är negativt"]),
    "wrong_name": (lambda p: broken(p, "w.csv", [r if not (r and r[0].startswith("0114")) else ["0114 Vallentuna", r[1]]
                                                 for r in wide_rows(F2024)]),
                   ["kod 0114 är Upplands Väsby, men filen säger 'Vallentuna'"]),
    "country_sum": (lambda p: broken(p, "s.csv", [r if not (r and r[0] == "00 Riket") else ["00 Riket", "1"]
                                                  for r in wide_rows(F2024)]),
                    ["men raden 00 Riket säger 1"]),
    "truncated_csv": (lambda p: broken(p, "tr.csv", data=write_csv(p / "full.csv", wide_rows(F2024)).read_bytes()[:4000]),
                      ["kommuner saknas"]),
    "truncated_xlsx": (lambda p: broken(p, "tr.xlsx", data=write_xlsx(p / "full.xlsx", wide_rows(F2024)).read_bytes()[:3000]),
                       ["ingen läsbar xlsx-fil"]),
    "utf16": (lambda p: broken(p, "u.csv", data="\n".join(",".join(r) for r in wide_rows(F2024)).encode("utf-16")),
              ["UTF-16"]),
    "not_a_table": (lambda p: broken(p, "x.csv", data=b"hello;world\n1;2\n"), ["hittar ingen kolumn 'region'"]),
    "empty": (lambda p: broken(p, "e.csv", data=b""), ["filen är tom"]),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_files_are_rejected_whole_and_the_store_is_unchanged(case, tmp_path, data_dir):
    import_file(ACCEPTED["comma_utf8_bom"](tmp_path))  # something already stored
    before = snapshot(data_dir)
    make, messages = BROKEN[case]
    path = make(tmp_path)
    with pytest.raises(SkrFeeError) as e:
        import_file(path)
    assert f"{path.name} importerades inte" in e.value.message or "ingen läsbar" in e.value.message
    for m in messages:
        assert m in e.value.message
    if case not in ("truncated_xlsx", "utf16", "empty", "not_a_table", "country_sum", "missing", "truncated_csv"):
        assert "rad " in e.value.message  # names the line
    assert snapshot(data_dir) == before


def test_cli_import_then_table_2026_uses_it(tmp_path, data_dir):
    """Shipped: SCB's 2024-12-31. An imported 2024-12-31 takes precedence, and fee year 2026 uses it."""
    path = ACCEPTED["semicolon_utf8"](tmp_path)
    env = dict(os.environ, SKR_FEE_DATA=str(data_dir))
    run = lambda *a: subprocess.run([sys.executable, "-m", "skr_fee.cli", *a], capture_output=True, text=True, env=env)
    p = run("fee", "Ale", "--year", "2026")
    assert p.returncode == 0
    assert "Folkmängd 31 december 2024:  32 576 invånare" in p.stdout.replace("\u00a0", " ")  # SCB's figure
    p = run("import-scb", str(path))
    assert p.returncode == 0, p.stderr
    assert "Importerade folkmängd per 2024-12-31: 290 kommuner" in p.stdout and "Varning" in p.stdout
    p = run("table", "--year", "2026")
    assert p.returncode == 0
    rows = {r["kommunkod"]: r for r in csv.DictReader(io.StringIO(p.stdout))}
    assert rows["1440"]["folkmangd"] == str(F2024["1440"])
    expected = reference.shared_out(F2024, reference.participants_2025_2028())  # plain fractions
    assert {c: int(r["totalt"]) for c, r in rows.items()} == {c: v[2] for c, v in expected.items()}
    t = fee_table(2026)
    assert t.rate == reference.rate_2025_2028(F2024, reference.participants_2025_2028())
    assert t.population_date == date(2024, 12, 31)
    p = run("data")
    assert "2024-12-31" in p.stdout and "semicolon" not in p.stdout and "b.csv" in p.stdout and "sha256" in p.stdout


def test_preliminary_is_explicit_and_marked(tmp_path, data_dir):
    import_file(ACCEPTED["comma_utf8_bom"](tmp_path))
    with pytest.raises(MissingData, match="2026-12-31 saknas.*hämta-scb --år 2026"):
        fee_table(2028)
    t = fee_table(2028, preliminary=True)
    assert t.preliminary and t.population_date == date(2025, 12, 31)
    env = dict(os.environ, SKR_FEE_DATA=str(data_dir))
    p = subprocess.run([sys.executable, "-m", "skr_fee.cli", "table", "--year", "2028", "--preliminär"],
                       capture_output=True, text=True, env=env)
    assert p.returncode == 0 and "PRELIMINÄR" in p.stderr
    header, first = p.stdout.splitlines()[:2]
    assert header.endswith(",preliminar") and first.endswith(",1")
    # the add-in's flag
    assert udf.skr_fee("Ale", 2028, True) == 61611  # 2027's fee, from 2025-12-31 (reference.py)
    assert reference.shared_out(reference.population(2025), reference.participants_2025_2028())["1440"][2] == 61611
    assert udf.skr_fee("Ale", 2028) == "#N/A"


def test_period_2020_2024_computes_with_its_own_rules(tmp_path, data_dir):
    rows = wide_rows(BASE, year=2020)
    import_file(write_csv(tmp_path / "p2020.csv", rows))
    t = fee_table(2022)
    assert t.period.name == "2020–2024" and t.population_date == date(2020, 12, 31)
    assert {c for c, f in t.by_code.items() if f.discounted} == {"0180", "1480", "1280", "0380"}
    f = t.fee("Ale")
    assert [a.id for a in f.areas] == ["kvalitetsregister", "uppfoljning", "kunskapsstyrning"]
    assert f.area("kvalitetsregister").exact == f.exact_total * Fraction(146, 195)
    assert len(f.invoices) == 1 and len(t.fees) == 290  # no list imported: everyone


def test_participation_list_per_period(tmp_path, data_dir):
    from skr_fee.data.participation_import import import_participants
    path = tmp_path / "deltagare.csv"
    lines = ["kommunkod;deltar"] + [f"{c};{0 if c in ('0114', '1440') else 1}" for c in sorted(NAMES)]
    path.write_text("\n".join(lines), encoding="utf-8")
    stored, count = import_participants(path, "2025-2028")
    assert count == 288 and stored.exists()
    t = fee_table(2025)
    assert "1440" not in t.by_code and "1883" in t.by_code
    bad = tmp_path / "bad.csv"
    bad.write_text("kommunkod;deltar\n0114;ja\n", encoding="utf-8")
    with pytest.raises(SkrFeeError, match="deltar ska vara 1 eller 0"):
        import_participants(bad, "2025-2028")


def test_compare_table_and_chart(tmp_path, data_dir):
    from skr_fee.documents.compare import compare, write_chart, write_table
    import_file(ACCEPTED["comma_utf8_bom"](tmp_path))
    one = compare("Ale", 2025, 2026)
    [r] = one.rows
    assert (r.population_from, r.population_to) == (BASE["1440"], F2024["1440"])
    assert r.fee_from == 61588  # SKR's table
    assert r.fee_to == reference.shared_out(F2024, reference.participants_2025_2028())["1440"][2]
    assert r.change == r.fee_to - r.fee_from and r.change_percent > 5
    everyone = compare(None, 2025, 2026)
    assert len(everyone.rows) == 288
    text = write_table(everyone, None, "csv")
    assert text.splitlines()[0] == ("kommunkod,kommun,folkmangd_fran,folkmangd_till,avgift_fran,avgift_till,"
                                    "forandring_kr,forandring_procent")
    write_table(everyone, str(tmp_path / "j.xlsx"), "xlsx")
    png = tmp_path / "ale.png"
    write_chart(one, str(png))
    seen = pictures.look(png.read_bytes())
    assert seen["size"] == (960, 540)
    assert 0.05 < seen["inked"] < 0.6 and pictures.near(seen["colours"], "#1F4E79")  # the bars are drawn
    keep = os.environ.get("SKR_FEE_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        png.replace(Path(keep) / "jamforelse_ale.png")
