"""Events: who did what to whom, coded in CAMEO from spaCy dependency parses and the verb lexicon.

For every verb with lexicon patterns, in every sentence:
1. skip what is not an event: questions, conditions, predictions ("may attack", "analysts expect ...") and
   infinitives carried by a coded head verb ("agreed to resume talks" codes "agree to"); a stated plan
   ("will impose sanctions", "vowed to send aid") is coded as an intent (03x) or a threat (13x);
2. pick the pattern that finds most of its words around the verb (all but a target preposition must be
   present; docs/ontology.md, "Precedence");
3. source = the subject (the "by" agent in a passive), target = the pattern's prepositional object or the
   direct object; conjoined subjects and objects give one event per actor;
4. flag negation ("did not", "refused to") and reported speech ("X said Y attacked Z").
Event nouns ("Russia's invasion of Ukraine", "sanctions against Iran") are coded the same way from
possessives, modifiers and prepositional objects.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Span, Token

from barometer.actors import ActorIndex
from barometer.lexicon import Lexicon, VerbPattern, cue_words, default_lexicon
from barometer.models import Actor, Event
from barometer.ontology import event_type
from barometer.tables import DATA_DIR, by_longest_prefix, read_tsv

_SUBJECTS = {"nsubj", "csubj"}
_PREP_DEPS = {"prep", "prt", "agent", "dative"}
_OBJECTS = {"dobj", "obj", "attr", "oprd"}
_RECIPROCAL_ROOTS = {"03", "04", "05", "06"}   # agree, consult, cooperate: done with each other
_FORCE_ROOTS = {"15", "17", "18", "19", "20"}   # force used somewhere hits that place
_ARGUMENT_PREPS = ("with", "to", "against", "on")   # in order of preference
_ADDRESSING_ROOTS = {"02", "10", "13"}   # appeals, demands, threats are addressed to someone
_DOMESTIC_SOURCES = frozenset({"JUD", "COP", "LEG"})
MAX_SENTENCE_TOKENS = 150   # longer "sentences" are tables or run-on scrapes, not coded


@dataclass(frozen=True)
class _Match:
    pattern: VerbPattern
    words: tuple[Token, ...]       # the tokens the pattern matched beyond the verb
    preps: dict[str, list[Token]]  # what _features found around the verb, reused to pick the target
    objects: list[Token]


def code_events(doc: Doc, actors: tuple[Actor, ...], story_date: str | None,
                lexicon: Lexicon | None = None) -> tuple[Event, ...]:
    """All events in ``doc``, in text order, each with its sentence and offsets."""
    lexicon = lexicon or default_lexicon()
    index = ActorIndex(doc, actors)
    events: list[Event] = []
    for sent in map(trimmed, doc.sents):
        if sent.text.endswith("?") or len(sent) > MAX_SENTENCE_TOKENS:
            continue   # questions are not events; a "sentence" this long is a table or a run-on scrape
        consumed: set[int] = set()
        for token in sent:
            key = _verb_key(token, lexicon) if token.pos_ in {"VERB", "AUX"} else None
            if key is None:
                continue
            intent = not _is_factual(token, lexicon)
            if intent and not _is_intention(token, lexicon):
                continue
            match = _match(token, lexicon.verbs[key])
            if match is None:
                continue
            consumed.update(t.i for t in match.words)
            events.extend(_verb_events(token, match, sent, index, story_date, intent=intent))
        for token in sent:
            if token.pos_ == "NOUN" and token.i not in consumed and token.lemma_.lower() in lexicon.nouns:
                if _governing_verb_is_factual(token, lexicon):
                    events.extend(_noun_events(token, lexicon, sent, index, story_date))
    return tuple(events)


def trimmed(sent: Span) -> Span:
    """A sentence without the paragraph break after it, which spaCy counts as part of it."""
    while len(sent) > 1 and sent[-1].is_space:
        sent = sent[:-1]
    return sent


def _verb_key(verb: Token, lexicon: Lexicon) -> str | None:
    """The lexicon entry for a verb: its lemma, or, where the lemmatizer slips ("staged" -> "stag"),
    the word with its inflection taken off."""
    word = verb.lower_
    for key in (verb.lemma_.lower(), word[:-1], word[:-2], word[:-3], word[:-3] + "e", word[:-2] + "y"):
        if key and key in lexicon.verbs:
            return key
    return None


def is_conditional(verb: Token) -> bool:
    """The verb sits in, or heads, an 'if'/'unless'/'whether' clause."""
    return any(c.dep_ == "mark" and c.lower_ in {"if", "unless", "whether"} for c in verb.children) or (
        verb.dep_ == "advcl" and any(c.lower_ in {"if", "unless"} for c in verb.children))


@cache
def _prediction_cues() -> frozenset[str]:
    return cue_words("forecast_verb") | cue_words("likelihood")


def _is_intention(verb: Token, lexicon: Lexicon) -> bool:
    """A stated plan rather than a prediction or condition: "will impose", "is going to", "vowed/plans to send"."""
    if is_conditional(verb):
        return False
    if any(a.lemma_.lower() in _prediction_cues() for a in verb.ancestors):
        return False   # "analysts expect Russia will expel ...": someone else's prediction, a forecast
    if any(c.dep_ == "aux" and (c.lemma_.lower() in {"will", "shall"} or c.lower_ in {"'ll", "going"})
           for c in verb.children):
        return True
    head = verb.head
    return (verb.dep_ == "xcomp" and head.lemma_.lower() in cue_words("intention")
            and _verb_key(head, lexicon) is None and _is_factual(head, lexicon))


@cache
def _intent_codes() -> dict[str, str]:
    return {row["prefix"]: row["code"] for row in read_tsv(DATA_DIR / "intents.tsv", ("prefix", "code"))}


def intent_code(code: str) -> str:
    """The CAMEO code of a stated intention to do ``code``: 03x to cooperate, 13x to threaten."""
    return by_longest_prefix(_intent_codes(), code) or code


def _is_factual(verb: Token, lexicon: Lexicon) -> bool:
    """False for modal futures, conditions and infinitives whose head verb carries the meaning."""
    modals = cue_words("modal")
    if any(c.dep_ == "aux" and c.lemma_.lower() in modals for c in verb.children):
        return False
    if is_conditional(verb):
        return False
    if any(c.dep_ == "aux" and c.lower_ == "going" for c in verb.children):
        return False
    if verb.dep_ == "xcomp":
        head = verb.head
        head_key = _verb_key(head, lexicon)
        if head_key is not None and _match(head, lexicon.verbs[head_key]):
            return False   # "threatened to impose": the head verb is the event
        if head.lemma_.lower() in cue_words("attempt") or head.lemma_.lower() in cue_words("negating"):
            return _is_factual(head, lexicon)
        return False
    if verb.dep_ == "ccomp" and verb.head.lemma_.lower() in cue_words("directive"):
        return False   # "demanded that Norway withdraw": what is demanded has not happened
    # a bare infinitive of purpose or intent ("... to punish Moscow") reports no event
    return not (verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children))


def _governing_verb_is_factual(noun: Token, lexicon: Lexicon) -> bool:
    head = noun
    while head.dep_ not in {"ROOT"} and head.pos_ not in {"VERB", "AUX"}:
        head = head.head
    if head.pos_ not in {"VERB", "AUX"}:
        return True
    # "did not rule out a meeting": an event noun under a denied verb did not happen
    return _is_factual(head, lexicon) and not any(c.dep_ == "neg" for c in head.children)


def _features(verb: Token) -> tuple[dict[str, list[Token]], dict[str, Token], list[Token]]:
    """Prepositions (with their objects), object nouns, and direct objects around a verb."""
    preps: dict[str, list[Token]] = {}
    nouns: dict[str, Token] = {}
    objects: list[Token] = []
    holders = [verb]
    for child in verb.children:
        if child.dep_ in _OBJECTS | {"nsubjpass"}:
            nouns.setdefault(child.lemma_.lower(), child)
            if child.dep_ in _OBJECTS:
                objects.append(child)
            holders.append(child)   # "sanctions on Russia": the preposition may hang on the object
            for conj in child.conjuncts:
                nouns.setdefault(conj.lemma_.lower(), conj)
    for holder in holders:
        for child in holder.children:
            if child.dep_ in _PREP_DEPS and not _temporal(child):
                preps.setdefault(child.lower_, []).append(child)
                for pobj in child.children:
                    if pobj.dep_ in {"pobj", "pcomp"}:
                        nouns.setdefault(pobj.lemma_.lower(), pobj)
    return preps, nouns, objects


def _temporal(prep: Token) -> bool:
    """'on Friday', 'in May': a time phrase, not an argument."""
    return any(t.ent_type_ in {"DATE", "TIME"} for t in prep.children if t.dep_ == "pobj")


def _match(verb: Token, patterns: tuple[VerbPattern, ...]) -> _Match | None:
    """The pattern that matches the most words around the verb (all its slots present, except that a
    target preposition may be missing); among equals, the first in the file."""
    preps, nouns, objects = _features(verb)
    particles = {c.lower_ for c in verb.children if c.dep_ == "prt"
                 and not (c.i + 1 < len(c.doc) and c.doc[c.i + 1].lower_ == "to")}   # "up to 16": a number, not a particle
    best: _Match | None = None
    best_score = (0, 0)
    for pattern in patterns:   # most specific first
        if not particles <= pattern.particles:
            continue   # "called off" is not "call"; a phrasal verb needs a pattern that names its particle
        words: list[Token] = []
        for slot in pattern.slots:
            if slot.kind == "prep":
                found = next((preps[w][0] for w in slot.words if w in preps), None)
            elif slot.kind == "noun":
                found = next((nouns[w] for w in slot.words if w in nouns), None)
            else:
                found = objects[0] if objects else None
            if found is None and slot.kind == "prep" and slot.words == pattern.target_prep:
                continue   # "staged a protest" matches "stage protest against": the preposition only names a target
            if found is None:
                break
            words.append(found)
        else:
            score = (len(words), len(words) - len(pattern.slots))   # most words found, then fewest missing
            if best is None or score > best_score:
                best, best_score = _Match(pattern, tuple(words), preps, objects), score
    return best


def _verb_events(verb: Token, match: _Match, sent: Span, index: ActorIndex, story_date: str | None,
                 intent: bool = False) -> list[Event]:
    pattern = match.pattern
    passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children)
    sources = _sources(verb, passive, index)
    targets = _targets(verb, match, passive, index)
    negated = _negated(verb)
    reported = _reported(verb)
    trigger = " ".join(t.text for t in sorted([verb, *match.words], key=lambda t: t.i))
    code = intent_code(pattern.code) if intent else pattern.code
    return _pairs(sources, targets, code, trigger, sent, negated, reported, story_date)


def _sources(verb: Token, passive: bool, index: ActorIndex) -> list[Actor | None]:
    heads: list[Token] = []
    if passive:
        for child in verb.children:
            if child.dep_ == "agent":
                heads += [t for t in child.children if t.dep_ == "pobj"]
    else:
        carrier = verb
        # shared subjects: "X met Y and signed ..." (conj), "X agreed to ..." (xcomp of the head)
        while not any(c.dep_ in _SUBJECTS for c in carrier.children) and carrier.dep_ in {"conj", "xcomp"}:
            carrier = carrier.head
        heads += [c for c in carrier.children if c.dep_ in _SUBJECTS]
    actors = _with_conjuncts(heads, index)
    if not actors and any(h.lower_ in {"it", "they", "we"} for h in heads):
        actors = [a for a in [_speaker_actor(verb, index)] if a is not None]   # "Switzerland said it had expelled"
    return actors or [None]


def _speaker_actor(verb: Token, index: ActorIndex) -> Actor | None:
    """The subject of the speech verb a reported clause hangs on: who "it" or "we" is in "X said it ...".

    Not ``quotes.speaker_of``: that one also names speakers the knowledge lacks, as written, which suits a quote
    but would give an event a source with no country (measured: one more false event on the PLOVER dev set)."""
    speech = _reporting_verb(verb)
    subjects = [c for c in speech.children if c.dep_ in _SUBJECTS] if speech is not None else []
    return index.of(subjects[0]) if subjects else None


def _targets(verb: Token, match: _Match, passive: bool, index: ActorIndex) -> list[Actor | None]:
    pattern, preps, objects = match.pattern, match.preps, match.objects
    heads: list[Token] = []
    wanted = pattern.target_prep
    if wanted:
        for word in wanted:
            for prep in preps.get(word, []):
                heads += [t for t in prep.children if t.dep_ == "pobj"]
        if not heads:   # a particle, not a preposition: "shot down a Russian jet" targets the object
            heads += objects
            wanted = None   # and the usual fallbacks apply: "opened investigations against X"
    elif passive:
        heads += [c for c in verb.children if c.dep_ == "nsubjpass"]
    else:
        heads += objects
    heads += [c for c in verb.children if c.dep_ == "dative"]   # "will give Tanzania a grant"
    actors = _with_conjuncts(heads, index)
    fallbacks = _ARGUMENT_PREPS   # "met with", "spoke to": natural targets of a bare verb
    if pattern.code[:2] in _FORCE_ROOTS:
        fallbacks += ("in", "at", "near", "inside", "into", "across")   # force used somewhere hits that place
    if not actors and not wanted:
        for word in fallbacks:
            for prep in preps.get(word, []):
                actors += _with_conjuncts([t for t in prep.children if t.dep_ == "pobj"], index)
            if actors:
                break
    if not actors:
        # "threatened to strike South Korea", "offered to hold talks with Iran": the intended act's object
        for xcomp in (c for c in verb.children if c.dep_ == "xcomp"):
            heads = [c for c in xcomp.children if c.dep_ in _OBJECTS]
            holders = [xcomp, *heads]   # "cut ties with Canada": the preposition may hang on the object
            heads += [t for h in holders for p in h.children if p.dep_ == "prep" and p.lower_ in _ARGUMENT_PREPS
                      for t in p.children if t.dep_ == "pobj"]
            actors += _with_conjuncts(heads, index)
    if not actors and pattern.code[:2] in _ADDRESSING_ROOTS:
        # "Moscow demanded that Washington withdraw": whoever must act is the target
        for ccomp in (c for c in verb.children if c.dep_ == "ccomp"):
            actors += _with_conjuncts([c for c in ccomp.children if c.dep_ in {"nsubj", "nsubjpass"}], index)
    return actors or [None]


def _with_conjuncts(heads: list[Token], index: ActorIndex) -> list[Actor]:
    found: list[Actor] = []
    for head in heads:
        for token in [head, *head.conjuncts]:
            actor = index.of(token)
            if actor is not None and actor not in found:
                found.append(actor)
    return found


def _negated(verb: Token) -> bool:
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    head = verb.head
    return verb.dep_ == "xcomp" and (head.lemma_.lower() in cue_words("negating") or
                                     any(c.dep_ == "neg" for c in head.children))


def _reporting_verb(verb: Token) -> Token | None:
    """The speech verb whose complement holds ``verb`` ("said" in "X said Y attacked Z"), if any."""
    token = verb
    while token.dep_ in {"ccomp", "conj", "xcomp", "advcl"} and token.head.i != token.i:
        if token.dep_ == "ccomp" and token.head.lemma_.lower() in cue_words("speech"):
            return token.head
        token = token.head
    return None


def _reported(verb: Token) -> bool:
    """True when the verb sits in the complement of a speech verb: "X said Y attacked Z"."""
    return _reporting_verb(verb) is not None


def _noun_events(noun: Token, lexicon: Lexicon, sent: Span, index: ActorIndex, story_date: str | None) -> list[Event]:
    preps_here = {c.lower_ for c in noun.children if c.dep_ == "prep"}
    options = lexicon.nouns[noun.lemma_.lower()]
    pattern = next((p for p in options if p.preps & preps_here), None) or \
        next((p for p in options if not p.preps), options[0])
    sources = [index.by_token[c.i] for c in noun.children
               if c.dep_ in {"poss", "compound", "amod", "nmod"} and c.i in index.by_token]
    targets: list[Actor] = []
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in pattern.preps:
            pobjs = [t for t in child.children if t.dep_ == "pobj"]
            found = _with_conjuncts(pobjs, index)
            if child.lower_ in {"between", "among"} and len(found) >= 2 and not sources:
                sources, found = found[:1], found[1:]
            targets += found
    if not sources and not targets:
        return []
    return _pairs(list(dict.fromkeys(sources)) or [None], targets or [None], pattern.code, noun.text, sent,
                  any(c.dep_ == "neg" for c in noun.children), _reported(noun.head), story_date)


def _domestic(actor: Actor | None, other: Actor | None, roles: frozenset[str] | None = None) -> Actor | None:
    """An actor known only by its sector ("the opposition newspaper") is of the other side's country.

    For targets any sector; for sources only domestic institutions (``roles``: a judge, the police, a
    parliament), since "troops attacked Iraqi positions" says nothing about whose troops.
    """
    if actor is None or other is None or actor.country or not other.country or not actor.role \
            or actor.kind not in {"group", "person"} or actor.code.startswith("IGO") \
            or (roles is not None and actor.role not in roles):
        return actor
    return dataclasses.replace(actor, country=other.country, code=f"{other.country}{actor.role}")


def _placed(actor: Actor | None) -> bool:
    return actor is not None and bool(actor.country or actor.kind in {"igo", "organization"})


def _pairs(sources: list[Actor | None], targets: list[Actor | None], code: str, trigger: str, sent: Span,
           negated: bool, reported: bool, story_date: str | None) -> list[Event]:
    kind = event_type(code)
    events: list[Event] = []
    reciprocal = len(sources) > 1 and not any(map(_placed, targets)) and kind.root in _RECIPROCAL_ROOTS
    for source in sources:
        # "France and Germany signed an agreement": each signed with the other
        for target in ([t for t in sources if t is not source] if reciprocal else targets):
            target = _domestic(target, source)
            source = _domestic(source, target, _DOMESTIC_SOURCES)
            if not _placed(source) and not _placed(target):
                continue   # "the two ministers met": no country or organisation on either side
            if source is not None and target is not None and (source.start, source.code) == (target.start, target.code):
                continue
            events.append(Event(
                source=source, target=target, code=code, root=kind.root, name=kind.name,
                quad_class=kind.quad_class, goldstein=kind.goldstein, plover=kind.plover, verb=trigger,
                sentence=sent.text, start=sent.start_char, end=sent.end_char, negated=negated,
                reported=reported, date=story_date,
            ))
    return events


def code_verb(verb: Token, index: ActorIndex, story_date: str | None, lexicon: Lexicon | None = None) -> Event | None:
    """The event a verb would code whatever its tense or modality (used for the content of forecasts)."""
    lexicon = lexicon or default_lexicon()
    key = _verb_key(verb, lexicon)
    patterns = lexicon.verbs.get(key) if key else None
    match = _match(verb, patterns) if patterns else None
    if match is None:
        return None
    events = _verb_events(verb, match, trimmed(verb.sent), index, story_date)
    return events[0] if events else None
