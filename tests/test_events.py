import pytest
from spacy.tokens import Doc

from barometer.events import code_events
from barometer.models import Actor

pytestmark = pytest.mark.model


def _triples(result):
    return [(e.source.code if e.source else None, e.code, e.target.code if e.target else None) for e in result.events]


def _roots(result):
    return [(e.source.country if e.source else None, e.root, e.target.country if e.target else None)
            for e in result.events]


def test_events_simple_svo_with_evidence(analyse):
    text = "Talks were tense. Russia expelled three American diplomats on Tuesday."
    result = analyse(text)
    (event,) = [e for e in result.events if e.root != "01"]
    assert (event.source.country, event.target.country) == ("RUS", "USA")
    assert event.sentence == "Russia expelled three American diplomats on Tuesday."
    assert text[event.start:event.end] == event.sentence
    assert event.verb.startswith("expelled")
    assert event.quad_class == 4 and event.goldstein < 0 and event.date == "2025-03-04"


def test_events_prepositional_target_and_object_noun(analyse):
    result = analyse("The United States imposed new sanctions on Russia.")
    assert ("USA", "16", "RUS") in _roots(result)
    event = next(e for e in result.events if e.root == "16")
    assert event.code == "163" and event.plover == "COERCE"   # the CAMEO->PLOVER mapping files 163 under COERCE


def test_events_passive_voice(analyse):
    result = analyse("Two Russian diplomats were expelled by Washington.")
    assert any(s == "USA" and t == "RUS" for s, _, t in _roots(result))


def test_events_compound_subjects_give_one_event_each(analyse):
    result = analyse("India and Pakistan signed a ceasefire agreement with Afghanistan.")
    pairs = {(s, t) for s, _, t in _roots(result)}
    assert {("IND", "AFG"), ("PAK", "AFG")} <= pairs


def test_events_negation_is_flagged(analyse):
    result = analyse("Moscow did not accept the American proposal.")
    assert result.events and all(e.negated for e in result.events)


def test_events_future_and_conditional_are_not_past_events(analyse):
    result = analyse("Washington will impose sanctions on Russia. If Russia attacks Ukraine, NATO could respond. "
                     "Analysts expect that China will send aid to Laos.")
    # a stated plan to sanction is a threat (1312); the condition and the analysts' prediction code nothing
    assert [(e.source.country, e.code, e.target.country) for e in result.events if e.root != "01"] == \
        [("USA", "1312", "RUS")]


def test_events_threats_are_threats(analyse):
    result = analyse("Russia threatened to cut gas supplies to Poland.")
    assert [r for _, r, _ in _roots(result)] == ["13"]


def test_events_reported_speech_marks_the_embedded_event(analyse):
    result = analyse("The ministry said Russian hackers attacked the Ukrainian power grid.")
    embedded = [e for e in result.events if e.root != "01"]
    assert embedded and all(e.reported for e in embedded)


def test_events_noun_events(analyse):
    result = analyse("Lavrov's visit to Beijing was brief.", "2025-05-01")
    assert ("RUS", "04", "CHN") in _roots(result)


def test_events_coder_on_a_hand_built_parse(nlp):
    # "Japan summoned the Chinese ambassador" built by hand: the coder needs no model to run
    words = ["Japan", "summoned", "the", "Chinese", "ambassador", "."]
    doc = Doc(nlp.vocab, words=words, spaces=[True, True, True, True, False, False],
              heads=[1, 1, 4, 4, 1, 1], deps=["nsubj", "ROOT", "det", "amod", "dobj", "punct"],
              pos=["PROPN", "VERB", "DET", "ADJ", "NOUN", "PUNCT"], lemmas=["Japan", "summon", "the", "chinese",
                                                                          "ambassador", "."],
              sent_starts=[True, False, False, False, False, False])
    japan = Actor(text="Japan", start=0, end=5, name="Japan", country="JPN", role=None, kind="state", code="JPN")
    chinese = Actor(text="Chinese ambassador", start=19, end=37, name="China GOV", country="CHN", role="GOV",
                    kind="group", code="CHNGOV")
    events = code_events(doc, (japan, chinese), "2025-01-10")
    assert [(e.source.code, e.code, e.target.code) for e in events] == [("JPN", "110", "CHNGOV")]


