import pytest

from barometer.actors import knowledge_base, resolve_actors

pytestmark = pytest.mark.model


def _actors(nlp, text, day):
    return resolve_actors(nlp(text), day, nlp)


def _by_text(actors):
    return {a.text: a for a in actors}


def test_actors_title_and_name_merge_into_one_person(nlp):
    actors = _actors(nlp, "Russian Foreign Minister Sergei Lavrov arrived in Geneva.", "2025-07-10")
    lavrov = [a for a in actors if a.name == "Sergei Lavrov"]
    assert len(lavrov) == 1
    assert lavrov[0].text == "Russian Foreign Minister Sergei Lavrov"
    assert (lavrov[0].country, lavrov[0].role, lavrov[0].code, lavrov[0].kind) == ("RUS", "GOV", "RUSGOV", "person")


def test_actors_president_elect_is_not_yet_the_government(nlp):
    before = _actors(nlp, "President-elect Joe Biden spoke to reporters.", "2020-12-15")
    after = _actors(nlp, "President Joe Biden spoke to reporters.", "2021-02-15")
    biden_before = next(a for a in before if a.name == "Joe Biden")
    biden_after = next(a for a in after if a.name == "Joe Biden")
    assert biden_before.code == "USAELI" and "elect" in (biden_before.office or "").lower()
    assert biden_after.code == "USAGOV" and biden_after.office == "President"


def test_actors_same_name_different_dates_different_roles(nlp):
    as_president = _actors(nlp, "Vladimir Putin met the delegation.", "2006-05-01")
    as_premier = _actors(nlp, "Vladimir Putin met the delegation.", "2010-05-01")
    assert next(a for a in as_president if a.name == "Vladimir Putin").office == "President"
    assert next(a for a in as_premier if a.name == "Vladimir Putin").office == "Prime Minister"


def test_actors_metonyms_capitals_and_groups(nlp):
    actors = _by_text(_actors(nlp, "The Kremlin said Washington had expelled three Russian diplomats.", "2025-03-04"))
    assert actors["Kremlin"].code == "RUSGOV"
    assert actors["Washington"].code == "USAGOV"
    diplomats = next(a for a in actors.values() if "diplomats" in a.text)
    assert diplomats.code == "RUSGOV" and diplomats.kind == "group"


def test_actors_surname_refers_back_within_document(nlp):
    text = "Chinese Foreign Minister Wang Yi flew to Tokyo. Wang said the talks were useful."
    actors = _actors(nlp, text, "2025-05-01")
    wang = [a for a in actors if a.name == "Wang Yi"]
    assert len(wang) == 2 and wang[1].text == "Wang" and wang[1].code == "CHNGOV"


def test_actors_unknown_person_keeps_affiliation_from_text(nlp):
    text = "Priya Raman, a senior fellow at the Lowy Institute, said the deal was fragile."
    actors = _actors(nlp, text, "2025-05-01")
    raman = next(a for a in actors if a.kind == "person")
    assert raman.name == "Priya Raman"
    assert raman.affiliation == "Lowy Institute"


def test_actors_knowledge_base_knows_offices_by_date():
    kb = knowledge_base()
    from datetime import date
    putin = kb.people["Vladimir Putin"]
    assert putin.term_on(date(2010, 1, 1)).role == "head_of_government"
    assert putin.term_on(date(2020, 1, 1)).role == "head_of_state"


def test_actors_groups_take_the_country_they_are_placed_in(nlp):
    actors = _by_text(_actors(nlp, "Rebels in the Ivory Coast seized a town. Protesters from Georgia marched.",
                              "2025-06-01"))
    assert actors["Rebels"].code == "CIVREB"
    assert actors["Protesters"].country == "GEO"


def test_actors_former_leader_by_surname_is_an_elite_of_their_country(nlp):
    actors = _actors(nlp, "President Reagan praised the treaty.", "1995-01-01")
    reagan = next(a for a in actors if a.name == "Ronald Reagan")
    assert (reagan.code, reagan.office) == ("USAELI", "former President")
    in_office = next(a for a in _actors(nlp, "Reagan praised the treaty.", "1985-01-01") if a.name == "Ronald Reagan")
    assert in_office.code == "USAGOV"
