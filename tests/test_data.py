"""Integrity of the knowledge files in src/barometer/data."""

from collections import Counter
from datetime import date

from barometer.actors import knowledge_base
from barometer.forecasts import estimative
from barometer.lexicon import default_lexicon
from barometer.ontology import cameo
from barometer.tables import data_table


def test_data_cameo_has_every_root_with_consistent_classes():
    codes = cameo()
    roots = [f"{i:02d}" for i in range(1, 21)]
    assert all(root in codes for root in roots)
    quad = {**{r: 1 for r in roots[:5]}, **{r: 2 for r in roots[5:8]}, **{r: 3 for r in roots[8:13]},
            **{r: 4 for r in roots[13:]}}
    for code, kind in codes.items():
        assert kind.quad_class == quad[code[:2]], code
        assert -10 <= kind.goldstein <= 10, code
        assert code[:2] in codes
    assert len(codes) > 250


def test_data_lexicon_codes_valid_unique_and_every_root_covered():
    lexicon = default_lexicon()
    codes = cameo()
    patterns = [p for group in lexicon.verbs.values() for p in group]
    assert all(p.code in codes for p in patterns)
    assert all(n.code in codes for group in lexicon.nouns.values() for n in group)
    texts = Counter(p.text for p in patterns)
    assert not [t for t, n in texts.items() if n > 1]
    covered = Counter(p.code[:2] for p in patterns)
    missing = [f"{i:02d}" for i in range(1, 21) if covered[f"{i:02d}"] == 0]
    assert not missing, f"roots without verb patterns: {missing}"


def test_data_countries_codes_unique_and_aliases_unambiguous():
    rows = data_table("countries.tsv", ("code", "name", "aliases", "adjectives", "capital", "metonyms"))
    codes = Counter(r["code"] for r in rows)
    assert not [c for c, n in codes.items() if n > 1]
    assert len(codes) >= 200
    kb = knowledge_base()
    country_kinds = {"country", "adjective", "capital", "metonym"}
    clashes = [phrase for phrase, entries in kb.names.items()
               if len({e.code for e in entries if e.kind in country_kinds}) > 1]
    assert not clashes


def test_data_people_terms_are_ordered_and_roles_known():
    roles = {"head_of_state", "head_of_government", "foreign_minister", "defense_minister",
             "head_of_state_elect", "head_of_government_elect"}
    kb = knowledge_base()
    assert len(kb.people) > 200
    for person in kb.people.values():
        for term in person.terms:
            assert term.role in roles, (person.name, term.role)
            assert term.end is None or term.start <= term.end, person.name
            assert date(1900, 1, 1) <= term.start <= date.today(), person.name


def test_data_estimative_probabilities_in_range():
    table = estimative()
    assert all(0 <= cue.probability <= 1 for cue in table.values())
    assert table["likely"].probability > table["unlikely"].probability
    assert table["almost certainly"].probability > table["likely"].probability > table["might"].probability