def test_events_particle_verbs_target_their_object(analyse):
    result = analyse("Turkey shot down a Russian jet.")
    assert ("TUR", "RUS") in {(s, t) for s, _, t in _roots(result)}


def test_events_pattern_matches_without_its_target_preposition(analyse):
    result = analyse("Kenyan students staged a protest in Nairobi.")
    assert any(e.root == "14" and e.source and e.source.country == "KEN" for e in result.events)
    called = analyse("Putin called Erdogan on Friday.", "2025-06-01")
    assert [e.code for e in called.events] == ["041"]   # "on Friday" does not make it "call on" (an appeal)


def test_events_targets_of_demands_and_intended_acts(analyse):
    demand = analyse("Russia demanded that Norway withdraw its fishing fleet.")
    assert ("RUS", "10", "NOR") in _roots(demand)
    threat = analyse("Iran threatened to cut ties with Canada.")
    assert ("IRN", "13", "CAN") in _roots(threat)


def test_events_reported_pronoun_source_and_domestic_target(analyse):
    said = analyse("Switzerland said it had expelled two Russian diplomats.")
    assert ("CHE", "16", "RUS") in _roots(said)
    domestic = analyse("A Chilean court ordered the opposition newspaper to stop printing.")
    assert any(e.source and e.source.country == "CHL" and e.target and e.target.code == "CHLMED"
               for e in domestic.events)
    grant = analyse("Finland gave Tanzania a grant of 64 million dollars.")
    assert any(e.target and e.target.country == "TZA" for e in grant.events)


def test_events_missing_target_preposition_falls_back_and_courts_are_domestic(analyse):
    result = analyse("Judge Ana Rios opened fraud investigations against 12 Chilean officials.")
    assert any(e.root == "09" and e.source.code == "CHLJUD" and e.target.code == "CHLGOV" for e in result.events)
    # at home when acting on people; a court that rules against a state is not that state's court
    (convicted,) = analyse("The court convicted Russia of torture.").events
    assert (convicted.source.code, convicted.target.code) == ("JUD", "RUS")


@pytest.mark.model
def test_events_an_agent_takes_the_country_its_preposition_names(analyse):
    # "soldiers from Chad": the soldiers are Chad's, not soldiers of nowhere
    assert _triples(analyse("Soldiers from Chad attacked a village in Niger.", "2024-03-01"))[0][0] == "TCDMIL"
    (source, _code, target), = _triples(analyse("Lawmakers in Norway condemned Russia.", "2024-03-01"))
    assert (source, target) == ("NORLEG", "RUS")


def test_events_refusals_are_rejections_and_denials_stay_flagged(analyse):
    # refusing a cooperative act is a rejection that happened (12x, by the act refused), not a negated act
    (release,) = analyse("Moscow refused to release the two Estonian fishermen.").events
    assert (release.code, release.negated, release.source.country, release.target.country) == ("1243", False, "RUS", "EST")
    (troops,) = analyse("Ankara is not willing to withdraw its troops from Cyprus.").events
    assert (troops.code, troops.negated, troops.target.country) == ("1246", False, "CYP")
    # a denied fact keeps its code, flagged; a hostile act one will not do is no rejection
    denied = analyse("Moscow did not accept the American proposal.").events
    assert denied and all(e.negated and e.root == "03" for e in denied)
    attack = analyse("Iran will not attack Iraq.").events
    assert attack and all(e.negated and e.root == "13" for e in attack)


