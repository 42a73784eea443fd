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


# --- the registry built here, in the test (a cached one is built before mutants are switched on)

def test_a_registry_built_from_any_order_is_sorted_and_finds_every_spelling():
    from skr_fee.rules.municipalities import Registry

    given = list(reversed(registry().all))
    fresh = Registry(given)
    assert len(fresh) == 290
    assert [m.code for m in fresh][:2] == ["0114", "0115"]  # Upplands Väsby, Vallentuna
    assert list(fresh) == sorted(given)
    assert fresh.by_code["1480"].name == "Göteborg"
    # the official name and SKR's spelling both index the municipality
    assert fresh.lookup("Malung-Sälen").code == "2023"
    assert fresh.lookup("MALUNG").code == "2023"
    assert fresh.lookup("tommelilla").code == "1270"
    with pytest.raises(UnknownMunicipality):
        fresh.lookup("Atlantis")


def test_three_suggestions_at_most_by_default():
    many = registry().suggestions("Salaa", n=10)
    assert len(many) >= 4  # Sala, Uppsala, Svedala, ...: more than three are close
    assert registry().suggestions("Salaa") == many[:3]


def test_a_call_gets_closest_names_for_its_first_unknowns_only():
    from skr_fee.rules.municipalities import suggestion_budget

    with suggestion_budget(2):
        errors = []
        for name in ("Göteborgg", "Tyresöö", "Malmöö"):
            with pytest.raises(UnknownMunicipality) as e:
                lookup(name)
            errors.append(e.value)
    assert [bool(e.suggestions) for e in errors] == [True, True, False]
    assert "Menar du Göteborg eller" in str(errors[0])
    assert "Menar du" not in str(errors[2]) and "'Malmöö'" in str(errors[2])
    # outside a call there is no budget: every unknown name gets its suggestion
    with pytest.raises(UnknownMunicipality) as e:
        lookup("Malmöö")
    assert e.value.suggestions[0].name == "Malmö"


def test_names_up_to_sixty_characters_are_shown_whole_longer_ones_cut():
    sixty = "Q" * 60
    with pytest.raises(UnknownMunicipality) as e:
        lookup(sixty)
    assert f"'{sixty}'" in str(e.value)
    with pytest.raises(UnknownMunicipality) as e:
        lookup(sixty + "R")
    assert f"'{sixty}…'" in str(e.value) and "R" not in str(e.value).split("'")[1]
