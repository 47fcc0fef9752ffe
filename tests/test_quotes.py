import pytest

from barometer.quotes import find_quote_spans


def _quoted(text):
    return [text[s:e] for s, e in find_quote_spans(text)]


def test_quotes_every_mark_style():
    text = ('He said "straight quotes here." She said “curly ones here.” A third: «guillemets work too» and '
            '„low-high style“ and ‘single curly ones’.')
    assert _quoted(text) == ["straight quotes here.", "curly ones here.", "guillemets work too",
                             "low-high style", "single curly ones"]


def test_quotes_apostrophes_are_not_quote_marks():
    text = "The minister's aides didn't say 'a dead end' was their view, and the talks' future is open."
    assert _quoted(text) == ["a dead end"]


def test_quotes_paragraph_continuation():
    text = ("“We will not accept this,” the envoy said. “The talks are over.\n\n"
            "“We will go home and wait for a better offer,” he added.")
    assert _quoted(text) == ["We will not accept this,", "The talks are over.\n\n“We will go home and wait for a better offer,"]


def test_quotes_unbalanced_mark_does_not_stop_the_rest():
    text = 'An opening mark " that never closes.\n\nLater, "a proper quote" follows.'
    assert _quoted(text) == ["a proper quote"]


@pytest.mark.model
def test_quotes_speakers_cues_and_pronouns(analyse):
    text = ('Russian Foreign Minister Sergei Lavrov met reporters in Geneva. "We are ready to talk," Lavrov said. '
            '"The door is open," he added.\n\n'
            'US Secretary of State Marco Rubio told reporters: "We will judge them by their actions."\n\n'
            'Rubio said that Washington would study the proposal. According to the State Department, the meeting '
            'lasted three hours.')
    result = analyse(text, "2025-07-10")
    direct = [q for q in result.quotes if q.kind == "direct"]
    assert [q.speaker.name for q in direct] == ["Sergei Lavrov", "Sergei Lavrov", "Marco Rubio"]
    assert direct[2].audience == "reporters"
    indirect = [q for q in result.quotes if q.kind == "indirect"]
    texts = {q.text: q for q in indirect}
    assert texts["Washington would study the proposal"].speaker.name == "Marco Rubio"
    according = next(q for q in indirect if q.cue == "according to")
    assert according.text == "the meeting lasted three hours" and according.speaker.code == "USAGOV"


@pytest.mark.model
def test_quotes_unknown_speaker_with_affiliation(analyse):
    text = '"Both sides need a win," said Tomas Berg, an analyst at the Nordic Policy Centre.'
    result = analyse(text)
    (quote,) = [q for q in result.quotes if q.kind == "direct"]
    assert quote.speaker.name == "Tomas Berg"
    assert quote.speaker.affiliation == "Nordic Policy Centre"


@pytest.mark.model
def test_quotes_second_quote_in_paragraph_keeps_the_speaker(analyse):
    text = ('"The talks are only a start," said Tomas Berg, an analyst at the Nordic Policy Centre. '
            '"Both capitals know the hard part is next."')
    result = analyse(text)
    assert [q.speaker.name for q in result.quotes if q.kind == "direct"] == ["Tomas Berg", "Tomas Berg"]


@pytest.mark.model
def test_quotes_statements_and_possessive_affiliations(analyse):
    result = analyse("The Kremlin wrote in a statement that the sanctions were illegal. "
                     "Amnesty International's spokesman Tom Lee said the trial was unfair.")
    statement, lee = result.quotes
    assert statement.text == "the sanctions were illegal" and statement.speaker.code == "RUSGOV"
    assert lee.speaker.name == "Tom Lee" and lee.speaker.affiliation == "Amnesty International"