def test_events_reported_will_and_must(analyse):
    # under a speech verb "would" is a reported "will": a stated intent, here a threat
    assert ("FIN", "13", "FIN") in _roots(analyse("Finnish farmers said they would blockade Helsinki."))
    # "X said Y must ..." is X demanding of Y, coded by the act demanded (1053: release)
    said = analyse("Norway said on Monday that Denmark must release the seized trawler.")
    assert [(e.source.country, e.code, e.target.country) for e in said.events if e.root == "10"] == [("NOR", "1053", "DNK")]
    assert not [e for e in analyse("Ghana said it must defend its borders.").events if e.root == "10"]
    demanded = analyse("Peru demanded that Chile ease restrictions on Peruvian truckers.")
    assert ("PER", "1051", "CHL") in [(e.source.country, e.code, e.target.country) for e in demanded.events]


def test_events_light_verbs_aims_and_places(analyse):
    # the noun names the act, the light verb's subject does it; "to protest X's ..." names whom it aims at
    strike = analyse("Chilean miners began a hunger strike on Monday to protest Peru's new tariff.")
    assert [(e.source.country, e.code, e.target.country) for e in strike.events] == [("CHL", "142", "PER")]
    march = analyse("Bolivian students marched in protest against the decision by the Chilean government.")
    assert ("BOL", "14", "CHL") in _roots(march)
    # an event noun inside a coded verb's phrase is its content: one rejection, no offer or talks of their own
    assert [e.root for e in analyse("Chile rejected a Peruvian offer of talks.").events] == ["12"]
    # a concession made in a country is made to it
    assert ("SRB", "08", "MNE") in _roots(analyse("Serbia lifted a curfew in Montenegro."))


def test_events_actors_described_by_their_phrase(analyse):
    # a person the knowledge lacks takes the country of the phrase describing them
    hunger = analyse("A member of the Bolivian senate, Rosa Quispe, began a hunger strike against Chile.")
    assert [(e.source.code, e.target.country) for e in hunger.events] == [("BOLLEG", "CHL")]
    # "the president of Armenia" is Armenia's, not the president named before
    (met,) = analyse("Putin met the president of Armenia.", "2020-05-01").events
    assert met.target.country == "ARM"


def test_events_coordinated_parties_inside_one_phrase(analyse):
    # the parser makes "Norway and the small" a modifier of "Gambia": still two parties
    signed = analyse("Norway and the small Gambia signed a fishing agreement with Senegal.")
    assert {(e.source.country, e.target.country) for e in signed.events} == {("NOR", "SEN"), ("GMB", "SEN")}
    # "Peruvian and Chilean negotiators": both sides are negotiators, and they meet each other
    met = analyse("Peruvian and Chilean negotiators met in Lima.")
    assert sorted(_triples(met)) == [("CHLGOV", "040", "PERGOV"), ("PERGOV", "040", "CHLGOV")]
    ministers = analyse("The foreign ministers of Peru and Chile met in Lima.")
    assert sorted(_triples(ministers)) == [("CHLGOV", "040", "PERGOV"), ("PERGOV", "040", "CHLGOV")]
    # a list the parser reads as an apposition ("Togo, the Gambia"): a state is not another state's apposition
    listed = analyse("Togo, the Gambia, Ghana and Benin condemned the coup in Mali.")
    assert [e.source.country for e in listed.events] == ["TGO", "GMB", "GHA", "BEN"]
    assert [e.source.country for e in analyse("Pakistan, a key U.S. ally, condemned Iran.").events] == ["PAK"]
    # "and" joining two adjectives joins no parties
    (condemned,) = analyse("Ecuador's angry and defiant foreign minister condemned Peru.").events
    assert (condemned.source.code, condemned.target.country) == ("ECUGOV", "PER")


