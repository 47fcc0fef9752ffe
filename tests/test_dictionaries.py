"""User actor dictionaries: the readers (PETRARCH actors and agents, Barometer TSV), the date rules, and how
their entries resolve inside the pipeline. The dictionaries in tests/data/dictionaries describe an invented
country, Valdoria (VLD), so no built-in entry can answer in their place."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from barometer.actors import knowledge_base, knowledge_for, office_holders, resolve_actors
from barometer.cli import app
from barometer.dictionaries import DatedCode, parse_day, read_dictionary, readable, split_code
from barometer.errors import KnowledgeError, SettingsError
from barometer.pipeline import analyze_text
from barometer.settings import Settings, load_settings

DICTS = Path(__file__).parent / "data" / "dictionaries"
ACTORS = DICTS / "valdoria.actors.txt"
AGENTS = DICTS / "valdoria.agents.txt"
OURS = DICTS / "valdoria.tsv"
PEOPLE = DICTS / "valdoria.people.tsv"
ALL = tuple(str(p) for p in (ACTORS, AGENTS, OURS, PEOPLE))


def _actor(dictionary, name):
    return next(a for a in dictionary.actors if a.name == name)


# --- reading ---------------------------------------------------------------------------------------------------

def test_dictionaries_petrarch_actors_blocks_synonyms_and_codes():
    d = read_dictionary(ACTORS)
    assert d.format == "petrarch-actors"
    assert [a.name for a in d.actors] == ["Valdoria", "Port Eskel Palace", "Marta Osterlund", "Tomas Breck",
                                         "Northern Concord", "Asta Rime", "Keld Varn", "Lantern Brotherhood"]
    valdoria = _actor(d, "Valdoria")
    assert valdoria.phrases == ("Valdoria", "Valdorian", "Republic Of Valdoria", "Port Eskel")
    assert (valdoria.default, valdoria.dated) == ("VLD", ())
    osterlund = _actor(d, "Marta Osterlund")
    assert osterlund.dated == (DatedCode("VLDOPP", None, date(2019, 3, 14)),
                               DatedCode("VLDGOV", date(2019, 3, 15), date(2023, 11, 30)),
                               DatedCode("VLDELI", date(2023, 12, 1), None))
    assert not osterlund.has_default
    assert _actor(d, "Tomas Breck").dated == (DatedCode("VLDMIL", date(1998, 1, 1), date(2005, 12, 31)),)
    # primary phrases with no code of their own share the next block's codes, as PETRARCH reads them
    rime = _actor(d, "Asta Rime")
    assert rime.phrases == ("Asta Rime", "Asta M. Rime", "Foreign Minister Rime")
    assert rime.dated == (DatedCode("VLDGOV", date(2010, 1, 1), date(2014, 12, 31)),)
    # several codes on the primary line
    varn = _actor(d, "Keld Varn")
    assert varn.default == "VLDBUS" and varn.dated == (DatedCode("VLDGOV", date(2015, 1, 1), date(2018, 12, 31)),)
    assert all("Ignored" not in a.name for a in d.actors), "lines after ---STOP--- are not read"


def test_dictionaries_petrarch_actors_bad_lines_are_skipped_with_file_line_and_reason():
    issues = read_dictionary(ACTORS).issues
    assert "valdoria.actors.txt:32: date restriction '20100101' must be <DATE, >DATE or DATE-DATE" in issues
    assert any(i.startswith("valdoria.actors.txt:33: bad code 'VLD-GOV'") for i in issues)
    assert "valdoria.actors.txt:34: an empty synonym" in issues
    assert "valdoria.actors.txt:35: date range '20200101-20191231' ends before it starts" in issues
    assert "valdoria.actors.txt:36: missing ']'" in issues
    assert "valdoria.actors.txt:35: 'Riverside Council' has no code" in issues
    assert len(issues) == 8


def test_dictionaries_code_on_a_date_follows_petrarch_rules():
    d = read_dictionary(ACTORS)
    osterlund, breck, lantern = (_actor(d, n) for n in ("Marta Osterlund", "Tomas Breck", "Lantern Brotherhood"))
    # as PETRARCH's validation records expect: '<' is on or before, '>' on or after, a range includes both ends
    assert osterlund.code_on(date(2019, 3, 14)) == "VLDOPP"
    assert osterlund.code_on(date(2019, 3, 15)) == "VLDGOV"
    assert osterlund.code_on(date(2023, 11, 30)) == "VLDGOV"
    assert osterlund.code_on(date(2023, 12, 1)) == "VLDELI"
    # outside every restriction: the undated code
    assert breck.code_on(date(2005, 12, 31)) == "VLDMIL" and breck.code_on(date(2006, 1, 1)) == "VLDELI"
    # the null code: not an actor on that date; it still applies
    assert lantern.code_on(date(2015, 6, 1)) == "VLDREB" and lantern.code_on(date(2015, 6, 2)) is None
    assert lantern.applies(date(2015, 6, 2))
    # no restriction covers the date and there is no undated code: nothing applies
    rime = _actor(d, "Asta Rime")
    assert rime.code_on(date(2016, 1, 1)) is None and not rime.applies(date(2016, 1, 1))
    # no story date: the undated code, else the restriction that starts last
    assert breck.code_on(None) == "VLDELI" and osterlund.code_on(None) == "VLDELI" and lantern.code_on(None) is None


def test_dictionaries_code_on_takes_the_first_restriction_that_covers_the_date(tmp_path):
    path = tmp_path / "overlap.actors.txt"
    path.write_text("KAI_MORROW [VLD]\n\t[VLDBUS 20100101-20100131]\n\t[VLDGOV 20090101-20111231]\n")
    kai = read_dictionary(path).actors[0]
    assert kai.code_on(date(2010, 1, 15)) == "VLDBUS" and kai.code_on(date(2010, 2, 1)) == "VLDGOV"


@pytest.mark.parametrize(("text", "expected"), [
    ("991231", date(1999, 12, 31)), ("300101", date(2030, 1, 1)), ("310101", date(1931, 1, 1)),
    ("20240229", date(2024, 2, 29)), ("20230229", None), ("2004017", None), ("2024-01-01", None), ("", None)])
def test_dictionaries_petrarch_dates(text, expected):
    assert parse_day(text) == expected


def test_dictionaries_petrarch_agents_plurals_sets_and_prefixes():
    d = read_dictionary(AGENTS)
    assert d.format == "petrarch-agents"
    nouns = {a.phrase: (a.code, a.prefix) for a in d.agents}
    assert nouns["harbour pilots"] == ("CVL", False)
    assert "militia secretaries" in nouns and "chief attorneys" in nouns
    assert nouns["state press"] == ("GOVMED", False) and "state presses" not in nouns
    assert "ferrymen" in nouns and "ferrymans" not in nouns
    assert nouns["relief agency"] == ("NGO", True) and "relief agencies" in nouns
    assert {"dockworker", "dockworkers", "dockhand", "dockhands"} <= set(nouns)
    assert nouns["dockhand"] == ("LAB", False)
    assert [i.split(": ", 1)[0] for i in d.issues] == [f"valdoria.agents.txt:{n}" for n in (12, 13, 14, 15)]
    assert "!GUARD! is not defined" in d.issues[0]


def test_dictionaries_barometer_tsv_dated_rows_and_agent_nouns():
    d = read_dictionary(OURS)
    assert d.format == "barometer-actors"
    valk = _actor(d, "Irena Valk")
    assert valk.phrases == ("Irena Valk", "Chancellor Valk")
    # end is the first day the code no longer applies, as in people.tsv
    assert valk.code_on(date(2024, 1, 31)) == "VLDLEG" and valk.code_on(date(2024, 2, 1)) == "VLDGOV"
    assert valk.code_on(date(2016, 4, 30)) is None
    assert {(a.phrase, a.code) for a in d.agents} == {("weather spotter", "ENV"), ("weather spotters", "ENV")}
    assert [i.split(": ", 1)[0] for i in d.issues] == [f"valdoria.tsv:{n}" for n in (7, 8, 9, 10)]


def test_dictionaries_knowledge_table_rows_are_taken_as_they_are():
    d = read_dictionary(PEOPLE)
    assert d.format == "people" and [r["name"] for r in d.rows] == ["Petra Huld", "Jonas Aberg"]


@pytest.mark.parametrize(("content", "message"), [
    (None, "no such file"),
    (b"\xff\xfe\x00bad", "not UTF-8"),
    ("# only comments\n\n", "no actor, agent or verb entries"),
    ("&ONLY_A_SET\n+WORD\n", "no actor, agent or verb entries"),
    ('<ISSUE CATEGORY="X" TYPE="ALL">\n', "PETRARCH issue file"),
    ("phrase\tcountry\nfoo\tbar\n", "a TSV header must start with names/code/start/end"),
])
def test_dictionaries_unreadable_files_name_the_file_and_reason(tmp_path, content, message):
    path = tmp_path / "user.txt"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    with pytest.raises(KnowledgeError, match=message) as caught:
        read_dictionary(path)
    assert str(path) in str(caught.value)


def test_dictionaries_readable_phrases_and_codes():
    assert readable("PRESIDENT_MARTA_OSTERLUND_") == "President Marta Osterlund"
    assert readable("THE_NORTHERN_CONCORD_(NC)") == "Northern Concord"
    assert readable("U.N._ENVOY") == "U.N. Envoy" and readable("AL-QADIM_FRONT") == "Al-Qadim Front"
    assert readable("The Hague") == "Hague"    # a leading article is dropped: "the Hague" still matches
    assert split_code("VLD", set()) == ("VLD", None, "state")
    assert split_code("VLDREBHMS", set()) == ("VLD", "REB", "group")
    assert split_code("VLDHMSMIL", set()) == ("VLD", "MIL", "group")
    assert split_code("IGONCD", set()) == (None, None, "igo")
    assert split_code("NGOSRO", set()) == (None, None, "organization")
    assert split_code("NGOHRI", set()) == (None, "HRI", "organization")
    assert split_code("IMGMUSREB", set()) == (None, "REB", "organization")   # a role before a religion
    assert split_code("ELI", set()) == (None, "ELI", "group")


# --- settings ---------------------------------------------------------------------------------------------------

def test_dictionaries_setting_from_a_toml_list_and_the_environment(tmp_path):
    config = tmp_path / "b.toml"
    config.write_text('[barometer]\ndictionaries = ["a.txt", "b.tsv"]\n')
    assert load_settings(config, env={}).dictionary_paths == ("a.txt", "b.tsv")
    import os
    env = {"BAROMETER_DICTIONARIES": os.pathsep.join(["x.txt", "", "y.txt"])}
    assert load_settings(None, env=env).dictionary_paths == ("x.txt", "y.txt")
    assert Settings().dictionary_paths == ()


# --- resolution (model-backed) ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def kb():
    return knowledge_base(ALL)


def _codes(nlp, kb, text, day):
    return {a.text: a.code for a in resolve_actors(nlp(text), day, nlp, kb)}


@pytest.mark.model
def test_dictionaries_same_name_resolves_by_the_story_date(nlp, kb):
    text = "Marta Osterlund met the ambassadors."
    assert _codes(nlp, kb, text, "2018-01-01")["Marta Osterlund"] == "VLDOPP"
    assert _codes(nlp, kb, text, "2020-01-01")["Marta Osterlund"] == "VLDGOV"
    assert _codes(nlp, kb, text, "2024-06-01")["Marta Osterlund"] == "VLDELI"
    assert _codes(nlp, kb, "Foreign Minister Rime spoke.", "2012-01-01") == {"Foreign Minister Rime": "VLDGOV"}
    assert _codes(nlp, kb, "Chancellor Valk spoke.", "2023-01-01") == {"Chancellor Valk": "VLDLEG"}


@pytest.mark.model
def test_dictionaries_coded_country_takes_agents_from_both_files(nlp, kb):
    actors = {a.text: a for a in resolve_actors(
        nlp("Valdorian harbour pilots blocked the port while Valdorian dockworkers marched."), "2024-01-01", nlp, kb)}
    pilots = actors["Valdorian harbour pilots"]
    assert (pilots.code, pilots.country, pilots.role, pilots.kind) == ("VLDCVL", "VLD", "CVL", "group")
    assert actors["Valdorian dockworkers"].code == "VLDLAB"
    assert _codes(nlp, kb, "A Valdorian relief agency sent food.", "2024-01-01") == {
        "Valdorian relief agency": "NGOVLD"}
    assert _codes(nlp, kb, "Valdorian state press reported the vote.", "2024-01-01") == {
        "Valdorian state press": "VLDGOVMED"}


@pytest.mark.model
def test_dictionaries_null_code_hides_the_phrase(nlp, kb):
    assert _codes(nlp, kb, "The Lantern Brotherhood attacked a convoy.", "2014-01-01") == {
        "Lantern Brotherhood": "VLDREB"}
    assert "Lantern Brotherhood" not in _codes(nlp, kb, "The Lantern Brotherhood attacked a convoy.", "2016-01-01")


@pytest.mark.model
def test_dictionaries_names_need_a_capital_letter(nlp, kb):
    assert "Northern Concord" in _codes(nlp, kb, "The Northern Concord met.", "2024-01-01")
    assert not _codes(nlp, kb, "They reached a northern concord on fishing.", "2024-01-01")


@pytest.mark.model
def test_dictionaries_user_entries_win_over_built_in_ones(nlp, tmp_path):
    path = tmp_path / "override.tsv"
    path.write_text("names\tcode\tstart\tend\nKremlin\tRUSSPY\t\t\n")
    assert _codes(nlp, knowledge_base(), "The Kremlin denied it.", "2024-01-01") == {"Kremlin": "RUSGOV"}
    assert _codes(nlp, knowledge_base((str(path),)), "The Kremlin denied it.", "2024-01-01") == {"Kremlin": "RUSSPY"}


@pytest.mark.model
def test_dictionaries_user_agents_add_to_or_replace_the_built_in_nouns(nlp):
    text = "Valdorian militiamen met the harbour pilots."
    added = knowledge_base((str(ACTORS), str(AGENTS)))
    assert _codes(nlp, added, text, "2024-01-01") == {"Valdorian militiamen": "VLDUAF", "harbour pilots": "CVL"}
    # "replace", as PETRARCH reads its agents file: "militiamen" is no sector noun of that file
    only = knowledge_base((str(ACTORS), str(AGENTS)), replace_agents=True)
    assert _codes(nlp, only, text, "2024-01-01") == {"Valdorian militiamen": "VLD", "harbour pilots": "CVL"}
    assert knowledge_base((str(ACTORS),), replace_agents=True).nouns, "no user agent file: the built-in nouns stay"
    paths = f"{ACTORS}{os.pathsep}{AGENTS}"
    assert knowledge_for(load_settings(None, env={}, dictionaries=paths, user_agents="replace")) is only
    assert knowledge_for(load_settings(None, env={}, dictionaries=paths)) is added
    with pytest.raises(SettingsError, match="user_agents.*one of add, replace"):
        load_settings(None, env={}, user_agents="both")


@pytest.mark.model
def test_dictionaries_user_names_beat_the_ner_and_built_in_organisations(nlp, kb, tmp_path):
    # the NER reads "Port Eskel's" as a person; it is the known capital and a possessive
    assert _codes(nlp, kb, "Port Eskel's new mayor left for Oslo.", "2024-01-01")["Port Eskel's new mayor"] == "VLDGOV"
    # the user's code for "European Union" wins over the built-in one the "(EU)" beside it brings
    path = tmp_path / "eu.actors.txt"
    path.write_text("EUROPEAN_UNION [IGOEEU]\n")
    codes = _codes(nlp, knowledge_base((str(path),)), "The European Union (EU) fined Norway.", "2024-01-01")
    assert list(codes.values())[0] == "IGOEEU"


@pytest.mark.model
def test_dictionaries_a_user_country_spelled_like_a_sector(nlp, tmp_path):
    # CAMEO spells ITH as a religion; a dictionary that gives ITH roles (ITHMIL) uses it as a country
    path = tmp_path / "ithoria.actors.txt"
    path.write_text("ITHORIA [ITH]\n+ITHORIAN\nITHORIAN_ARMY [ITHMIL]\n")
    kb = knowledge_base((str(path),))
    (actor,) = resolve_actors(nlp("Ithorian villages were shelled."), "2024-01-01", nlp, kb)
    assert (actor.country, actor.role, actor.code) == ("ITH", None, "ITH")
    assert split_code("ITH", kb.countries) == ("ITH", None, "state")


@pytest.mark.model
def test_dictionaries_people_table_adds_office_holders(nlp, kb):
    actors = resolve_actors(nlp("Valdoria's foreign minister criticised the plan."), "2020-06-01", nlp, kb)
    assert [(a.name, a.code, a.office) for a in actors] == [("Petra Huld", "VLDGOV", "Foreign Minister")]
    later = resolve_actors(nlp("Valdoria's foreign minister criticised the plan."), "2024-06-01", nlp, kb)
    assert [a.name for a in later] == ["Jonas Aberg"]
    assert {r["name"] for r in office_holders(date(2024, 6, 1), "VLD", kb)} == {"Jonas Aberg"}


@pytest.mark.model
def test_dictionaries_a_user_people_row_replaces_every_built_in_term(nlp, tmp_path):
    path = tmp_path / "people.tsv"
    path.write_text("name\taliases\tcountry\toffice\trole\tstart\tend\n"
                    "Joe Biden\t\tUSA\tSenator of the test\thead_of_state\t2030-01-01\t\n")
    user = knowledge_base((str(path),))
    assert [t.start for t in user.people["Joe Biden"].terms] == [date(2030, 1, 1)]
    assert len(knowledge_base().people["Joe Biden"].terms) > 1, "the built-in knowledge is not changed"


@pytest.mark.model
def test_dictionaries_reach_events_through_the_settings(nlp):
    settings = Settings().with_overrides("test", {"dictionaries": str(ACTORS)})
    analysis = analyze_text("Marta Osterlund accused Tomas Breck of treason.", date="2020-05-01", settings=settings)
    assert [(e.source.code, e.code[:2], e.target.code) for e in analysis.events] == [("VLDGOV", "11", "VLDELI")]


@pytest.mark.model
def test_dictionaries_names_joined_by_underscores_in_the_text_match(nlp):
    # TABARI and PETRARCH inputs join a name's words with underscores: the phrase still matches
    settings = Settings().with_overrides("test", {"dictionaries": str(ACTORS)})
    text = "Marta_Osterlund accused Tomas_Breck of treason."
    analysis = analyze_text(text, date="2020-05-01", settings=settings)
    assert [(e.source.code, e.code[:2], e.target.code) for e in analysis.events] == [("VLDGOV", "11", "VLDELI")]
    (event,) = analysis.events
    assert analysis.article.text == text and len(event.sentence) == event.end - event.start, "offsets do not move"
    from barometer.nlp import parser_text

    assert parser_text("file_name, Dol_Amroth, THE_BROWN") == "file_name, Dol Amroth, THE BROWN"


def test_dictionaries_a_missing_file_stops_the_run_before_any_document(tmp_path):
    settings = Settings().with_overrides("test", {"dictionaries": str(tmp_path / "nope.txt")})
    with pytest.raises(KnowledgeError, match="nope.txt: no such file"):
        analyze_text("Anything at all.", settings=settings)


# --- command line ---------------------------------------------------------------------------------------------

def test_dictionaries_cli_check_reports_counts_and_skipped_lines(tmp_path):
    bad = tmp_path / "issues.txt"
    bad.write_text('<ISSUE CATEGORY="X" TYPE="ALL">\n')
    result = CliRunner().invoke(app, ["actors", "check", str(ACTORS), str(AGENTS), str(bad), "--format", "jsonl",
                                      "--show", "2"])
    assert result.exit_code == 1
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["format"], r["actors"], r["agent_nouns"], r["skipped"]) for r in rows] == [
        ("petrarch-actors", 8, 0, 8), ("petrarch-agents", 0, 15, 4)]
    assert "skipped valdoria.actors.txt:32" in result.stderr and "… and 6 more" in result.stderr
    assert "issues.txt: this is a PETRARCH issue file" in result.stderr


def test_dictionaries_cli_check_validates_knowledge_tables(tmp_path):
    path = tmp_path / "people.tsv"
    path.write_text("name\taliases\tcountry\toffice\trole\tstart\tend\nNo Start\t\tVLD\tPresident\thead_of_state\t\t\n")
    result = CliRunner().invoke(app, ["actors", "check", str(path)])
    assert result.exit_code == 1 and "people.tsv:2: a term needs a start date" in result.stderr


@pytest.mark.model
def test_dictionaries_cli_resolve_with_dictionary_option():
    result = CliRunner().invoke(app, ["actors", "resolve", "Marta Osterlund spoke.", "--date", "2020-01-01",
                                      "-d", str(ACTORS), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [r["code"] for r in json.loads(result.stdout)] == ["VLDGOV"]
    assert "valdoria.actors.txt: petrarch-actors, 8 actors; 8 line(s) skipped" in result.stderr


def test_dictionaries_countries_only_the_user_knows_are_countries(tmp_path):
    countries = knowledge_base(ALL).countries
    assert countries["VLD"] == "Valdoria" and "VLD" not in knowledge_base().countries
    path = tmp_path / "only-sectors.tsv"
    path.write_text("names\tcode\tstart\tend\nOrla Senn\tQRSGOV\t\t\nNorthern Relief\tNGONRF\t\t\n")
    user = knowledge_base((str(path),)).countries
    assert user["QRS"] == "QRS" and "NGO" not in user


@pytest.mark.model
def test_dictionaries_dashboard_accepts_a_user_country(tmp_path, corpus_db):
    from fastapi.testclient import TestClient

    from barometer.web import create_app

    settings = Settings().with_overrides("test", {"db": str(corpus_db), "dictionaries": str(ACTORS)})
    with TestClient(create_app(settings)) as client:
        assert client.get("/dyad/VLD-USA.json").status_code == 200
        assert client.get("/dyad/QQQ-USA.json").status_code == 400
    with TestClient(create_app(Settings().with_overrides("test", {"db": str(corpus_db)}))) as client:
        assert client.get("/dyad/VLD-USA.json").status_code == 400


# --- PETRARCH validation records ------------------------------------------------------------------------------------

RECORDS = DICTS / "valdoria.records.xml"


def test_dictionaries_petrarch_records_are_read_with_their_dictionaries():
    from barometer.evaluation import read_petrarch_gold

    gold = read_petrarch_gold(RECORDS)
    assert [r.id for r in gold.records] == ["VLD-01", "VLD-02", "VLD-03"] and gold.skipped == 1
    assert gold.records[0].expected == (("VLDGOV", "VLDELI", "1123"),) and gold.records[0].date == "2020-05-01"
    assert gold.records[0].text == "Marta Osterlund accused Tomas Breck of treason."
    assert gold.records[2].expected == ()
    assert gold.dictionaries["Actorfile"] == ACTORS and gold.dictionaries["Agentfile"] == AGENTS


def test_dictionaries_petrarch_scoring_counts_full_codes():
    from barometer.evaluation import evaluate_petrarch, read_petrarch_gold
    from barometer.models import Actor, Event

    def actor(code):
        return Actor(code, 0, 1, code, code[:3], code[3:] or None, "group", code)

    def event(source, target, code):
        return Event(actor(source), actor(target), code, code[:2], "", 1, 0.0, None, "", "", 0, 1, False, False, None)

    records = read_petrarch_gold(RECORDS).records
    predicted = [[event("VLDGOV", "VLDELI", "1123"), event("VLDGOV", "VLDELI", "111")],
                 [event("VLDOPP", "IGONCD", "040")], []]
    report = evaluate_petrarch(records, predicted)
    assert (report.exact.true_positives, report.exact.predicted, report.exact.expected) == (1, 3, 2)
    assert report.code_only.true_positives == 1 and report.actors_only.true_positives == 2
    assert report.quiet == (1, 1) and report.by_category == {"AGENT": (0, 0), "DATE": (1, 2)}


def test_dictionaries_petrarch_scoring_reads_dashes_as_no_country(tmp_path):
    from barometer.evaluation import evaluate_petrarch, read_petrarch_gold
    from barometer.models import Actor, Event

    records = tmp_path / "dashes.xml"
    records.write_text('<Validation><Sentences><Sentence date="20200501" id="D-1" category="SAY" sentence="true">'
                       '<EventCoding sourcecode="---GOV" targetcode="---" eventcode="010"></EventCoding>'
                       '<Text>The harbour is closed, an official said.</Text></Sentence></Sentences></Validation>')
    official = Actor("official", 0, 1, "official", None, "GOV", "group", "GOV")
    said = Event(official, None, "010", "01", "", 1, 0.0, None, "said", "", 0, 1, False, False, None)
    # PETRARCH's "---GOV" is an official of no known country, "---" no target: Barometer's "GOV" and none
    report = evaluate_petrarch(read_petrarch_gold(records).records, [[said]])
    assert (report.exact.true_positives, report.exact.expected) == (1, 1)


@pytest.mark.model
def test_dictionaries_cli_eval_on_petrarch_records_loads_their_dictionaries():
    result = CliRunner().invoke(app, ["eval", "actors", "--gold", str(RECORDS), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = {r["category"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert (rows["all"]["found"], rows["all"]["expected"]) == (4, 4)
    assert "valdoria.actors.txt: petrarch-actors" in result.stderr
    assert "valdoria.verbs.txt" not in result.stderr, "actors are evaluated without the verb file"


def test_dictionaries_odd_lines_do_not_crash(tmp_path):
    tsv = tmp_path / "odd.tsv"
    tsv.write_text("names\tcode\tstart\tend\nBaz\tVLD\t\t0001-01-01\nQux\tVLD\nQuux\tVLD\t10000-01-01\t\n")
    d = read_dictionary(tsv)
    assert [a.name for a in d.actors] == ["Qux"]
    assert d.issues == ["odd.tsv:2: bad date in ''/'0001-01-01' (YYYY-MM-DD)",
                        "odd.tsv:4: bad date in '10000-01-01'/'' (YYYY-MM-DD)"]
    petrarch = tmp_path / "tabs.txt"
    petrarch.write_text("\t# an indented comment\nSHIP_CO_\t[MNCVLDBUS]\n+\n[]\n[ ]\nX_\t[~]\nY_ [VLD <]\n")
    d = read_dictionary(petrarch)
    assert d.format == "petrarch-actors" and d.actors[0].default == "MNCVLDBUS"
    assert [i.split(": ", 1)[1] for i in d.issues] == [
        "an empty synonym", "a code with no phrase", "a code with no phrase",
        "bad code '~' (a letter, then two or more letters or digits; --- for none)", "'X' has no code",
        "bad date '' (YYMMDD or YYYYMMDD)", "'Y' has no code"]


def test_dictionaries_knowledge_tables_are_checked_and_may_start_with_a_bom(tmp_path):
    bom = tmp_path / "people.tsv"
    bom.write_bytes("\ufeff".encode() + PEOPLE.read_bytes().split(b"\n", 1)[1])   # header first, after a BOM
    assert read_dictionary(bom).format == "people"
    assert "VLD" in knowledge_base((str(bom),)).countries   # a country only a user table names
    bad = tmp_path / "organizations.tsv"
    bad.write_text("code\tname\taliases\tcountry\tsector\tkind\nNGOX\tX Watch\t\tnotacountry\t\tngo\n")
    with pytest.raises(KnowledgeError, match="organizations.tsv:2: country 'notacountry' must be empty or three"):
        knowledge_base((str(bad),))


@pytest.mark.model
def test_dictionaries_dated_codes_that_do_not_apply_leave_the_built_in_answer(nlp, tmp_path):
    path = tmp_path / "later.tsv"
    path.write_text("names\tcode\tstart\tend\nJoe Biden\tVLDGOV\t2030-01-01\t\n")
    kb = knowledge_base((str(path),))
    assert _codes(nlp, kb, "Joe Biden spoke.", "2021-03-01") == {"Joe Biden": "USAGOV"}
    assert _codes(nlp, kb, "Joe Biden spoke.", "2031-03-01") == {"Joe Biden": "VLDGOV"}


@pytest.mark.model
def test_dictionaries_null_code_hides_a_built_in_phrase(nlp, tmp_path):
    path = tmp_path / "hide.actors.txt"
    path.write_text("KREMLIN [---]\n")
    assert _codes(nlp, knowledge_base((str(path),)), "The Kremlin denied it.", "2024-01-01") == {}


@pytest.mark.model
def test_dictionaries_lower_case_names_match_as_written(nlp, tmp_path):
    path = tmp_path / "lower.tsv"
    path.write_text("names\tcode\tstart\tend\nal-Qadim Front\tVLDREB\t\t\n")
    assert _codes(nlp, knowledge_base((str(path),)), "They said al-Qadim Front had fled.", "2024-01-01") == {
        "al-Qadim Front": "VLDREB"}


def test_dictionaries_cli_refuses_a_path_with_the_path_separator(tmp_path):
    import os
    result = CliRunner().invoke(app, ["actors", "list", "-d", f"a{os.pathsep}b.tsv"])
    assert result.exit_code != 0 and "path separator" in str(result.exception or result.output)
