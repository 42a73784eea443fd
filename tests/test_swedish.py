"""Swedish for the people who use it (issue 28): Swedish commands and options with the English
ones kept, messages that name what was wrong, where, and what would be right, and pages for the
economist, the auditor and IT written in Swedish.

Expected amounts: DOMAIN.md (Tyresö 2025: Totalt 93 339).
"""

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from skr_fee.data.population import publication_note

ROOT = Path(__file__).resolve().parents[1]
KEYS = ROOT / "keys"
SWEDISH = ["avgift", "tabell", "jämför", "bilaga", "fördela", "kontrollera", "importera-scb", "hämta-scb",
           "importera-deltagare", "data", "server"]


def run(*args):
    return subprocess.run([sys.executable, "-m", "skr_fee.cli", *args], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ), stdin=subprocess.DEVNULL)


def test_help_lists_the_swedish_commands():
    p = run("--help")
    assert p.returncode == 0
    listed = re.findall(r"^    (\S+)", p.stdout, re.M)
    assert listed == SWEDISH, listed


@pytest.mark.parametrize("args", [
    ("fee", "Tyresö", "--year", "2025"),
    ("avgift", "Tyresö", "--år", "2025"),
    ("avgift", "Tyresö", "--ar", "2025"),
])
def test_swedish_and_english_names_give_the_same_fee(args):
    p = run(*args)
    assert p.returncode == 0, p.stderr
    assert re.search(r"Totalt\D*93 339", p.stdout.replace("\xa0", " ")), p.stdout  # DOMAIN.md


@pytest.mark.parametrize("swedish,ascii_,english", [("jämför", "jamfor", "compare"), ("fördela", "fordela", "split")])
def test_ascii_spellings_are_the_same_command(swedish, ascii_, english):
    extra = ("Ale", "--från", "2025", "--till", "2026") if swedish == "jämför" else \
        ("Tyresö", "--nyckel", str(KEYS / "tyreso.toml"))
    outputs = {run(name, *extra).stdout for name in (swedish, ascii_, english)}
    assert len(outputs) == 1 and outputs.pop()


def test_a_year_after_the_municipality_points_to_the_option():
    p = run("avgift", "Kungsbacka", "2026")
    assert p.returncode == 2
    assert p.stderr.splitlines()[-1] == "skr-fee: fel: okända argument: 2026. Året anges med --år, t.ex. --år 2026"


def test_a_published_year_is_spoken_of_in_the_past():
    p = run("avgift", "Kungsbacka", "--år", "2022")
    assert p.returncode == 1
    assert "SCB publicerade den i februari 2021." in p.stderr and "publicerar" not in p.stderr


def test_the_tense_follows_the_day_the_message_is_shown():
    day = date(2026, 12, 31)
    assert publication_note(day, today=date(2026, 12, 6)).startswith("SCB publicerar den i februari 2027;")
    assert "--preliminär" in publication_note(day, today=date(2026, 12, 6))
    assert publication_note(day, today=date(2027, 3, 1)) == "SCB publicerade den i februari 2027."


def test_a_misspelt_municipality_in_a_key_gets_its_line_and_a_suggestion(tmp_path):
    key = tmp_path / "kungsbacka.toml"
    text = (KEYS / "tyreso.toml").read_text()
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("kommun"))
    key.write_text(re.sub(r'(?m)^kommun = .*$', 'kommun = "Kungsbaka"', text))
    p = run("bilaga", "Kungsbacka", "--nyckel", str(key), "-o", str(tmp_path / "b.xlsx"))
    assert p.returncode == 1 and not (tmp_path / "b.xlsx").exists()
    assert p.stderr.startswith(f"skr-fee: kungsbacka.toml, rad {line}: kommun = 'Kungsbaka' är ingen kommun. "
                               "Menar du Kungsbacka")


def test_a_missing_closing_quote_is_named(tmp_path):
    key = tmp_path / "k.toml"
    key.write_text('namn = "Tyresö kommun, fördelningsnyckel\nkommun = "Tyresö"\n')
    p = run("fördela", "Tyresö", "--nyckel", str(key))
    assert p.returncode == 1
    assert p.stderr.startswith("skr-fee: k.toml, rad 1: ett citattecken saknas i slutet av texten")


def swedish_share(text: str) -> float:
    """The share of Swedish among the commonest function words of both languages."""
    words = re.findall(r"[a-zåäö]+", re.sub(r"`[^`]*`|```.*?```", " ", text, flags=re.S).lower())
    sv = sum(words.count(w) for w in ("och", "att", "som", "är", "för", "med", "inte", "en", "ett", "på", "av"))
    en = sum(words.count(w) for w in ("the", "and", "that", "is", "for", "with", "not", "a", "an", "on", "of"))
    return sv / max(sv + en, 1)


@pytest.mark.parametrize("page", ["docs/kontrollsumma.md", "docs/addin.md", "docs/server.md"])
def test_the_pages_for_the_auditor_and_it_are_swedish(page):
    assert swedish_share((ROOT / page).read_text()) > 0.9


def test_the_readme_is_swedish_up_to_the_developers_part():
    readme = (ROOT / "README.md").read_text()
    users, _, developers = readme.partition("\n## For developers")
    assert developers, "the developers' part comes last, under '## For developers'"
    assert swedish_share(users) > 0.9