def test_events_agents_placed_by_a_coordinated_place_phrase(analyse):
    # the parser hangs "Uganda" on "Lawmakers"; the place phrase is shared by both kinds of agent
    welcomed = analyse("Lawmakers and officials in Kenya and Uganda welcomed the talks with Ethiopia.")
    assert sorted(e.source.code for e in welcomed.events) == ["KENGOV", "KENLEG", "UGAGOV", "UGALEG"]
    assert {e.target.country for e in welcomed.events} == {"ETH"}
    # one event per pair of codes, and no side meets itself
    met = analyse("Ministers and diplomats from Kenya and Uganda met in Nairobi.")
    assert sorted(_triples(met)) == [("KENGOV", "040", "UGAGOV"), ("UGAGOV", "040", "KENGOV")]
    # people "of" a body that has a country are that body's people
    (leaders,) = analyse("Leaders of Romania's new government met the Bulgarian president.").events
    assert (leaders.source.code, leaders.target.country) == ("ROUGOV", "BGR")
    # an agent with no country, joined to a placed one, is on that side
    attacked = analyse("The Sudanese government and rebels attacked Chad.")
    assert sorted(_triples(attacked)) == [("SDNGOV", "190", "TCD"), ("SDNREB", "190", "TCD")]


def test_events_it_in_a_complement_is_the_subject_that_governs_it(analyse):
    # "it" is Ghana, who indicated, not the official who said so
    result = analyse("Ghana indicated it would expel two Togolese diplomats, an official said.")
    assert [(e.source.country, e.root, e.target.country) for e in result.events] == [("GHA", "13", "TGO")]


def test_events_agents_of_an_organisation_take_its_code(analyse):
    # "activists of Amnesty International": the organisation's people, coded by it and their role
    (event,) = analyse("The human rights activists of Amnesty International condemned Chile.").events
    assert (event.source.code, event.target.country) == ("NGOHRIAMN", "CHL")   # its code has their role (HRI)
    (met,) = analyse("Officials of the World Bank met Greek ministers.").events
    assert (met.source.code, met.target.code) == ("IGOUNODEVWBKGOV", "GRCGOV")


def test_events_implicative_verbs_report_the_act(analyse):
    # "managed to", "was seen to": the act happened; the one seen is the one who acted
    assert ("CHL", "16", "BOL") in _roots(analyse("Chile managed to expel two Bolivian diplomats."))
    (attack,) = analyse("Chilean troops were seen to attack a Bolivian border post.").events
    assert (attack.source.code, attack.root, attack.target.country) == ("CHLMIL", "19", "BOL")


def test_events_demands_in_a_noun_and_parser_slips(analyse):
    # "its call that Peru release ...": a demand of Peru, and no release happened
    assert _triples(analyse("Chile renewed its call that Peru release the fishermen.")) == [("CHL", "1053", "PER")]
    assert [e.root for e in analyse("Peru rejected Chile's demand that it release the fishermen.").events] == ["12"]
    # a participle the parser takes for the subject: the Red Cross said it, and demanded of the forces
    said = analyse("The Red Cross operating in Bolivia said Chilean forces must withdraw.")
    assert ("NGOHLHIRC", "1056", "CHLMIL") in _triples(said)
    # "up to 16 engineers" is the object, not a particle and a preposition
    (kidnap,) = analyse("Bolivian rebels kidnapped up to 16 Chilean engineers.").events
    assert (kidnap.code, kidnap.target.country) == ("181", "CHL")


def test_events_threats_made_to_the_party_of_their_condition(analyse):
    # "unless Lima accepts", "if Peru goes ahead": whoever must act for the threat not to be carried out
    (threat,) = analyse("Chile threatened to recall its ambassador unless Lima accepted the ruling.").events
    assert (threat.source.country, threat.root, threat.target.country) == ("CHL", "13", "PER")
    (threat,) = analyse("Bolivia threatened to end the talks if Peru goes ahead with the new port.").events
    assert (threat.source.country, threat.target.country) == ("BOL", "PER")


def test_events_an_act_asked_for_or_an_agent_adjective_of_an_act_is_no_event_or_actor(analyse):
    # an event noun under "advocates" did not happen; "military aid" names aid, not the military as a party
    assert analyse("The group advocates Chile's destruction.").events == ()
    promised = analyse("Peru promised to continue military aid to Bolivia.")
    assert [(e.source.country, e.root, e.target.country) for e in promised.events] == [("PER", "03", "BOL")]
    assert [a.text for a in promised.actors] == ["Peru", "Bolivia"]


