"""Forecasts: statements about the future, with forecaster, probability, horizon and the predicted event.

1. Cues: modal futures ("will", "may", "is going to"), news English "is to" ("prosecutors are to question"),
   likelihood words ("likely to", "expected to", "set to", "there is a chance that"; predicative "delays are
   likely", "a deal is still possible"; the present passive "heavy snow is expected"), predictive verbs
   ("predict", "expect", "is predicting 30 cm of snow"), prediction nouns ("projections of", "predictions that"),
   and intentions and commitments ("plans to", "has agreed to", "vowed to", "a plan to", "would like to",
   "is considering closing"; "refused to" predicts that the act will not happen, "declined to comment" predicts
   nothing).
2. Not forecasts: questions, "if" clauses, counterfactuals ("would have"; unreal conditions "had we not",
   "if I were", "were it not for"), guesses about the past or present ("may have enriched", "may be missing"),
   politeness and opinion ("would like", "would say", "would describe"), the narrator's own bare hypothetical
   "would" (kept when someone says or believes it, under a condition, in a quotation, or with a date it ends
   by), deontic "should/must", past tense and past plans ("was going to"), purposes ("our priority is to").
   Fixed schedules ("the summit will be held on Monday") are kept with status ``scheduled``.
3. Probability: the cue's value in ``data/estimative.tsv``; boosters push it away from even odds, hedges
   pull it toward them; a negated statement ("will not be lifted") gives the event 1 - p and polarity negative.
4. Forecaster: the speaker of the quote around it; else whoever says, believes, predicts or plans it (the
   subject of "X said/expects/fears/plans ...", the issuer of "the report by X predicts", through the noun of
   "announced plans to" and "suggest the possibility that"; never the subject of a passive "X is expected to",
   which is what is predicted); else the speaker of an indirect quote around it ("according to X"); else the
   source its paragraph last quoted (news goes on in the voice of the source it named); else the actor whose
   own announced act it is ("Georgia is set to stop ...", "Ryanair intends to ..."); else the byline, else the
   outlet. Horizon: an end date from phrases like "by the end of the year", "within months", "over the next
   five years", relative to the story date.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from spacy.tokens import Doc, Span, Token

from barometer.actors import PRONOUNS, ActorIndex
from barometer.events import MAX_SENTENCE_TOKENS, code_verb, is_conditional, trimmed
from barometer.lexicon import Lexicon, cue_words
from barometer.models import Actor, Article, Forecast, Quote
from barometer.quotes import speaker_of
from barometer.tables import DATA_DIR, read_tsv

_SCHEDULE_VERBS = {"hold", "take", "convene", "open", "begin", "start", "meet", "visit", "host", "attend", "travel",
                   "arrive", "address", "chair", "close", "run", "launch"}
_POLITE = {"like", "love", "prefer", "welcome", "want", "say", "describe", "imagine", "guess", "suppose", "recommend",
           "advise", "argue", "think", "characterize", "characterise", "call"}
_QUOTE_MARKS = {'"', "“", "”", "«", "»", "„"}
_CLAUSE_LINKS = {"ccomp", "xcomp", "conj", "advcl", "pcomp", "acomp"}
_SILENCE = {"comment", "elaborate", "disclose", "discuss", "specify", "identify", "name", "give", "provide"}
_TOLD_IN = {"plan", "possibility", "prospect", "likelihood", "chance", "risk", "intention", "promise", "pledge",
            "hope", "warning", "threat", "vow", "commitment"}   # and the prediction nouns of cues.tsv
_PURPOSES = {"priority", "aim", "goal", "intention", "option", "idea", "plan", "thing", "job", "duty", "charge", "purpose",
             "task", "objective", "mission", "challenge", "point", "answer", "solution", "way", "step", "joke", "hope",
             "aspiration", "ambition", "strategy", "policy", "role", "responsibility", "focus", "intent", "reason"}
_ANNOUNCED = {"set", "poise", "bound"}   # "X is set / poised / bound to ...": X's own next act
_AHEAD = {"soon", "eventually", "later", "future", "tomorrow", "next", "coming", "ahead", "someday"}   # and "one day"


@dataclass(frozen=True)
class _Cue:
    probability: float
    kind: str


@cache
def estimative() -> dict[str, _Cue]:
    """The estimative-language table, cue -> probability and kind."""
    return {row["cue"]: _Cue(float(row["probability"]), row["kind"])
            for row in read_tsv(DATA_DIR / "estimative.tsv", ("cue", "probability", "kind"))}


def extract_forecasts(doc: Doc, actors: tuple[Actor, ...], quotes: tuple[Quote, ...],
                      article: Article, lexicon: Lexicon | None = None) -> tuple[Forecast, ...]:
    """Every forecast in ``doc``: one per predicted clause, with its evidence sentence; the predicted event
    is coded with ``lexicon`` (the built-in one by default)."""
    index = ActorIndex(doc, actors)
    table = estimative()
    story_day = date.fromisoformat(article.date) if article.date else None
    forecasts: list[Forecast] = []
    for sent in map(trimmed, doc.sents):
        if sent.text.endswith("?") or len(sent) > MAX_SENTENCE_TOKENS:
            continue
        seen: set[int] = set()
        for verb, cue, probability in _predictions(sent, table):
            if verb.i in seen:
                continue
            seen.add(verb.i)
            negated = any(c.dep_ == "neg" for c in verb.children) or (verb.dep_ == "xcomp" and (
                any(c.dep_ == "neg" for c in verb.head.children) or verb.head.lemma_.lower() in cue_words("negating")))
            probability = _adjust(verb, probability, table)
            polarity = "negative" if negated else "positive"
            event_probability = round(1 - probability if negated else probability, 3)
            scheduled = _is_schedule(verb)
            forecasts.append(Forecast(
                text=sent.text, start=sent.start_char, end=sent.end_char, cue=cue, probability=event_probability,
                polarity=polarity, horizon=horizon(sent.text, story_day), status="scheduled" if scheduled else "forecast",
                forecaster=_forecaster(verb, quotes, index, article), event=code_verb(verb, index, article.date, lexicon),
            ))
    return tuple(forecasts)


def _predictions(sent: Span, table: dict[str, _Cue]) -> list[tuple[Token, str, float]]:
    """(predicted verb, cue text, base probability) for each future-oriented clause of the sentence."""
    found: list[tuple[Token, str, float]] = []
    modals = cue_words("modal") - {"can", "should", "must", "ought"}
    for token in sent:
        lemma = token.lemma_.lower()
        head = token.head
        if token.dep_ == "aux" and (token.lower_ in table or lemma in modals) and head.pos_ in {"VERB", "AUX"}:
            if _excluded(head, token):
                continue
            word = token.lower_ if token.lower_ in table else ("will" if lemma in {"will", "wo"} else lemma)
            if word == "going":
                continue
            found.append((head, token.text, table.get(word, table["will"]).probability))
        elif token.lower_ == "going" and any(c.dep_ == "xcomp" for c in token.children) and token.tag_ == "VBG":
            if not any(c.dep_ == "aux" and c.tag_ == "VBD" for c in token.children):   # "was going to": past plans
                verb = next(c for c in token.children if c.dep_ == "xcomp")
                found.append((verb, "going to", table["going to"].probability))
        elif lemma == "be" and token.tag_ in {"VBZ", "VBP"} and token.dep_ in {"ROOT", "ccomp", "conj"}:
            # "prosecutors are to investigate", "Gulf Air is to fly to Bahrain": the scheduled future of news English
            verbs = [c for c in token.children if c.dep_ == "xcomp" and c.tag_ == "VB"
                     and any(m.lower_ == "to" and m.i == c.i - 1 for m in c.children)]
            subjects = [c for c in token.children if c.dep_ == "nsubj"]
            if verbs and subjects and (subjects[0].pos_ in {"NOUN", "PROPN"} or subjects[0].lower_ in PRONOUNS) \
                    and not _purpose(subjects[0]) \
                    and not any(c.lower_ == "yet" for c in token.children):
                found.append((verbs[0], f"{token.text} to", table["is to"].probability))
        elif token.pos_ == "ADJ" and token.dep_ == "acomp" and lemma in table and table[lemma].kind == "adjective" \
                and lemma in cue_words("likelihood") and not any(c.dep_ in {"xcomp", "ccomp"} for c in token.children):
            # "further delays are likely", "a settlement is still possible": the subject is what is predicted
            head = token.head
            subjects = [c for c in head.children if c.dep_ == "nsubj"]
            if head.lemma_ == "be" and subjects and subjects[0].lower_ not in {"it", "this", "that"} \
                    and head.tag_ != "VBD" and not _excluded_copula(head):
                found.append((head, _with_modifier(token), table[lemma].probability))
        elif token.pos_ == "ADJ" and lemma in table and table[lemma].kind == "adjective":
            verbs = [c for c in token.children if c.dep_ == "xcomp"]
            if verbs:
                found.append((verbs[0], f"{_with_modifier(token)} to", table[lemma].probability))
        elif token.pos_ == "VERB" and token.tag_ == "VBN" and lemma in {"expect", "set", "poise", "due"}:
            verbs = [c for c in token.children if c.dep_ == "xcomp"]
            # "is expected to", and the reduced relative "its core module, set to be launched in 2026"
            if verbs and (any(c.dep_ == "auxpass" for c in token.children) or token.dep_ in {"acl", "advcl"}):
                key = {"expect": "expected", "poise": "poised"}.get(lemma, lemma)
                found.append((verbs[0], f"{token.text} to", table[key].probability))
            elif not verbs and lemma == "expect" and _passive_now(token):
                found.append((token, token.text, table["expected"].probability))   # "heavy rain is expected"
        elif token.pos_ == "VERB" and lemma in cue_words("forecast_verb") and lemma in table:
            comps = [c for c in token.children if c.dep_ in {"ccomp", "xcomp"}]
            if comps and token.tag_ != "VBN":
                found.append((comps[0], token.text, table[lemma].probability))
            elif token.tag_ == "VBN" and lemma != "estimate" and _passive_now(token):
                found.append((token, token.text, table[lemma].probability))   # "a wet week is forecast"
            elif token.tag_ in {"VBG", "VBZ", "VBP"} and lemma in {"predict", "forecast", "project"} \
                    and any(c.dep_ == "dobj" for c in token.children):
                found.append((token, token.text, table[lemma].probability))   # "is predicting 30 cm of snow"
        elif lemma == "consider" and token.pos_ == "VERB" and token.tag_ in {"VBG", "VBZ", "VBP"} \
                and any(c.dep_ == "xcomp" and c.tag_ == "VBG" for c in token.children):
            verb = next(c for c in token.children if c.dep_ == "xcomp" and c.tag_ == "VBG")   # "considering using"
            found.append((verb, f"{token.text} {verb.text}", table["consider"].probability))
        elif lemma == "like" and token.pos_ == "VERB" and any(c.lower_ in {"would", "'d"} for c in token.children):
            verbs = [c for c in token.children if c.dep_ == "xcomp" and c.tag_ == "VB"
                     and any(m.lower_ == "to" for m in c.children)]   # "he would like to retire": a wish to act
            if verbs and not is_conditional(token):
                found.append((verbs[0], "would like to", table["would like"].probability))
        elif token.pos_ == "VERB" and lemma in table and table[lemma].kind == "intention" and _active(token):
            verbs = [c for c in token.children if c.dep_ == "xcomp" and c.pos_ in {"VERB", "AUX"}
                     and any(m.lower_ == "to" for m in c.children)]
            if lemma in cue_words("negating"):   # "declined to comment" is silence, not a prediction
                verbs = [v for v in verbs if v.lemma_.lower() not in cue_words("speech") | _SILENCE]
            if verbs and not is_conditional(token):
                found.append((verbs[0], f"{token.text} to", table[lemma].probability))
        elif token.pos_ == "NOUN" and lemma in table and table[lemma].kind == "intention":   # "a plan to relaunch"
            verbs = [c for c in token.children if c.dep_ in {"acl", "relcl"} and c.tag_ == "VB"
                     and any(m.lower_ == "to" for m in c.children)]
            if verbs:
                found.append((verbs[0], f"{token.text} to", table[lemma].probability))
        elif token.pos_ == "NOUN" and lemma in cue_words("prediction_noun") and lemma in table:
            verb = _noun_clause(token)
            if verb is not None:
                found.append((verb, token.text, table[lemma].probability))
        elif lemma == "chance" and token.pos_ == "NOUN":
            clause = [c for c in token.children if c.dep_ in {"acl", "ccomp", "relcl"}]
            if clause:
                phrase = " ".join(t.lower_ for t in token.lefts if t.dep_ == "amod")
                key = f"{phrase} chance".strip()
                found.append((clause[0], f"{key}", table.get(key, table["chance"]).probability))
    return found   # a clause found twice (predictive verb and its own modal) is kept once by the caller


def _purpose(subject: Token) -> bool:
    """'our priority is to help', 'the idea is to', 'the most important thing is to': a purpose, not a schedule."""
    return subject.lemma_.lower() in _PURPOSES or any(c.dep_ == "amod" and c.lemma_.lower() in {"only", "main", "first"}
                                                      for c in subject.children)


def _passive_now(participle: Token) -> bool:
    """'is expected', 'are forecast': a present passive; not 'was expected' or 'has been predicted' (past)."""
    aux = [c for c in participle.children if c.dep_ in {"auxpass", "aux"}]
    return any(c.dep_ == "auxpass" for c in aux) and all(c.tag_ in {"VBZ", "VBP", "MD", "VB"} for c in aux) \
        and not any(c.dep_ == "nsubjpass" and c.lower_ in {"it", "this", "that", "what"} for c in participle.children)


def _excluded_copula(be: Token) -> bool:
    """'is possible' under a condition, or a question of whether: not a prediction."""
    return is_conditional(be) or any(c.dep_ == "mark" and c.lower_ in {"whether", "if"} for c in be.children)


def _noun_clause(noun: Token) -> Token | None:
    """The predicted clause of a prediction noun: "predictions that X will", "projections of X rising"."""
    for child in noun.children:
        if child.dep_ in {"acl", "ccomp", "relcl"} and child.pos_ in {"VERB", "AUX"} and child.tag_ != "VBN":
            if child.dep_ != "relcl" or any(c.lower_ == "that" and c.dep_ == "mark" for c in child.children):
                return child
        if child.dep_ == "prep" and child.lower_ in {"of", "for"}:
            verbs = [t for t in child.subtree if t.pos_ == "VERB" and t.tag_ in {"VBG", "VB"}]
            if verbs:
                return verbs[0]
    return None


def _active(verb: Token) -> bool:
    """'plans', 'planned', 'has agreed' — not the passive or adjectival participle ('the planned visit')."""
    if verb.tag_ != "VBN":
        return True
    children = {c.dep_: c for c in verb.children}
    return "auxpass" not in children and "aux" in children and children["aux"].lemma_ == "have"


def _excluded(verb: Token, aux: Token) -> bool:
    """Modal uses that are not predictions."""
    if verb.lemma_.lower() == "have" and verb.dep_ == "aux":   # "may have enriched": a guess about the past
        return True
    if aux.lower_ in {"may", "might", "could"} and _epistemic_present(verb):
        return True
    if is_conditional(verb) or any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children):
        return True   # an "if" clause, or "would have": counterfactual
    if aux.lower_ in {"would", "'d", "could", "might"} and _counterfactual(verb):
        return True   # "had we not had them, it would still be ongoing", "if I were a guide, I'd be on skis"
    return aux.lower_ in {"would", "'d"} and (verb.lemma_.lower() in _POLITE or _bare_would(verb))


def _counterfactual(verb: Token) -> bool:
    """An unreal condition on the verb: 'if I were', 'if it wasn't with him', 'were it not for', 'had we not'.
    A past tense after 'if' in reported speech ('warned the gates would open if the army did not withdraw') is
    the reporting's tense, not an unreal condition, so only 'were'/'was' with a singular subject and the
    inverted forms count."""
    for clause in (c for c in verb.children if c.dep_ == "advcl"):
        words = list(clause.subtree)
        if words[0].lower_ in {"had", "were"}:   # inverted: "had we not ...", "were it not for ..."
            return True
        if is_conditional(clause) and any(w.lower_ in {"were", "was"} and clause.i in {w.i, w.head.i} for w in words):
            subjects = [c for c in clause.children if c.dep_ in {"nsubj", "expl"}]
            if subjects and (subjects[0].lower_ in {"i", "he", "she", "it"} or subjects[0].tag_ in {"NN", "NNP"}):
                return True
    return False


def _bare_would(verb: Token) -> bool:
    """'would' in the narrator's own voice with no condition ('this would result in ...', 'the club would be
    putting ...'): a hypothetical or a past plan, not a prediction. It predicts when someone says or believes it
    ('warned that sanctions would harm', '..., according to analysts'), when a condition frames it
    ('if ..., X would'), or inside a quotation."""
    before = verb.sent.doc[verb.sent.start:verb.i]
    according = any(t.lower_ == "according" and t.i + 1 < len(t.doc) and t.nbor().lower_ == "to" for t in verb.sent)
    if according or sum(t.text in _QUOTE_MARKS for t in before) % 2 == 1:
        return False
    if any(c.dep_ == "prep" and c.lower_ in {"by", "until", "before"} and any(
            p.dep_ == "pobj" and p.ent_type_ == "DATE" for p in c.children) for c in verb.children):
        return False   # "all poll processes would end by May 28th": a dated schedule told in the past tense
    token: Token | None = verb
    while token is not None:
        if any(c.dep_ == "advcl" and is_conditional(c) for c in token.children):
            return False
        token = _clause_above(token)
        if token is not None and token.lemma_.lower() in _holders():
            return False
    return True


@cache
def _told_in() -> frozenset[str]:
    return frozenset(_TOLD_IN) | cue_words("prediction_noun")


@cache
def _holders() -> frozenset[str]:
    return (cue_words("speech") | cue_words("forecast_verb") | cue_words("belief") | cue_words("intention")
            | cue_words("attribution"))


def _epistemic_present(verb: Token) -> bool:
    """'you may be right', 'four people may be missing', 'it could even have a water layer': a guess about now.

    A bare 'be' or 'have' under may/might/could, with no time word pointing ahead, speaks of the present.
    """
    if verb.lemma_.lower() not in {"be", "have"} or verb.dep_ == "aux":
        return False
    if any(c.dep_ in {"xcomp", "ccomp"} for c in verb.children):
        return False
    return not any(t.ent_type_ in {"DATE", "TIME"} or t.lower_ in _AHEAD or t.lower_ == "one" and t.i + 1 < len(t.doc)
                   and t.nbor().lower_ == "day" for t in verb.sent)


def _with_modifier(token: Token) -> str:
    """'likely', 'very likely', 'still possible': the cue adjective with its adverbs."""
    return " ".join([*(c.text for c in token.lefts if c.dep_ == "advmod"), token.text])


def _adjust(verb: Token, probability: float, table: dict[str, _Cue]) -> float:
    """Adverbs on the verb: a cue adverb ('probably') sets the value, boosters and hedges move it."""
    for child in verb.children:
        if child.dep_ != "advmod":
            continue
        phrase = " ".join(t.lower_ for t in child.subtree)
        cue = table.get(phrase) or table.get(child.lower_)
        if cue is None:
            continue
        if cue.kind == "adverb":
            probability = cue.probability
        elif cue.kind == "booster":
            probability = probability + cue.probability * ((1 - probability) if probability >= 0.5 else -probability)
        elif cue.kind == "hedge":
            probability = probability + cue.probability * (0.5 - probability)
    return min(max(probability, 0.01), 0.99)


def _is_schedule(verb: Token) -> bool:
    """'will be held on Monday', 'will visit Beijing next week': a fixed date, an announced event."""
    if verb.lemma_.lower() not in _SCHEDULE_VERBS:
        return False
    return any(t.ent_type_ in {"DATE", "TIME"} for t in verb.subtree)


def _forecaster(verb: Token, quotes: tuple[Quote, ...], index: ActorIndex, article: Article) -> Actor | None:
    quoted = next((q for q in quotes if q.kind == "direct" and q.start <= verb.idx < q.end), None)
    if quoted is not None and quoted.speaker is not None:
        return quoted.speaker
    if verb.lemma_.lower() in cue_words("forecast_verb") and (speaker := _holder(verb, index)) is not None:
        return speaker   # "the Weather Service is predicting 30 cm of snow"
    token: Token | None = verb
    while (token := _clause_above(token)) is not None:   # up to whoever says, believes or plans it
        if token.lemma_.lower() in _holders() and (speaker := _holder(token, index)) is not None:
            return speaker
    if quoted is not None:
        return None   # whoever is quoted predicts, even when we could not tell who: never the author
    for quote in quotes:   # an indirect quote whose speaker we know: "according to X", and "X said" beyond the parse
        if quote.kind == "indirect" and quote.speaker is not None and quote.start <= verb.idx < quote.end:
            return quote.speaker
    carried = _carried(verb, quotes)
    if carried is not None:
        return carried
    own = _own_act(verb, index)
    if own is not None:
        return own
    if article.authors:
        name = article.authors[0]
        return Actor(text=name, start=-1, end=-1, name=name, country=None, role="MED", kind="person", code="MED",
                     affiliation=article.source)
    if article.source:
        return Actor(text=article.source, start=-1, end=-1, name=article.source, country=None, role="MED",
                     kind="organization", code="MED")
    return None


def _clause_above(token: Token) -> Token | None:
    """The clause a clause hangs from: through clause links, and through the noun a prediction or plan is told in
    ("announced plans to withdraw", "suggest the strong possibility that ...")."""
    if token.head.i == token.i:
        return None
    if token.dep_ in _CLAUSE_LINKS:
        return token.head
    noun = token.head
    told = noun.lemma_.lower() in _told_in() or any(m.dep_ == "mark" and m.lower_ == "that" for m in token.children)
    if token.dep_ in {"acl", "relcl"} and told and noun.head.i != noun.i:
        if noun.dep_ in {"dobj", "attr", "nsubj"}:
            return noun.head
        if noun.dep_ == "pobj" and noun.head.head.i != noun.head.i:
            return noun.head.head
    return None


def _own_act(verb: Token, index: ActorIndex) -> Actor | None:
    """An actor's own next act told in the narrator's voice ("Georgia is set to stop the broadcasts", "Ryanair
    intends to end the route"): that actor has announced it, so the actor is the forecaster. Only a resolved actor
    as the active subject; "the storm will weaken" has none."""
    token: Token | None = verb
    while token is not None:
        subjects = [c for c in token.children if c.dep_ == "nsubj"]
        if subjects:
            actor = index.of(subjects[0])
            return actor if actor is not None and actor.code and subjects[0].lower_ not in PRONOUNS else None
        passive = [c for c in token.children if c.dep_ == "nsubjpass"]
        if passive:   # "X is set to ...": X's act; "X is expected to", "X was ordered to": someone else's word
            actor = index.of(passive[0]) if token.lemma_.lower() in _ANNOUNCED else None
            return actor if actor is not None and actor.code and passive[0].lower_ not in PRONOUNS else None
        token = token.head if token.dep_ in {"xcomp", "conj"} else None
    return None


def _carried(verb: Token, quotes: tuple[Quote, ...]) -> Actor | None:
    """The speaker of the nearest quote before the verb in its paragraph, when we know who it is (a resolved actor
    or a named person): news goes on in the voice of the source it last named."""
    text = verb.doc.text
    before = [q for q in quotes if q.speaker is not None and (q.speaker.code or q.speaker.kind == "person")
              and q.end <= verb.idx and "\n" not in text[q.end:verb.idx]]
    return max(before, key=lambda q: q.end).speaker if before else None


def _holder(token: Token, index: ActorIndex) -> Actor | None:
    """Who says, believes or plans: the subject, but never the subject of a passive ('X is expected to' is
    about X); there the 'by' agent, if any. Belief adjectives ('optimistic that') take the copula's subject."""
    if token.pos_ == "ADJ" and token.dep_ == "acomp":
        token = token.head
    if any(c.dep_ in {"nsubjpass", "auxpass"} for c in token.children):
        agents = [p for c in token.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
        return index.of(agents[0]) if agents else None
    return speaker_of(token, index)


_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "a few": 3, "few": 3, "several": 6}
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_SEASON_END = {"spring": (5, 31), "summer": (8, 31), "autumn": (11, 30), "fall": (11, 30), "winter": (2, 28)}
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}


