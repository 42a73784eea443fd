"""Property tests of the fee model on random populations and participant sets."""

from datetime import date
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from skr_fee.rules.fees import build_table
from skr_fee.data.municipalities import registry
from skr_fee.data.periods import period_for_year
from skr_fee.rules.population import Population

CODES = sorted(registry().by_code)


@st.composite
def scenarios(draw):
    codes = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=60, unique=True))
    pops = draw(st.lists(st.integers(min_value=0, max_value=1_200_000), min_size=len(codes), max_size=len(codes)))
    # every participant counts someone, or no rate can be set
    if sum(pops) == 0:
        pops[0] = 1
    counts = dict.fromkeys(CODES, 0) | dict(zip(codes, pops))
    year = draw(st.sampled_from([2022, 2025]))
    return year, Population(date(year - 2, 12, 31), counts, "test"), codes


@given(scenarios())
def test_rate_never_exceeds_cap(s):
    year, pop, codes = s
    t = build_table(year, period_for_year(year), pop, codes, registry())
    assert t.rate <= Fraction(t.period.cap_per_inhabitant)
    assert t.rate == min(t.uncapped_rate, Fraction(t.period.cap_per_inhabitant))


@given(scenarios())
def test_exact_totals_sum_to_period_total_when_cap_does_not_bind(s):
    year, pop, codes = s
    t = build_table(year, period_for_year(year), pop, codes, registry())
    collected = sum(f.exact_total for f in t.fees)
    if t.period.pricing == "per_inhabitant":  # 2020-2024: a flat price, nothing shared out
        assert t.rate == Fraction(195, 100)
        assert all(f.exact_total == f.weighted * Fraction(195, 100) for f in t.fees)
    elif t.cap_binds:
        assert collected < t.period.total
    else:
        assert collected == t.period.total
        for number, invoice in enumerate(t.period.invoices):
            assert sum(f.invoices[number].exact for f in t.fees) == invoice.amount


@given(scenarios())
def test_rounding_error_per_cell_at_most_half_a_krona(s):
    year, pop, codes = s
    t = build_table(year, period_for_year(year), pop, codes, registry())
    for f in t.fees:
        assert abs(Fraction(f.total) - f.exact_total) <= Fraction(1, 2)
        for line in f.invoices + f.areas:
            assert abs(Fraction(line.amount) - line.exact) <= Fraction(1, 2)
            assert line.amount == int(line.amount)


@given(scenarios())
def test_weighting_follows_the_discount_rule(s):
    year, pop, codes = s
    t = build_table(year, period_for_year(year), pop, codes, registry())
    d = t.period.discount
    for f in t.fees:
        expected = Fraction(f.population) * (Fraction(d.factor) if f.discounted else 1)
        assert f.weighted == expected
        if d.rule == "population_above":
            assert f.discounted == (f.population > d.threshold)
    if d.rule == "largest":  # the four largest of all municipalities, participants or not
        everyone = pop.counts
        for f in t.fees:
            larger = sum(1 for n in everyone.values() if n > f.population)
            at_least = sum(1 for c, n in everyone.items() if n >= f.population and c != f.municipality.code)
            if f.discounted:
                assert larger < d.count
            else:
                assert at_least >= d.count