def test_events_a_verbs_only_preposition_is_part_of_its_meaning(analyse):
    # "drove" is not "drive out" (201), "ruled" not "rule against" (116), "returned to" not "return" (084)
    assert analyse("The Chilean president drove to Santiago on Monday.").events == ()
    assert analyse("Peru ruled the disputed valley for a decade.").events == ()
    assert analyse("Bolivian negotiators returned to La Paz.").events == ()
    assert _triples(analyse("Bolivia returned the seized Chilean trawler.")) == [("BOL", "084", "CHL")]
    # expelling an aid agency is a sanction (1663), not a mass expulsion of people (201)
    (expelled,) = analyse("Bolivia forced the UN refugee agency out of the country.").events
    assert expelled.code == "1663"


def test_events_stances_ethnic_groups_and_joined_parties(analyse):
    # "anti-Chilean protesters" are not Chilean; "pro-Peruvian" names a stance, not the country
    protest = analyse("Anti-Chilean protesters blocked the highway.")
    assert all(a.country != "CHL" for a in protest.actors)
    # a group named by two nationalities lives where the first says: "Chilean Croats" are of Chile
    truce = analyse("Chilean Croats demanded a truce with the Bolivian army.")
    assert [(e.source.country, e.target.code) for e in truce.events] == [("CHL", "BOLMIL")]
    # a party with no country joined to one with a country is of that country, as a target too
    demand = analyse("Chile said the Peruvian government and the rebels in the north must reach a settlement.")
    assert sorted(e.target.code for e in demand.events if e.root == "10") == ["PERGOV", "PERREB"]


def test_events_plans_talks_on_a_trip_and_a_declarations_author(analyse):
    # "plans to expel" is a stated plan, not an expulsion that happened
    assert [e.root for e in analyse("Chile plans to expel two Bolivian diplomats.").events] == ["13"]
    # "return to Quito for talks": the travellers hold the talks with each other, Quito is only the venue
    talks = analyse("Chilean and Peruvian negotiators return to Quito this week for talks.")
    assert sorted((e.source.country, e.root, e.target.country) for e in talks.events) == \
        [("CHL", "04", "PER"), ("PER", "04", "CHL")]
    # "issued a statement demanding that ...": the statement's author demands
    demand = analyse("Bolivia issued a statement demanding that Chile release the fishermen.")
    assert ("BOL", "10", "CHL") in _roots(demand)


def test_events_parties_inside_quantities_mediations_and_led_forces(analyse):
    # "scores of Chilean and Peruvian students": both groups are targets
    tortured = analyse("Bolivian police tortured scores of Chilean and Peruvian students.")
    assert sorted(e.target.country for e in tortured.events) == ["CHL", "PER"]
    # a mediator between two parties acts on each; talks between two parties are held by each with the other
    mediation = analyse("Ecuador launched a mediation effort between Chile and Peru.")
    assert sorted(_roots(mediation)) == [("ECU", "04", "CHL"), ("ECU", "04", "PER")]
    talks = analyse("Talks between Chile and Peru began on Monday.")
    assert sorted(_roots(talks)) == [("CHL", "04", "PER"), ("PER", "04", "CHL")]
    # "Peruvian-led forces" are Peruvian; fire launched against a party is force used on it
    fire = analyse("Peruvian-led forces launched artillery and rocket fire against Bolivian positions.")
    assert ("PER", "19", "BOL") in _roots(fire)
    # the language a thing is in names no party
    (eased,) = analyse("The Bolivian court cancelled restrictions on the use of the Spanish language.").events
    assert (eased.source.country, eased.code, eased.target) == ("BOL", "081", None)


