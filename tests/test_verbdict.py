"""PETRARCH verb dictionaries as the coder's lexicon: the reader, pattern matching on dependency parses, and the
two event conventions. The dictionary (tests/data/dictionaries/valdoria.verbs.txt) and the sentences are written
for these tests; the actors come from the Valdoria actor file and the built-in countries."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from barometer.cli import app
from barometer.dictionaries import read_dictionary
from barometer.errors import SettingsError
from barometer.events import intent_code
from barometer.ontology import event_type, user_event_type
from barometer.pipeline import analyze_text
from barometer.settings import Settings, load_settings

DICTS = Path(__file__).parent / "data" / "dictionaries"
VERBS = DICTS / "valdoria.verbs.txt"
ACTORS = DICTS / "valdoria.actors.txt"


def _events(text: str, conventions: str = "barometer", date: str = "2020-05-01") -> list[tuple]:
    settings = Settings().with_overrides("test", {"dictionaries": os.pathsep.join(map(str, (ACTORS, VERBS))),
                                                  "event_conventions": conventions})
    analysis = analyze_text(text, date=date, settings=settings)
    return [(e.source.code if e.source else None, e.target.code if e.target else None, e.code) for e in analysis.events]


# --- reading ---------------------------------------------------------------------------------------------------

def test_verbdict_reads_blocks_forms_synonym_sets_and_codes():
    d = read_dictionary(VERBS)
    assert d.format == "petrarch-verbs" and d.verbs is not None
    blocks = {b.name: b for b in d.verbs.blocks}
    assert list(blocks) == ["ACCUSE", "MEET", "EMBARGO", "LEFT", "SEA_+TRAWL", "APPEAR", "BROKEN", "WARN", "FIRE", "BAD"]
    met = blocks["MEET"].forms[0]
    assert met.head == "MEET" and {"MET", "MEETS", "MEETING"} <= met.inflections
    trawl = blocks["SEA_+TRAWL"].forms[0]
    assert (trawl.before, trawl.head, trawl.after) == (("SEA",), "TRAWL", ()) and "TRAWLED" in trawl.inflections
    broke = blocks["BROKEN"].forms[0]
    assert (broke.head, broke.after, broke.code.value) == ("BREAK", ("OFF",), "1712") and "BROKE" in broke.inflections
    # nested sets are expanded, phrases kept as word sequences
    assert d.verbs.synsets["CATCH"] == (("HERRING",), ("COD",), ("NORTHERN", "SHRIMP"), ("KELP",))
    assert blocks["LEFT"].forms[0].code.value == "032" and blocks["LEFT"].forms[0].code.reverse == "033"
    assert blocks["EMBARGO"].forms[0].code.value is None   # [---]
    glued = next(p for p in blocks["EMBARGO"].patterns if p.code.value == "901")
    assert [(i.options, i.glued) for i in glued.after][:2] == [((("EXPORTS",),), False), ((("OF",),), True)]


def test_verbdict_bad_lines_are_skipped_with_file_line_and_reason_and_codes_outside_cameo_noted():
    d = read_dictionary(VERBS)
    reasons = [issue.split(": ", 1)[1] for issue in d.issues]
    assert reasons == [
        "PETRARCH-2 transformation rules ('~') are not read",
        "pattern '* NOWHERE [160': '[160' is not a word",
        "pattern 'NOSTAR' must hold one '*' for the verb",
        "pattern '* &UNDEFINED' names synonym set &UNDEFINED, which is not defined",
        "block code [12x?] is not a code",
    ]
    assert all(issue.startswith(f"{VERBS}:") for issue in d.issues)
    assert [note.split(": ", 1)[1].split(" ")[1] for note in d.verbs.notes] == ["901", "vld"]
    assert "petrarch-verbs, 10 verb blocks" in d.summary()


def test_verbdict_codes_outside_cameo_take_their_longest_cameo_prefix_or_no_class():
    assert user_event_type("042") == event_type("042")
    accuse = user_event_type("1123")
    assert (accuse.code, accuse.root, accuse.quad_class, accuse.goldstein) == ("1123", "11", 3, event_type("112").goldstein)
    invented = user_event_type("901")
    assert (invented.quad_class, invented.goldstein, invented.plover) == (0, 0.0, None)


def test_verbdict_event_conventions_setting_is_checked():
    assert load_settings(env={"BAROMETER_EVENT_CONVENTIONS": "petrarch"}).event_conventions == "petrarch"
    with pytest.raises(SettingsError, match="must be one of barometer, petrarch"):
        load_settings(env={"BAROMETER_EVENT_CONVENTIONS": "tabari"})


# --- coding ----------------------------------------------------------------------------------------------------

@pytest.mark.model
def test_verbdict_most_specific_pattern_wins_and_markers_place_the_target(nlp):
    # "* + OF TREASON": the target stands after the verb, before OF TREASON
    assert _events("Marta Osterlund accused Tomas Breck of treason.") == [("VLDGOV", "VLDELI", "1123")]
    # the block's own code when no pattern matches
    assert _events("Marta Osterlund accused Tomas Breck of fraud.") == [("VLDGOV", "VLDELI", "112")]
    # a null-code pattern codes nothing; its words come before the verb
    assert _events("Marta Osterlund did not accuse Tomas Breck of fraud.") == []


@pytest.mark.model
def test_verbdict_synonym_sets_glued_words_and_null_blocks(nlp):
    assert _events("Valdoria embargoed northern shrimp to Norway.") == [("VLD", "NOR", "163")]
    # "to Norway" hangs on "herring" here: no target by Barometer's rules, the first actor of the phrase by PETRARCH's
    assert _events("Valdoria embargoed exports of herring to Norway.") == [("VLD", None, "901")]
    assert _events("Valdoria embargoed exports of herring to Norway.", "petrarch") == [("VLD", "NOR", "901")]
    # EXPORTS_OF: the two words must touch
    assert _events("Valdoria embargoed exports and imports of herring to Norway.", "petrarch") == [("VLD", "NOR", "163")]
    assert _events("Valdoria embargoed timber to Norway.") == [], "the block's code is [---]"


@pytest.mark.model
def test_verbdict_irregular_multiword_forms_and_their_own_code(nlp):
    assert _events("Valdoria broke off talks with Norway.") == [("VLD", "NOR", "1712")]
    assert _events("Valdoria broke a window.") == [], "BREAK without OFF is not in the dictionary"
    assert _events("Valdoria met delegates of the Northern Concord.", "petrarch") == [("VLD", "IGONCD", "040")]
    assert _events("Valdoria met the Northern Concord.") == [("VLD", "IGONCD", "036")]


@pytest.mark.model
def test_verbdict_compound_and_source_markers(nlp):
    # "% *": the compound's actors act on each other, [043:043]
    assert sorted(_events("Valdoria and Norway met in Oslo.")) == [("NOR", "VLD", "043"), ("VLD", "NOR", "043")]
    assert _events("Valdoria met in Oslo.") == [("VLD", None, "036")], "one actor is no compound: the block's code"
    # "* WITH %": a compound after the verb is the subject's partners, not parties to each other
    assert _events("Valdoria met with Norway and Sweden.") == [("VLD", "NOR", "046"), ("VLD", "SWE", "046")]
    assert _events("Valdoria met with Norway.") == [("VLD", "NOR", "036")]
    # "IN $ * +": the source stands after IN, before the verb
    assert _events("Officials in Valdoria warned Norway.") == [("VLD", "NOR", "163")]
    # "* AT ^ +": the target is not the Oslo of the phrase passed over but the one after it
    assert _events("Valdoria warned at the Oslo summit of the Northern Concord.") == [("VLD", "IGONCD", "162")]


@pytest.mark.model
def test_verbdict_a_joint_actor_acts_as_each_member(tmp_path):
    # PETRARCH's "[A/B]": one name for several actors; each member gets the event
    joint = tmp_path / "joint.actors.txt"
    joint.write_text("SKERRY_COUNCIL [VLD/NOR]\n")
    assert read_dictionary(joint).actors[0].default == "VLD/NOR"
    settings = Settings().with_overrides("test", {"dictionaries": os.pathsep.join(map(str, (ACTORS, joint, VERBS)))})
    analysis = analyze_text("The Skerry Council accused Tomas Breck of fraud.", date="2020-05-01", settings=settings)
    (council,) = [a for a in analysis.actors if a.text.endswith("Skerry Council")]
    assert (council.code, council.members) == ("VLD", ("VLD", "NOR"))
    assert sorted((e.source.code, e.target.code, e.code) for e in analysis.events) == [
        ("NOR", "VLDELI", "112"), ("VLD", "VLDELI", "112")]


@pytest.mark.model
def test_verbdict_a_weapon_the_pattern_names_is_not_the_target(nlp):
    # "artillery" is a military agent noun, but here the pattern's own word: the shells are fired at Norway
    assert _events("Valdoria fired artillery shells at Norway.") == [("VLD", "NOR", "194")]


def test_verbdict_odd_lines_are_skipped_and_the_later_file_wins_a_tie(tmp_path):
    odd = tmp_path / "odd.txt"
    odd.write_text("&\n--- HAIL [040] ---\nHAIL {WIRE_HAILED}\n- * (TO\n")
    d = read_dictionary(odd)
    assert [i.split(": ", 1)[1] for i in d.issues] == [
        "a synonym set needs a name after '&'",
        "irregular form 'WIRE_HAILED' does not have the shape of 'HAIL'; skipped"]
    assert [p.text for p in d.verbs.blocks[0].patterns] == ["* (TO"]


@pytest.mark.model
def test_verbdict_later_file_wins_and_only_back_codes(nlp, tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("--- HAIL [040] ---\nHAIL\n")
    second.write_text("--- HAIL [051] ---\nHAIL\n")
    for files, code in (((first, second), "051"), ((second, first), "040")):
        settings = Settings().with_overrides("test", {"dictionaries": os.pathsep.join(map(str, files))})
        assert [e.code for e in analyze_text("Norway hailed Sweden.", settings=settings).events] == [code]
    # [:173]: the tribunal acts on Tomas Breck, not he on it
    assert _events("Tomas Breck appeared before a tribunal in Norway.", "petrarch") == [("NORJUD", "VLDELI", "173")]


@pytest.mark.model
def test_verbdict_a_subject_word_before_the_verb_says_nothing_of_mood(nlp):
    settings = Settings().with_overrides("test", {"dictionaries": os.pathsep.join(map(str, (ACTORS, VERBS)))})
    (event,) = analyze_text("Officials in Valdoria did not warn Norway.", date="2020-05-01", settings=settings).events
    assert (event.code, event.negated) == ("163", True), "'IN $ * +' names no mood: the negation is flagged"
    # "WILL NOT * &CATCH" names its mood: neither an intent nor a negated event, the code it gives
    (event,) = analyze_text("Valdoria will not embargo kelp to Norway.", date="2020-05-01", settings=settings).events
    assert (event.code, event.negated, event.target.code) == ("013", False, "NOR")


@pytest.mark.model
def test_verbdict_conventions_decide_moods_and_targets(nlp):
    text = "Valdoria will embargo kelp to Norway."
    assert _events(text, "barometer") == [("VLD", "NOR", intent_code("163"))]   # a stated plan: a threat
    assert _events(text, "petrarch") == [("VLD", "NOR", "163")]                 # PETRARCH codes the verb as it is
    # [032:033] codes the visit and, back, the hosting; PETRARCH's target is the first actor of the verb's phrase
    assert _events("Tomas Breck left for Norway.", "petrarch") == [("VLDELI", "NOR", "032"), ("NOR", "VLDELI", "033")]
    assert _events("Tomas Breck left.", "barometer") == [("VLDELI", None, "032")], "no code back without a target"
    assert sorted(_events("Valdoria and Norway will meet.", "barometer")) == [
        ("NOR", "VLD", intent_code("043")), ("VLD", "NOR", intent_code("043"))], "both ways are intents"
    # a speech verb is not coded when the clause it reports is
    assert _events("Norway said Valdoria embargoed kelp to Sweden.", "petrarch") == [("VLD", "SWE", "163")]


@pytest.mark.model
def test_verbdict_cli_eval_on_petrarch_records_loads_their_verb_file():
    result = CliRunner().invoke(app, ["eval", "events", "--gold", str(DICTS / "valdoria.records.xml"),
                                      "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert "valdoria.verbs.txt: petrarch-verbs" in result.stderr
    assert "events coded with petrarch conventions" in result.stderr
    exact = json.loads(result.stdout.splitlines()[0])
    assert exact["measure"] == "source-target-event code"
    assert (exact["true_positives"], exact["expected"]) == (2, 2)
