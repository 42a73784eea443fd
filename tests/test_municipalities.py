"""Municipality lookup: every way people write a municipality's name."""

import pytest

from skr_fee.rules.errors import UnknownMunicipality
from skr_fee.data.municipalities import lookup, registry


def test_290_municipalities():
    assert len(registry()) == 290
    assert len({m.code for m in registry()}) == 290


@pytest.mark.parametrize("query,code", [
    ("1480", "1480"),
    (1480, "1480"),
    (1480.0, "1480"),
    ("0114", "0114"),
    ("114", "0114"),        # Excel drops the leading zero of a number
    (114, "0114"),
    ("Göteborg", "1480"),
    ("GÖTEBORG", "1480"),
    ("göteborg", "1480"),
    ("Göteborgs Stad", "1480"),
    ("Göteborgs stad", "1480"),
    ("Göteborgs kommun", "1480"),
    ("Region Gotland", "0980"),
    ("Gotlands kommun", "0980"),
    ("tyresö kommun", "0138"),
    ("Tyresö Kommun", "0138"),
    ("  Tyresö  ", "0138"),
    ("MALUNG", "2023"),
    ("Malung-Sälen", "2023"),
    ("malung sälen", "2023"),
    ("OLOFSSTRÖM", "1060"),
    ("Olofström", "1060"),
    ("TOMMELILLA", "1270"),
    ("Tomelilla", "1270"),
    ("Upplands-Väsby", "0114"),
    ("Västerås stad", "1980"),
    ("Borås", "1490"),           # a name that ends in s keeps it
    ("Stockholms stad", "0180"),
    ("1480 Göteborg", "1480"),   # as SCB writes regions
])
def test_lookup_accepts_every_form(query, code):
    assert lookup(query).code == code


@pytest.mark.parametrize("query,suggested", [
    ("Götborg", "Göteborg"),
    ("Göteburg", "Göteborg"),
    ("Tyreso", "Tyresö"),
    ("Stokholm", "Stockholm"),
    ("Malung Salen", "Malung-Sälen"),
])
def test_unknown_names_suggest_the_closest(query, suggested):
    with pytest.raises(UnknownMunicipality) as e:
        lookup(query)
    assert suggested in [m.name for m in e.value.suggestions]
    assert f"Okänd kommun: '{query}'" in e.value.message
    assert f"Menar du {suggested}" in e.value.message or suggested in e.value.message
    assert e.value.excel_error == "#N/A"


@pytest.mark.parametrize("query", ["9999", 9999, "Atlantis", "", None, True, "12345"])
def test_unknown_without_suggestion_still_explains(query):
    with pytest.raises(UnknownMunicipality, match="Ange kommunens namn eller fyrsiffriga kommunkod"):
        lookup(query)
