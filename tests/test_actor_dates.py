"""Same name, different dates, different roles: the cases in tests/data/actor_dates.tsv, one test each."""

from pathlib import Path

import pytest

from barometer.actors import resolve_actors
from barometer.tables import read_tsv

pytestmark = pytest.mark.model

CASES = read_tsv(Path(__file__).parent / "data" / "actor_dates.tsv",
                 ("date", "text", "mention", "code", "name", "office"))


@pytest.mark.parametrize("case", CASES, ids=[f"{c['mention']}@{c['date']}" for c in CASES])
def test_actor_dates_resolve_to_the_role_held_on_the_story_date(nlp, case):
    actors = resolve_actors(nlp(case["text"]), case["date"], nlp)
    found = [a for a in actors if case["mention"] in a.text]
    assert found, f"no actor covers {case['mention']!r}: {[a.text for a in actors]}"
    actor = found[0]
    office = None if case["office"] == "-" else case["office"]
    assert (actor.code, actor.name, actor.office) == (case["code"], case["name"], office)