def test_events_ultimatums_acts_still_to_come_and_forces_as_means(analyse):
    # giving something up unless the other side acts is a threat
    threat = analyse("Chile announced it will withdraw its force from Peru unless Lima frees the fishermen.")
    assert ("CHL", "130", "PER") in [(e.source.country, e.code, e.target.country) for e in threat.events
                                     if e.target is not None]
    # a present tense after "before" is still to come
    demand = analyse("Peru said Bolivia must sign the accord before its troops withdraw.")
    assert [e.root for e in demand.events] == ["01", "10"]
    # the forces a pattern names are the means: the target is the purpose's party, or none
    mobilized = analyse("Chile mobilized army reservists for a possible war against Peru.")
    assert _roots(mobilized) == [("CHL", "15", "PER")]
    (withdrawal,) = analyse("Peru withdrew its troops on Tuesday.").events
    assert withdrawal.target is None


def test_events_protests_at_home_refugees_by_origin_and_withdrawals_from(analyse):
    # a protest that names no one is aimed at the protesters' own country; a state's protest names its own
    (riot,) = analyse("Bolivian demonstrators rioted in the streets on Sunday.").events
    assert (riot.source.code, riot.root, riot.target.code) == ("BOLOPP", "14", "BOL")
    assert riot.target.text == riot.source.text   # the words that give the country
    (protest,) = analyse("Chile protested on Monday.").events
    assert protest.target is None
    # refugees are of the country they flee
    aid = analyse("Chile sent food aid to refugees fleeing the fighting in Peru.")
    assert ("CHL", "07", "PER") in _roots(aid)
    # "the withdrawal of its forces from Peru": the parser hangs "from" on the forces
    (withdrawal,) = analyse("Chile completed the withdrawal of its forces from Peru.").events
    assert (withdrawal.code, withdrawal.target.country) == ("0874", "PER")


def test_events_shared_moods_dismissed_appeals_and_things_that_are_no_parties(analyse):
    # two verbs joined under "aims to" are both only aimed at
    aims = analyse("Chile backed a resolution that aims to tighten sanctions and impose a blockade on Peru.")
    assert [e.root for e in aims.events] == ["05"]
    # an appeal dismissed is a rejection of whoever made it
    (dismissed,) = analyse("Bolivian rebels dismissed an appeal from the Bolivian president.").events
    assert (dismissed.code, dismissed.target.code) == ("120", "BOLGOV")
    # "civilian buildings" are buildings, not civilians: one event, on Peru
    (demolished,) = analyse("Chilean bulldozers demolished Peruvian homes and civilian buildings.").events
    assert demolished.target.country == "PER"


def test_events_whom_protests_aim_at_and_who_protests(analyse):
    # "to show their disapproval for X" names the target; "in defiance of X" comes before the place
    shown = analyse("Demonstrators in Lima blocked a road to show their disapproval for Chile's policies.")
    assert _roots(shown) == [("PER", "14", "CHL")]
    defied = analyse("Thousands of people blocked streets in Lima in defiance of Chilean authorities.")
    assert _roots(defied) == [("PER", "14", "CHL")]   # people protesting in Lima are of Peru
    # calling a strike off is aimed where the strike was
    (called_off,) = analyse("Bolivian miners called off their strike on Friday.").events
    assert (called_off.code, called_off.target.code) == ("082", "BOL")
    # a rally one converges for is a protest by those who converge
    rally = analyse("Angry Bolivian students converged on Thursday for a rally in La Paz.")
    assert _roots(rally) == [("BOL", "14", "BOL")]


def test_events_irregulars_on_civilians_and_decisions_not_yet_acted_on(analyse):
    # force by militiamen on refugees is unconventional violence (18), not military force (19)
    (attack,) = analyse("A camp for Peruvian refugees was attacked by Bolivian militiamen.").events
    assert (attack.source.code, attack.code, attack.target.code) == ("BOLUAF", "180", "PERREF")
    (fight,) = analyse("Bolivian troops attacked Peruvian rebels.").events
    assert fight.code == "190"
    # "the decision of sending troops to Peru" is a decision, not troops sent
    assert all(e.root != "15" for e in analyse("Students criticised the decision of sending troops to Peru.").events)