def horizon(text: str, story_day: date | None) -> str | None:
    """The end date a sentence gives its prediction, relative to the story date; None when it gives none."""
    lowered = text.lower()
    for m in re.finditer(r"\b(?:by|before|until|in) (?:the end of )?(\d{4})\b(?! ?(?:gmt|utc|hours?|hrs|local))", lowered):
        year = int(m[1])
        if 1900 <= year <= 2200 and (story_day is None or year >= story_day.year):
            return date(year, 12, 31).isoformat()
    if story_day is None:
        return None
    for m in re.finditer(r"\b(within|in|over|during) (the (?:next|coming|following) )?(a few|few|several|a|an|one|two|"
                         r"three|four|five|six|seven|eight|nine|ten|twelve|\d+)? ?(day|week|month|year)(s?)\b", lowered):
        if not m[3] and not m[2] and m[1] != "within":
            continue   # "built over years", "the worst fighting in years": looking back, not ahead
        count = (int(m[3]) if m[3].isdigit() else _NUMBERS[m[3]]) if m[3] else (3 if m[5] else 1)
        return (story_day + timedelta(days=count * _UNIT_DAYS[m[4]])).isoformat()
    if m := re.search(r"\b(?:by|before) (?:the end of )?(?:this|the) (year|month|week)\b", lowered):
        return _end_of(story_day, m[1]).isoformat()
    if m := re.search(r"\bnext (week|month|year)\b", lowered):
        return _end_of(story_day + timedelta(days=_UNIT_DAYS[m[1]]), m[1]).isoformat()
    if m := re.search(r"\b(?:by|before|until) (?:the )?(spring|summer|autumn|fall|winter)\b", lowered):
        month, day = _SEASON_END[m[1]]
        year = story_day.year + (1 if (month, day) < (story_day.month, story_day.day) else 0)
        return date(year, month, day).isoformat()
    if m := re.search(r"\b(?:by|before|until|in) (" + "|".join(_MONTHS) + r")\b", lowered):
        month = _MONTHS[m[1]]
        year = story_day.year + (1 if month < story_day.month else 0)
        return date(year, month, calendar.monthrange(year, month)[1]).isoformat()
    return None


def _end_of(day: date, unit: str) -> date:
    if unit == "year":
        return date(day.year, 12, 31)
    if unit == "month":
        return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    return day + timedelta(days=6 - day.weekday())
