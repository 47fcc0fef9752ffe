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

from barometer.actors import ActorIndex, knowledge_base
from barometer.lexicon import Lexicon, VerbPattern, cue_words, default_lexicon
from barometer.models import Actor, Event
from barometer.ontology import user_event_type
from barometer.tables import DATA_DIR, by_longest_prefix, read_tsv
from barometer.verbdict import phrase_end

_SUBJECTS = {"nsubj", "csubj"}
_PREP_DEPS = {"prep", "prt", "agent", "dative"}
_OBJECTS = {"dobj", "obj", "attr", "oprd"}
RECIPROCAL_ROOTS = {"03", "04", "05", "06"}   # agree, consult, cooperate: done with each other
_FORCE_ROOTS = {"15", "17", "18", "19", "20"}   # force used somewhere hits that place
# aid, concessions, protests and cuts made in a country are made to its people: "lifted a curfew in X"
_PLACED_ROOTS = {"07", "08", "14", "16"}
_ARGUMENT_PREPS = ("with", "to", "against", "on")   # in order of preference
_ADDRESSING_ROOTS = {"02", "10", "13"}   # appeals, demands, threats are addressed to someone
_DOMESTIC_SOURCES = frozenset({"JUD", "COP", "LEG"})
_REFUSING = frozenset({"refuse", "decline", "fail", "reject"})   # "refused to release": a rejection
# "in protest against X", "to protest X", "in defiance of X", "in retaliation for X's raid": X is aimed at
_AIMING = frozenset({"protest", "defiance", "retaliation", "reprisal", "denounce", "condemn", "oppose", "demonstrate"})
_DISAPPROVALS = frozenset({"disapproval", "anger", "opposition", "displeasure", "outrage", "discontent", "frustration"})
_FRAME_NOUNS = frozenset({"effort", "campaign", "operation", "mission", "drive", "bid", "initiative", "attempt"})
MAX_SENTENCE_TOKENS = 150   # longer "sentences" are tables or run-on scrapes, not coded


@dataclass(frozen=True)
class _Match:
    pattern: VerbPattern
    words: tuple[Token, ...]       # the tokens the pattern matched beyond the verb
    preps: dict[str, list[Token]]  # what _features found around the verb, reused to pick the target
    objects: list[Token]
    # from a user's verb dictionary: where its $ (source), + (target) and % (compound) markers stand, the
    # code back ([A:B]), and whether the pattern matched a mood word before the verb ("WILL NOT *")
    markers: dict[str, tuple[int, int]] = dataclasses.field(default_factory=dict)
    reverse: str | None = None
    worded: bool = False


def code_events(doc: Doc, actors: tuple[Actor, ...], story_date: str | None,
                lexicon: Lexicon | None = None, conventions: str = "barometer") -> tuple[Event, ...]:
    """All events in ``doc``, in text order, each with its sentence and offsets.

    ``conventions`` is the ``event_conventions`` setting: "barometer" (the steps above) or "petrarch" (every
    verb the lexicon knows codes its pattern whatever its mood, except an infinitive whose head verb codes;
    the target is the first actor of the verb's phrase when no object names one; a speech verb is not coded
    when the clause it reports is)."""
    lexicon = lexicon or default_lexicon()
    petrarch = conventions == "petrarch"
    index = ActorIndex(doc, actors)
    events: list[Event] = []
    for sent in map(trimmed, doc.sents):
        if sent.text.endswith("?") or len(sent) > MAX_SENTENCE_TOKENS:
            continue   # questions are not events; a "sentence" this long is a table or a run-on scrape
        consumed: set[int] = set()
        coded: dict[int, list[Event]] = {}
        refusing: set[int] = set()     # "refused" in "refused to release": the act refused codes instead
        for token in sent:
            match = _lookup(token, lexicon, index) if token.pos_ in {"VERB", "AUX"} else None
            if match is None:
                continue
            if petrarch:
                if token.dep_ == "xcomp" and _lookup(token.head, lexicon, index) is not None:
                    continue   # "urged Bree to help": the head verb codes
                intent = False
            elif token.dep_ == "xcomp" and token.head.lemma_.lower() in _REFUSING and token.head.i in coded \
                    and refusal_code(match.pattern.code) and _is_factual(token.head, lexicon):
                intent = False   # "refused to release": the act refused says which rejection (1243, not 120)
                refusing.add(token.head.i)
            else:
                # a dictionary pattern that names a modal, negation or speech word before its verb ("WILL NOT *",
                # "SAID WOULD *") has already said what mood it codes
                intent = not match.worded and not _is_factual(token, lexicon)
                if intent and not _is_intention(token, lexicon):
                    continue
            consumed.update(t.i for t in match.words)
            coded[token.i] = _verb_events(token, match, sent, index, story_date, intent=intent,
                                          phrase_target=petrarch)
        coded = {i: found for i, found in coded.items() if i not in refusing}
        if petrarch:   # "X said Y attacked Z" codes the attack alone, as PETRARCH does
            reporting = {r.i for i in coded if (r := _reporting_verb(doc[i])) is not None and coded[i]}
            coded = {i: found for i, found in coded.items() if i not in reporting}
        if not petrarch:
            for i, found in coded.items():
                if found and found[0].code == "100" and (act := _demanded_act(doc[i], lexicon, index)):
                    # "demanded that Israel ease restrictions": the act demanded says which demand (1051)
                    coded[i] = [_recoded(e, demand_code(act)) for e in found]
            coded.update(_obligations(sent, lexicon, index, story_date, skip=set(coded)))
        events += [event for found in coded.values() for event in found]
        for token in sent:
            key = _noun_key(token, lexicon) if token.pos_ == "NOUN" and token.i not in consumed else None
            if key is not None and _governing_verb_is_factual(token, lexicon) and not _aim_only(token, coded) \
                    and not _argument_of_coded(token, coded):
                events.extend(_noun_events(token, key, lexicon, sent, index, story_date))
    return tuple(events)


def _noun_key(noun: Token, lexicon: Lexicon) -> str | None:
    """The noun lexicon's entry for a noun: with its modifier when the lexicon has the pair ("hunger strike",
    "general strike"), else its lemma."""
    lemma = noun.lemma_.lower()
    for child in noun.children:
        if child.dep_ in {"compound", "amod"} and f"{child.lower_} {lemma}" in lexicon.nouns:
            return f"{child.lower_} {lemma}"
    return lemma if lemma in lexicon.nouns else None


def _argument_of_coded(noun: Token, coded: dict[int, list[Event]]) -> bool:
    """"rejected a US offer", "blamed Israel for the bombing", "closed its borders because of fighting": an
    event noun inside the phrase of a coded verb is what that event is about, not an event of its own (CAMEO
    codes one event per verb phrase). Relative clauses and subordinate clauses are not inside the phrase."""
    token = noun
    while token.head.i != token.i and token.dep_ not in {"relcl", "acl", "advcl", "ccomp", "conj", "appos"}:
        token = token.head
        if token.pos_ in {"VERB", "AUX"}:
            return bool(coded.get(token.i))
    return False


def _in_protest(noun: Token) -> bool:
    """The noun of "in protest against X", "in defiance of X", "in retaliation for X"."""
    return noun.dep_ == "pobj" and noun.head.lower_ == "in" and noun.lemma_.lower() in _AIMING


def _aim_only(noun: Token, coded: dict[int, list[Event]]) -> bool:
    """"walked out in protest against X": the protest only says at whom the coded act aims (``_aimed_at``)."""
    return _in_protest(noun) and bool(coded.get(noun.head.head.i))


@cache
def _by_act(table: str) -> dict[str, str]:
    """A data table from the CAMEO code of an act (by prefix) to the code of intending, refusing or demanding it:
    intents.tsv, refusals.tsv, demands.tsv."""
    return {row["prefix"]: row["code"] for row in read_tsv(DATA_DIR / table, ("prefix", "code"))}


def demand_code(act: str) -> str:
    """The CAMEO demand (10x) for demanding the act ``act``: "must return the helicopter" (084) is 1053."""
    return by_longest_prefix(_by_act("demands.tsv"), act) or "100"


def _demanded_act(verb: Token, lexicon: Lexicon, index: ActorIndex) -> str | None:
    """The code of the act a demand verb's clause asks for ("demanded that Israel ease ..."), if the lexicon
    knows it."""
    for comp in verb.children:
        if comp.dep_ in {"ccomp", "xcomp"} and (match := _lookup(comp, lexicon, index)) is not None:
            return match.pattern.code
    return None


def _recoded(event: Event, code: str) -> Event:
    kind = user_event_type(code)
    return dataclasses.replace(event, code=code, root=kind.root, name=kind.name, quad_class=kind.quad_class,
                               goldstein=kind.goldstein, plover=kind.plover)


_OBLIGING = frozenset({"must", "should", "ought"})


@cache
def _telling() -> frozenset[str]:
    """Verbs that report what someone holds: "said", "concluded" (a forum concluded that X must ...)."""
    return cue_words("speech") | cue_words("attribution")


def _obligations(sent: Span, lexicon: Lexicon, index: ActorIndex, story_date: str | None,
                 skip: set[int]) -> dict[int, list[Event]]:
    """Demands made by saying what another must do: "Russia said that Sudan must return the helicopter" is
    Russia demanding of Sudan (10x by the act, ``demand_code``); so is "the ILO renewed its demand that Israel
    ease restrictions". The one obliged must be named (not "it",
    "we") and be someone other than the speaker ("Ghana said it must defend its borders" demands nothing)."""
    found: dict[int, list[Event]] = {}
    for verb in sent:
        if verb.pos_ not in {"VERB", "AUX"} or verb.i in skip:
            continue
        modal = next((c for c in verb.children if c.dep_ == "aux" and c.lower_ in _OBLIGING), None)
        noun = _asked_by_noun(verb)
        if noun is not None:   # "the ILO reiterated its demand that Israel ease restrictions"
            asker = noun.head if noun.head.pos_ in {"VERB", "AUX"} else None
            sources = _with_conjuncts([c for c in noun.children if c.dep_ == "poss"], index) \
                or (_with_conjuncts(_subjects(asker), index) if asker is not None else [])
            targets = [t for t in _with_conjuncts([c for c in verb.children if c.dep_ == "nsubj"], index)
                       if t.code not in {s.code for s in sources}]
            if sources and targets:
                match = _lookup(verb, lexicon, index)
                code = demand_code(match.pattern.code) if match is not None else "100"
                found[verb.i] = _pairs(sources, targets, code, f"{noun.text} {verb.text}", sent, False, False,
                                       story_date)
            continue
        if modal is None or is_conditional(verb):
            continue
        speech = _reporting_verb(verb, _telling())
        if speech is None or any(c.dep_ == "neg" for c in verb.children):
            continue
        obliged = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"} and c.pos_ != "PRON"]
        sources = _with_conjuncts(_subjects(speech), index)
        targets = [t for t in _with_conjuncts(obliged, index) if t.code not in {s.code for s in sources}]
        if not sources or not targets:
            continue
        match = _lookup(verb, lexicon, index)
        code = demand_code(match.pattern.code) if match is not None else "100"
        found[verb.i] = _pairs(sources, targets, code, f"{modal.text} {verb.text}", sent, False, False, story_date)
    return found


def trimmed(sent: Span) -> Span:
    """A sentence without the paragraph break after it, which spaCy counts as part of it."""
    while len(sent) > 1 and sent[-1].is_space:
        sent = sent[:-1]
    return sent


def _verb_key(verb: Token, lexicon: Lexicon) -> str | None:
    """The lexicon entry for a verb: its lemma, or, where the lemmatizer slips ("staged" -> "stag"),
    the word with its inflection taken off. With a verb dictionary, the lemma when the dictionary has a verb
    of that form."""
    if lexicon.dictionary is not None:
        return verb.lemma_.lower() if lexicon.dictionary.knows(verb) else None
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
    if any(c.dep_ == "aux" and c.lower_ == "would" for c in verb.children) and _reporting_verb(verb) is not None:
        return True   # "said they would boycott": a reported "will"
    head = verb.head
    if verb.dep_ == "xcomp" and head.pos_ == "ADJ" and head.lemma_.lower() in cue_words("readiness"):
        return True   # "is willing to withdraw", "said he was ready to meet"; "not willing": a refusal
    return (verb.dep_ == "xcomp" and head.lemma_.lower() in cue_words("intention")
            and _verb_key(head, lexicon) is None and _is_factual(head, lexicon))


def intent_code(code: str) -> str:
    """The CAMEO code of a stated intention to do ``code``: 03x to cooperate, 13x to threaten."""
    return by_longest_prefix(_by_act("intents.tsv"), code) or code


def refusal_code(code: str) -> str | None:
    """The CAMEO rejection (12x) that refusing to do ``code`` is, for cooperative acts (roots 03-08); else None."""
    return by_longest_prefix(_by_act("refusals.tsv"), code)


def _refuses(verb: Token, intent: bool) -> bool:
    """A negated verb that is a refusal, not a denied fact: a negated intention ("will not accept", "is not
    willing to withdraw") or the act under "refuse/decline/fail/reject to"; "did not sign" is a denied fact."""
    return intent or (verb.dep_ == "xcomp" and verb.head.lemma_.lower() in _REFUSING)


def _is_factual(verb: Token, lexicon: Lexicon) -> bool:
    """False for modal futures, conditions and infinitives whose head verb carries the meaning."""
    modals = cue_words("modal")
    if any(c.dep_ == "aux" and c.lemma_.lower() in modals for c in verb.children):
        return False
    if is_conditional(verb):
        return False
    if any(c.dep_ == "aux" and c.lower_ == "going" for c in verb.children):
        return False
    if _still_to_come(verb, lexicon):
        return False
    if verb.dep_ == "conj" and verb.head.pos_ in {"VERB", "AUX"} \
            and not any(c.dep_ in _SUBJECTS for c in verb.children):
        return _is_factual(verb.head, lexicon)   # "aims to tighten sanctions and impose a blockade": both aimed at
    if verb.dep_ == "xcomp":
        head = verb.head
        if _lookup(head, lexicon) is not None:
            return False   # "threatened to impose": the head verb is the event
        if head.lemma_.lower() in _passing_heads():
            return _is_factual(head, lexicon)   # "managed to", "was seen to": the act happened if they did
        return False
    if (verb.dep_ == "ccomp" and verb.head.lemma_.lower() in cue_words("directive")) or _asked_by_noun(verb):
        return False   # "demanded that Norway withdraw", "its demand that Israel ease": not happened
    # a bare infinitive of purpose or intent ("... to punish Moscow") reports no event
    return not (verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children))


_PLAN_NOUNS = frozenset({"decision", "plan", "intention", "proposal", "idea", "prospect", "possibility",
                         "option", "threat", "bid", "scheme", "project", "goal", "aim", "promise", "pledge"})
_TEMPORAL_MARKS = frozenset({"before", "until", "till", "once"})


def _still_to_come(verb: Token, lexicon: Lexicon) -> bool:
    """A present tense after "before/until/once" speaks of the future ("must agree before they demobilize"),
    and so does a gerund there when the act it follows is asked for or not yet done ("demanded a truce before
    allowing aid convoys")."""
    if verb.dep_ == "advcl" and verb.tag_ in {"VB", "VBP", "VBZ"} \
            and any(c.dep_ == "mark" and c.lower_ in _TEMPORAL_MARKS for c in verb.children):
        return True
    if verb.dep_ == "pcomp" and verb.tag_ == "VBG" and verb.head.lower_ in {"of", "to", "for"} \
            and verb.head.head.lemma_.lower() in _PLAN_NOUNS:
        return True   # "the decision of sending troops to Iraq", "a plan for building a wall"
    if verb.dep_ == "pcomp" and verb.tag_ == "VBG" and verb.head.lower_ in _TEMPORAL_MARKS:
        governing = verb.head.head
        return governing.pos_ in {"VERB", "AUX"} and (governing.lemma_.lower() in cue_words("directive")
                                                     or not _is_factual(governing, lexicon))
    return False


_DEMAND_NOUNS = frozenset({"demand", "call", "request", "appeal", "ultimatum", "plea", "insistence"})


def _asked_by_noun(verb: Token) -> Token | None:
    """The demand noun whose "that" clause ``verb`` heads: "reiterated its demand that Israel ease ...", where
    the parser hangs the clause on the noun or on the verb that governs it."""
    if verb.dep_ not in {"ccomp", "acl"} or not any(c.dep_ == "mark" and c.lower_ == "that" for c in verb.children):
        return None
    head = verb.head
    nouns = [head] if head.pos_ == "NOUN" else [c for c in head.children if c.dep_ in _OBJECTS and c.i < verb.i]
    return next((n for n in nouns if n.lemma_.lower() in _DEMAND_NOUNS), None)


@cache
def _passing_heads() -> frozenset[str]:
    """Verbs whose infinitive is as factual as they are: "tried to", "refused to", "managed to"."""
    return cue_words("attempt") | cue_words("negating") | cue_words("implicative")


def _governing_verb_is_factual(noun: Token, lexicon: Lexicon) -> bool:
    head = noun
    while head.dep_ not in {"ROOT"} and head.pos_ not in {"VERB", "AUX"}:
        head = head.head
    if head.pos_ not in {"VERB", "AUX"}:
        return True
    if head.lemma_.lower() in cue_words("directive"):
        return False   # "advocates Israel's destruction", "urged talks": asked for, not done
    # "did not rule out a meeting": an event noun under a denied verb did not happen
    return _is_factual(head, lexicon) and not any(c.dep_ == "neg" for c in head.children)


def _features(verb: Token) -> tuple[dict[str, list[Token]], dict[str, Token], list[Token]]:
    """Prepositions (with their objects), object nouns, and direct objects around a verb."""
    preps: dict[str, list[Token]] = {}
    nouns: dict[str, Token] = {}
    objects: list[Token] = []
    holders = [verb]
    # "kidnapped up to 16 advisers": an object with a quantity the parser reads as a particle and a preposition
    quantities = [t for prt in verb.children if prt.dep_ == "prt" and prt.lower_ == "up"
                  for p in prt.children if p.dep_ == "prep" and p.lower_ == "to"
                  for t in p.children if t.dep_ == "pobj" and any(n.dep_ == "nummod" for n in t.children)]
    for child in [*verb.children, *quantities]:
        if child.dep_ in _OBJECTS | {"nsubjpass"} or child in quantities:
            nouns.setdefault(child.lemma_.lower(), child)
            if child.dep_ != "nsubjpass":
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


def _lookup(verb: Token, lexicon: Lexicon, index: ActorIndex | None = None) -> _Match | None:
    """What ``verb`` codes by the lexicon's patterns, or None (unknown verb, no pattern, or a null code).

    ``index`` tells a user dictionary's compound patterns (``%``) whether two actors stand where they need;
    without it they are assumed to."""
    if lexicon.dictionary is None:
        key = _verb_key(verb, lexicon)
        return _match(verb, lexicon.verbs[key]) if key is not None else None

    def actors_in(lo: int, hi: int) -> int:
        return 2 if index is None else len({id(index.by_token[i]) for i in range(lo, hi) if i in index.by_token})

    found = lexicon.dictionary.match(verb, actors_in)
    if found is None:
        return None
    preps, _nouns, objects = _features(verb)
    pattern = VerbPattern(code=found.code.value or "", verb=verb.lemma_.lower(), slots=(), text=found.text)
    words = tuple(verb.doc[i] for i in (*range(*found.verb_span), *found.words) if i != verb.i)
    mood = found.pattern is not None and _names_mood(verb, tuple(verb.doc[i] for i in found.words))
    return _Match(pattern, words, preps, objects, found.markers, found.code.reverse, mood)


def _names_mood(verb: Token, words: tuple[Token, ...]) -> bool:
    """Whether a dictionary pattern matched a modal, a negation or a speech verb before its verb ("WILL NOT *",
    "SAID WOULD *"): then it has said which mood it codes. Subject words ("&MILITARY *") say nothing of mood."""
    return any(t.i < verb.i and (t.dep_ == "neg" or t.lemma_.lower() in _mood_lemmas()) for t in words)


@cache
def _mood_lemmas() -> frozenset[str]:
    return cue_words("modal") | cue_words("negating") | cue_words("speech")


def _match(verb: Token, patterns: tuple[VerbPattern, ...]) -> _Match | None:
    """The pattern that matches the most words around the verb (all its slots present, except that a
    target preposition may be missing); among equals, the first in the file."""
    preps, nouns, objects = _features(verb)
    # "up to 16": a number, not a particle
    particles = {c.lower_ for c in verb.children if c.dep_ == "prt"
                 and not (c.i + 1 < len(c.doc) and c.doc[c.i + 1].lower_ == "to")}
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
            if found is None and slot.kind == "prep" and slot.words == pattern.target_prep and len(pattern.slots) > 1:
                # "staged a protest" matches "stage protest against": the preposition only names a target; a
                # verb's only preposition is part of its meaning ("drove" is not "drive out", "ruled" not
                # "rule against")
                continue
            if found is None:
                break
            words.append(found)
        else:
            score = (len(words), len(words) - len(pattern.slots))   # most words found, then fewest missing
            if best is None or score > best_score:
                best, best_score = _Match(pattern, tuple(words), preps, objects), score
    return best


def _verb_events(verb: Token, match: _Match, sent: Span, index: ActorIndex, story_date: str | None,
                 intent: bool = False, phrase_target: bool = False) -> list[Event]:
    pattern = match.pattern
    passive = _passive(verb)
    negated = _negated(verb) and not match.worded
    reported = _reported(verb)
    trigger = " ".join(t.text for t in sorted([verb, *match.words], key=lambda t: t.i))
    code = intent_code(pattern.code) if intent and pattern.code else pattern.code
    if intent and pattern.code[:2] == "08" and _ultimatum(verb):
        # "will withdraw its force from Chad unless Oueddei holds elections", "will resign unless ...": giving
        # something up unless the other side acts is a threat
        code = "130"
    refused = refusal_code(pattern.code) if negated and not phrase_target and _refuses(verb, intent) else None
    if refused:   # "refused to release", "will not accept": a rejection (12x), which did happen
        code, negated, intent = refused, False, False
        match = dataclasses.replace(match, reverse=None)
    if "compound" in match.markers:
        # "% * [030:030]": the actors of the compound act on each other
        members = _actors_between(*match.markers["compound"], verb.doc, index, everyone=True)
        subjects = [s for s in _sources(verb, passive, index) if s is not None and s not in members] \
            if match.markers["compound"][0] > verb.i else []
        if subjects:   # "* WITH %": "Eriador agrees with the Philippines and France" is Eriador with each of them
            return _pairs(subjects, members, code, trigger, sent, negated, reported, story_date,
                          ours=not phrase_target) if code else []
        events: list[Event] = []
        for n, member in enumerate(members):
            others = [other for other in members if other is not member]
            back = (intent_code(match.reverse) if intent else match.reverse) if n and match.reverse else code
            if not back:
                continue   # "[:B]": only the code back
            events += _pairs([member], others, back, trigger, sent, negated, reported, story_date,
                             ours=not phrase_target)
        return events
    sources = _actors_between(*match.markers["source"], verb.doc, index) if "source" in match.markers else []
    targets = _actors_between(*match.markers["target"], verb.doc, index) if "target" in match.markers else []
    sources = sources or _sources(verb, passive, index)
    if not phrase_target and pattern.code[:2] == "14" and not any(s is not None and s.country for s in sources):
        # "people blocked streets in Hong Kong": protesters named by no country are of the place they protest in
        place = next(iter(_states_in([verb, *match.objects], {"in"}, index)), None)
        sources = [_domestic(s, place) for s in sources]
    targets = targets or _targets(verb, match, passive, index)
    if phrase_target and targets == [None]:
        # PETRARCH's target: the first actor of the verb's phrase ("condemned an attack by Osgiliath soldiers")
        phrase = [a for a in _actors_between(verb.i + 1, phrase_end(verb, verb.i + 1), verb.doc, index,
                                             skip_pronouns=True)
                  if a is not None and a.code not in {s.code for s in sources if s is not None}]
        targets = phrase or targets
    events = _pairs(sources, targets, code, trigger, sent, negated, reported, story_date,
                    ours=not phrase_target) if pattern.code else []
    if match.reverse and None not in sources and None not in targets:
        # "LEFT [032:033]": the target hosts the visit; "[:173]": only the target acts
        back = intent_code(match.reverse) if intent else match.reverse
        events += _pairs(targets, sources, back, trigger, sent, negated, reported, story_date, ours=not phrase_target)
    return events


def _actors_between(lo: int, hi: int, doc: Doc, index: ActorIndex, everyone: bool = False,
                    skip_pronouns: bool = False) -> list[Actor | None]:
    """The actor a dictionary marker stands for: the first one in tokens ``lo..hi-1``, with its conjuncts
    ("+ Gondor and Rohan"); ``everyone``: every actor there."""
    found: list[Actor | None] = []
    for i in range(lo, hi):
        actor = index.by_token.get(i)
        if actor is None or actor in found or skip_pronouns and doc[i].pos_ == "PRON":
            continue
        if everyone:
            found.append(actor)
            continue
        token = doc[i]
        while token.head.i != token.i and index.by_token.get(token.head.i) is actor:
            token = token.head
        return _with_conjuncts([token], index) or [actor]
    return found


def _sources(verb: Token, passive: bool, index: ActorIndex) -> list[Actor | None]:
    heads: list[Token] = []
    if passive:
        for child in verb.children:
            if child.dep_ == "agent":
                heads += [t for t in child.children if t.dep_ == "pobj"]
    else:
        carrier = verb
        # shared subjects: "X met Y and signed ..." (conj), "X agreed to ..." (xcomp of the head)
        # ... and "X is about to restore ..." (acomp)
        while not any(c.dep_ in _SUBJECTS for c in carrier.children) and carrier.dep_ in {"conj", "xcomp", "acomp"}:
            if carrier.dep_ == "xcomp" and carrier.head.lemma_.lower() in cue_words("implicative"):
                # "X was seen to attack": the one seen is the one who attacked
                heads += [c for c in carrier.head.children if c.dep_ == "nsubjpass"]
                if heads:
                    break
            carrier = carrier.head
        heads = heads or _subjects(carrier)
        document = carrier.head
        if not heads and carrier.dep_ == "acl" and document.dep_ in _OBJECTS \
                and document.lemma_.lower() in cue_words("speech_noun"):
            heads = _subjects(document.head)   # "issued a declaration demanding that ...": its issuer demands
    actors = _with_conjuncts(heads, index)
    if not actors and any(h.lower_ in {"it", "they", "we"} for h in heads):
        actors = [a for a in [_speaker_actor(verb, index)] if a is not None]   # "Switzerland said it had expelled"
    return actors or [None]


def _subjects(verb: Token) -> list[Token]:
    """The verb's subjects; for a participle the parser made the subject ("The Red Cross operating in Iraq
    said ..."), the noun it describes."""
    found = []
    for subject in (c for c in verb.children if c.dep_ in _SUBJECTS):
        inner = [c for c in subject.children if c.dep_ == "nsubj"] if subject.tag_ == "VBG" else []
        found += inner or [subject]
    return found


def _speaker_actor(verb: Token, index: ActorIndex) -> Actor | None:
    """Who "it" or "we" is in "X said it ...": the subject of the nearest verb whose complement holds the clause
    and whose subject the knowledge names ("Ethiopia indicated it would act, an official said": Ethiopia).

    Not ``quotes.speaker_of``: that one also names speakers the knowledge lacks, as written, which suits a quote
    but would give an event a source with no country (measured: one more false event on the PLOVER dev set)."""
    token = verb
    while token.dep_ in {"ccomp", "conj", "xcomp", "acomp", "advcl"} and token.head.i != token.i:
        if token.dep_ == "ccomp":
            subjects = _subjects(token.head)
            if subjects and (actor := index.of(subjects[0])) is not None:
                return actor
        token = token.head
    return None


def _targets(verb: Token, match: _Match, passive: bool, index: ActorIndex) -> list[Actor | None]:
    pattern, preps, objects = match.pattern, match.preps, match.objects
    fallbacks = _ARGUMENT_PREPS   # "met with", "spoke to": natural targets of a bare verb
    if pattern.code[:2] in RECIPROCAL_ROOTS:
        fallbacks = tuple(p for p in fallbacks if p != "on")   # "agreed on the fate of X": a topic, not a party
    places = ()
    if pattern.code[:2] in _FORCE_ROOTS:
        fallbacks += ("in", "at", "near", "inside", "into", "across")   # force used somewhere hits that place
    elif pattern.code[:2] in _PLACED_ROOTS:
        places = ("in", "inside", "into", "from")   # "lifted a curfew in X", "evacuated the wounded from Y"
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
        # "fired artillery shells at X", "abandon military ties with Y": an object the pattern itself names is
        # the act's instrument or matter; a party named by an argument preposition is the target
        coded = [o for o in objects if _pattern_word(o, match)]
        if coded:
            named = [t for word in dict.fromkeys((*fallbacks, "at", "into", "toward", "towards"))
                     for prep in preps.get(word, []) for t in prep.children if t.dep_ == "pobj"
                     if _actors_in([t], index)]
            # "mobilized army reservists", "withdrew its troops": forces the pattern names are the means
            forces = [o for o in coded if (force := index.of(o)) is not None and force.role in _FORCES]
            if named or forces:
                heads = [h for h in heads if h not in coded] + named[:1]
            if forces and not named:
                heads += _purpose_against(verb)
    heads += [c for c in verb.children if c.dep_ == "dative"]   # "will give Tanzania a grant"
    actors = _actors_in(heads, index)
    if not actors and not wanted:
        for word in fallbacks:
            for prep in preps.get(word, []):
                actors += _with_conjuncts([t for t in prep.children if t.dep_ == "pobj"], index)
            if actors:
                break
        actors = actors or _aimed_at(verb, index)   # "in defiance of Chinese authorities" before "in Hong Kong"
        for word in places if not actors else ():
            actors += [a for prep in preps.get(word, [])
                       for a in _with_conjuncts([t for t in prep.children if t.dep_ == "pobj"], index)
                       if a.kind == "state" and not a.role]
            if actors:
                break
    if not actors and pattern.code[:2] == "13":
        # "threatened to recall its envoy unless Lima accepts": made to the one whose act is the condition
        actors = _conditioned(verb, index)
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
    if not actors and not wanted:
        actors = _aimed_at(verb, index)
    return actors or [None]


_FORCES = frozenset({"MIL", "COP"})


def _states_in(holders: list[Token], preps: set[str], index: ActorIndex) -> list[Actor]:
    """The states named by the ``preps`` phrases of the tokens ``holders`` ("blocked streets *in Hong Kong*")."""
    return [a for h in holders for p in h.children if p.dep_ == "prep" and p.lower_ in preps
            for t in p.children if t.dep_ == "pobj" and (a := index.of(t)) is not None and a.kind == "state"
            and a.country]


def _purpose_against(verb: Token) -> list[Token]:
    """The party a purpose phrase names: "mobilized reservists for a possible war against Iraq"."""
    return [t for p in verb.children if p.dep_ == "prep" and p.lower_ == "for"
            for noun in p.children if noun.dep_ == "pobj"
            for q in noun.children if q.dep_ == "prep" and q.lower_ in {"against", "on", "with"}
            for t in q.children if t.dep_ == "pobj"]


def _ultimatum(verb: Token) -> bool:
    """A stated plan with an "unless" clause: what will be done if the other side does not act."""
    return any(clause.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "unless" for m in clause.children)
               for carrier in (verb, verb.head) for clause in carrier.children)


def _conditioned(verb: Token, index: ActorIndex) -> list[Actor]:
    """Whom a threat is made to when its words name no one: the party whose act is its condition ("threatened
    to launch an offensive unless Baghdad accepted", "... if the United States goes ahead")."""
    for carrier in [verb, *(c for c in verb.children if c.dep_ == "xcomp")]:
        for clause in (c for c in carrier.children if c.dep_ == "advcl"):
            if any(m.dep_ == "mark" and m.lower_ in {"unless", "if"} for m in clause.children):
                return _with_conjuncts([c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"}], index)
    return []


def _pattern_word(noun: Token, match: _Match) -> bool:
    """Whether the pattern matched ``noun`` or a word that modifies it ("artillery" of "artillery shells")."""
    return noun in match.words or any(c in match.words for c in noun.children if c.dep_ in {"compound", "amod"})


def _passive(verb: Token) -> bool:
    return any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children)


def _aimed_at(verb: Token, index: ActorIndex) -> list[Actor]:
    """Whom an act is aimed at when its own words name no one: "... in protest against the violations by X",
    "... in defiance of Chinese authorities", "... in retaliation for Y's raid", "... to protest Z's decision".
    The actor may sit inside the phrase: its possessive, or its "by/from/of" phrase."""
    phrases: list[Token] = []
    for child in verb.children:
        if child.dep_ == "prep":
            for noun in (t for t in child.children if _in_protest(t)):
                phrases += [t for p in noun.children if p.dep_ == "prep" for t in p.children if t.dep_ == "pobj"]
        elif child.dep_ in {"advcl", "xcomp"} and child.lemma_.lower() in _AIMING \
                and any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children):
            phrases += [c for c in child.children if c.dep_ in _OBJECTS]
            phrases += [t for p in child.children if p.dep_ == "prep" and p.lower_ in {"against", "at", "over"}
                        for t in p.children if t.dep_ == "pobj"]
        elif child.dep_ in {"advcl", "xcomp"} and child.lemma_.lower() in {"show", "express", "voice", "register"} \
                and any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children):
            # "to show their disapproval for the United States' policies"
            phrases += [t for feeling in child.children if feeling.dep_ in _OBJECTS
                        and feeling.lemma_.lower() in _DISAPPROVALS
                        for p in feeling.children
                        if p.dep_ == "prep" and p.lower_ in {"for", "of", "at", "over", "with"}
                        for t in p.children if t.dep_ == "pobj"]
    return _actors_in(phrases, index)


def _actors_in(heads: list[Token], index: ActorIndex) -> list[Actor]:
    """The actors the phrases name, or, when their heads name none, the ones inside them ("rejected calls by
    Belarus's rulers", "a camp for Congolese refugees was attacked")."""
    # "tortured scores of Sierra Leonean and Liberian refugees": the inner party with its conjuncts
    return _with_conjuncts(heads, index) or \
        _with_conjuncts([t for t in dict.fromkeys(_inner_token(h, index) for h in heads) if t is not None], index)


def _inner(noun: Token, index: ActorIndex, depth: int = 2) -> Actor | None:
    """The actor a phrase is about when its head is not one: "violations by Algerian security forces", "an
    appeal from President X", "a camp for Congolese refugees"."""
    token = _inner_token(noun, index, depth)
    return index.of(token) if token is not None else None


def _inner_token(noun: Token, index: ActorIndex, depth: int = 2) -> Token | None:
    if index.of(noun) is not None:
        return noun
    if depth == 0:
        return None
    for prep in (c for c in noun.children if c.dep_ == "prep" and c.lower_ in {"by", "from", "for", "of"}):
        for pobj in (t for t in prep.children if t.dep_ == "pobj"):
            if (token := _inner_token(pobj, index, depth - 1)) is not None:
                return token
    return None


def _with_conjuncts(heads: list[Token], index: ActorIndex) -> list[Actor]:
    found: list[Actor] = []
    for head in heads:
        # "scores of Sierra Leonean and Liberian refugees": the parties are the refugees of both countries
        inner = index.quantified(head)
        head = inner if inner is not None and index.of(inner) is not None else head
        places = _places(head, index)
        for token in [head, *head.conjuncts, *_listed(head, index)]:
            if token in places:
                continue   # "lawmakers in Fornost and Gondor": Gondor is a place of the lawmakers, not a party
            # "lawmakers and officials in Fornost": the place phrase of the first is the place of both
            own = places if token is head else \
                _places(token, index) or (places if token.i < head.i or places and token.i < places[0].i else [])
            named = [*index.partners(token), _affiliated(token, index.of(token), index)]
            for actor in (a for n in named for a in _placed_by_preposition(token, n, index, own)):
                if actor not in found:
                    found.append(actor)
    return found


def _places(token: Token, index: ActorIndex) -> list[Token]:
    """The nouns of an agent's "from", "in" or "of" phrase, with their conjuncts: "lawmakers in Fornost and
    Gondor", where the parser often hangs "Gondor" on "lawmakers" rather than on "Fornost"; a state after the
    place that the parser made the agent's conjunct counts as a place too."""
    found: list[Token] = []
    # "refugees fleeing the civil war in Liberia", "civilians escaping Mosul": the place they come from
    fleeing = [c for c in token.children if c.dep_ == "acl" and c.lemma_.lower() in {"flee", "escape"}]
    found += [t for verb in fleeing for t in verb.children if t.dep_ in _OBJECTS]
    for prep in (c for holder in (token, *fleeing, *found) for c in holder.children
                 if c.dep_ == "prep" and c.lower_ in {"from", "in", "of"}):
        for pobj in (t for t in prep.children if t.dep_ == "pobj"):
            found += [pobj, *pobj.conjuncts]
            found += [c for c in token.conjuncts if c.i > pobj.i and c not in found
                      and (state := index.by_token.get(c.i)) is not None and state.kind == "state" and not state.role]
    return found


def _listed(head: Token, index: ActorIndex) -> list[Token]:
    """A list the parser read as an apposition: in "Mordor, the Shire, Fornost and Bree" a state is not another
    state's apposition, so "the Shire" and its conjuncts are parties too."""
    actor = index.by_token.get(head.i)
    if actor is None or actor.kind != "state":
        return []
    return [t for appos in head.children if appos.dep_ == "appos" and appos.pos_ == "PROPN"   # not "a U.S. ally"
            and (other := index.by_token.get(appos.i)) is not None and other.kind == "state"
            and other.country != actor.country for t in [appos, *appos.conjuncts]]


def _affiliated(token: Token, actor: Actor | None, index: ActorIndex) -> Actor | None:
    """A person the knowledge does not place takes the country of the phrase that describes them: "Mohammed
    Mamoun, a member of the Syrian parliament" (SYRLEG), "Salaheddine Sidhoum, Algeria's leading activist"."""
    if actor is None or actor.kind != "person" or actor.country:
        return actor
    described = [token.head] if token.dep_ == "appos" else []
    described += [c for c in token.children if c.dep_ == "appos"]
    if index.by_token.get(token.i) is not actor:
        described.insert(0, token)   # "a member of the Syrian parliament, Mohammed Mamoun": the head itself
    for phrase in described:
        if phrase is token:   # the head itself names the person: its "of/from/in" phrase places them
            candidates = [_inner(t, index) for p in phrase.children
                          if p.dep_ == "prep" and p.lower_ in {"of", "from", "in"}
                          for t in p.children if t.dep_ == "pobj"]
        else:
            candidates = [index.by_token.get(phrase.i), _inner(phrase, index)]
        place = next((a for a in candidates if a is not None and a is not actor and a.country), None)
        if place is not None:
            role = place.role if place.kind != "person" else actor.role
            return dataclasses.replace(actor, country=place.country, role=role, code=f"{place.country}{role or ''}")
    return actor


def _placed_by_preposition(token: Token, actor: Actor | None, index: ActorIndex, nouns: list[Token]) -> list[Actor]:
    """An agent with no country takes the country its place phrase (``nouns``, from ``_places``) names: "soldiers
    from Gondor" (GONMIL), "lawmakers in Fornost and Gondor", "the foreign ministers of India and Pakistan" (one
    actor per country); an agent "of" an organisation or a placed body takes its code ("the activists of Amnesty
    International", "leaders of Romania's new government")."""
    if actor is None or not actor.role or actor.kind not in {"group", "person"} or actor.code.startswith("IGO") \
            or actor.country and actor.kind != "group":
        return [actor] if actor is not None else []
    places = [place for place in (index.by_token.get(t.i) for t in nouns)
              if place is not None and place.kind == "state" and place.country and not place.role]
    if actor.country and (len(places) < 2 or places[0].country != actor.country):
        return [actor]   # placed when it was resolved, by one country
    if not places and not actor.country:
        bodies = [body for noun in nouns if noun.dep_ == "pobj" and noun.head.lower_ == "of"
                  and (body := index.by_token.get(noun.i)) is not None
                  and (body.kind in {"igo", "organization"} or bool(body.country and body.role))]
        if bodies:
            body = bodies[0]
            role = "" if actor.role in {body.code[i:i + 3] for i in range(3, len(body.code), 3)} else actor.role
            return [dataclasses.replace(actor, code=f"{body.code}{role}", country=body.country, kind=body.kind)]
    return [dataclasses.replace(actor, country=place.country, code=f"{place.country}{actor.role}")
            for place in dict.fromkeys(places)] or [actor]


def _negated(verb: Token) -> bool:
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    head = verb.head
    if verb.dep_ == "xcomp" and head.dep_ == "acomp" and any(c.dep_ == "neg" for c in head.head.children):
        return True   # "is not willing to withdraw"
    return verb.dep_ == "xcomp" and (head.lemma_.lower() in cue_words("negating") or
                                     any(c.dep_ == "neg" for c in head.children))


def _reporting_verb(verb: Token, cues: frozenset[str] | None = None) -> Token | None:
    """The speech verb (or other verb of ``cues``) whose complement holds ``verb`` ("said" in "X said Y attacked
    Z"), if any."""
    cues = cues or cue_words("speech")
    token = verb
    while token.dep_ in {"ccomp", "conj", "xcomp", "acomp", "advcl"} and token.head.i != token.i:
        if token.dep_ == "ccomp" and token.head.lemma_.lower() in cues:
            return token.head
        token = token.head
    return None


def _reported(verb: Token) -> bool:
    """True when the verb sits in the complement of a speech verb: "X said Y attacked Z"."""
    return _reporting_verb(verb) is not None


def _noun_events(noun: Token, key: str, lexicon: Lexicon, sent: Span, index: ActorIndex,
                 story_date: str | None) -> list[Event]:
    # "a mediation effort between X and Y": the frame noun carries the phrase
    phrase = noun.head if noun.dep_ == "compound" and noun.head.lemma_.lower() in _FRAME_NOUNS else noun
    preps_here = {c.lower_ for c in phrase.children if c.dep_ == "prep"}
    options = lexicon.nouns[key]
    pattern = next((p for p in options if p.preps & preps_here), None) or \
        next((p for p in options if not p.preps), options[0])
    modifiers = [index.by_token[c.i] for c in noun.children
                 if c.dep_ in {"poss", "compound", "amod", "nmod"} and c.i in index.by_token]
    # "Russia's invasion", "a Chinese protest"; a modifier with no country ("artillery fire", "an army
    # offensive") gives way to the subject of the verb the noun is the object of, if that names a party
    sources = [a for a in modifiers if _placed(a)]
    targets: list[Actor] = []
    between: list[Actor] = []   # "talks between X and Y": X and Y, unless someone else holds them
    # "the withdrawal of invasion forces from Panama": the parser often hangs the target's preposition on the
    # "of" phrase
    carried = [t for p in phrase.children if p.dep_ == "prep" and p.lower_ == "of" and "of" not in pattern.preps
               for t in p.children if t.dep_ == "pobj"]
    for child in (c for holder in (phrase, *carried) for c in holder.children):
        if child.dep_ == "prep" and child.lower_ in pattern.preps:
            found = _with_conjuncts([t for t in child.children if t.dep_ == "pobj"], index)
            if child.lower_ in {"between", "among"} and len(found) >= 2:
                between += found
            else:
                targets += found
    in_protest = _in_protest(phrase)
    listed = phrase
    while listed.dep_ == "conj":   # "launched artillery, mortar and rocket fire against X"
        listed = listed.head
    light = listed.head if listed.dep_ in {"dobj", "obj"} or in_protest else None
    if light is not None and (in_protest or light.lemma_.lower() in cue_words("light")):
        # "Rebels launched an offensive against X", "began a hunger strike to protest Y's decision",
        # "gathered in protest against Z": the verb's subject does the act the noun names
        carrier = light.head if in_protest else light
        if not sources and carrier.pos_ in {"VERB", "AUX"}:
            sources = [a for a in _sources(carrier, _passive(carrier), index) if a is not None]
        if not targets:   # "began a hunger strike against X" where the parser hangs "against" on the verb
            targets = _with_conjuncts([t for p in carrier.children if p.dep_ == "prep" and p.lower_ in pattern.preps
                                       for t in p.children if t.dep_ == "pobj"], index) or _aimed_at(carrier, index)
    sources = sources or modifiers
    if between and not sources and pattern.code[:2] in RECIPROCAL_ROOTS:
        sources = between   # "talks between Iran and Iraq": each with the other
    elif between and not sources:
        sources, targets = between[:1], [*between[1:], *targets]
    else:   # "Qatar launched a mediation effort between the Emirates and Saudi Arabia": Qatar with each
        targets += between
    occasion = phrase.head.head if phrase.dep_ == "pobj" and phrase.head.lower_ == "for" else None
    if occasion is not None and occasion.pos_ in {"VERB", "AUX"} and pattern.code[:2] in {"04", "14"} and not sources:
        # "converged for a rally", "flew to Moscow for talks": the verb's subject does the act; a lone traveller
        # meets the party its destination stands for, while "Chilean and Peruvian negotiators return to Quito for
        # talks" meet each other at a venue
        sources = [a for a in _sources(occasion, _passive(occasion), index) if a is not None]
        if len({a.country for a in sources}) == 1 and not targets and pattern.code[:2] == "04":
            targets = _with_conjuncts([t for p in occasion.children if p.dep_ == "prep" and p.lower_ in {"to", "in"}
                                       for t in p.children if t.dep_ == "pobj"], index)
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


_IRREGULARS = frozenset({"REB", "UAF", "INS", "SEP", "CRM"})
_NONCOMBATANTS = frozenset({"CVL", "REF", "EDU", "REL", "MED", "LAB", "HLH", "NGO", "AGR", "BUS", "HRI", "DEV"})
_STATE_ROLES = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY"})


def _at_home_code(code: str) -> bool:
    """Protests (14) and calling them off (082): aimed at home when they name no one."""
    return code[:2] == "14" or code.startswith("082")


def _at_home(source: Actor | None) -> Actor | None:
    """Whom a protest that names no one is aimed at: the protesters' own country, as CAMEO and PLOVER coders
    code it ("Egyptian demonstrators rioted": EGYOPP -> EGY). The target stands on the words that give the
    country ("Egyptian demonstrators"); protests by a state or its institutions name their target or have none."""
    if source is None or not source.country or source.kind not in {"group", "organization", "person"} \
            or not source.role or source.role in _STATE_ROLES:
        return None
    name = knowledge_base().countries.get(source.country, source.country)
    return Actor(text=source.text, start=source.start, end=source.end, name=name, country=source.country, role=None,
                 kind="state", code=source.country)


def _placed(actor: Actor | None) -> bool:
    return actor is not None and bool(actor.country or actor.kind in {"igo", "organization"})


def _pairs(sources: list[Actor | None], targets: list[Actor | None], code: str, trigger: str, sent: Span,
           negated: bool, reported: bool, story_date: str | None, ours: bool = True) -> list[Event]:
    """One event per pair of parties. ``ours`` (not under PETRARCH conventions): Barometer's own coding choices
    apply, protests aimed at home and irregulars' force on civilians as 180 (docs/ontology.md)."""
    kind = user_event_type(code)
    events: list[Event] = []
    sources, targets = _one_side(sources), _one_side(targets)
    reciprocal = len(sources) > 1 and not any(map(_placed, targets)) and kind.root in RECIPROCAL_ROOTS
    pairs = [(s, t) for source in sources   # "France and Germany signed an agreement": each with the other
             for target in ([t for t in sources if t is not source] if reciprocal else targets)
             for s in _members(source) for t in _members(target)]
    seen: set[tuple[str | None, str | None]] = set()
    for source, target in pairs:
        at_home = ours and target is None and _at_home_code(code)
        target = _at_home(source) if at_home else _domestic(target, source)
        if target is not None and (target.role or target.kind != "state"):
            # "police arrested Mexican students": at home, acting on people; not "lawmakers condemned Israel"
            source = _domestic(source, target, _DOMESTIC_SOURCES)
        if not _placed(source) and not _placed(target):
            continue   # "the two ministers met": no country or organisation on either side
        if source is not None and target is not None and (source.start, source.code) == (target.start, target.code):
            continue
        event_kind = kind
        if ours and code == "190" and source is not None and target is not None and source.role in _IRREGULARS \
                and target.role in _NONCOMBATANTS:
            # "attacked by militiamen armed with machetes": force by irregulars on civilians is not military force
            event_kind = user_event_type("180")
        codes = (source.code if source else None, target.code if target else None)
        if codes in seen or reciprocal and codes[0] == codes[1]:
            continue   # "ministers and diplomats from Kenya met ...": one event per pair of codes, none with itself
        seen.add(codes)
        events.append(Event(
            source=source, target=target, code=event_kind.code, root=event_kind.root, name=event_kind.name,
            quad_class=event_kind.quad_class, goldstein=event_kind.goldstein, plover=event_kind.plover, verb=trigger,
            sentence=sent.text, start=sent.start_char, end=sent.end_char, negated=negated,
            reported=reported, date=story_date,
        ))
    return events


def _one_side(actors: list[Actor | None]) -> list[Actor | None]:
    """Joined parties with one country named: "President X and a group of deputies", "the Sudanese government
    and the rebels in Darfur" are all of that country."""
    partner = next((a for a in actors if a is not None and a.country), None) if len(actors) > 1 else None
    return actors if partner is None else [a if a is partner else _domestic(a, partner) for a in actors]


def _members(actor: Actor | None) -> list[Actor | None]:
    """A joint actor of a user dictionary ("[FRO/BIL]") acts as each of its members."""
    if actor is None or not actor.members:
        return [actor]
    return [dataclasses.replace(actor, code=m, country=m[:3] if actor.country else None, members=())
            for m in actor.members]


def code_verb(verb: Token, index: ActorIndex, story_date: str | None, lexicon: Lexicon | None = None) -> Event | None:
    """The event a verb would code whatever its tense or modality (used for the content of forecasts)."""
    lexicon = lexicon or default_lexicon()
    match = _lookup(verb, lexicon, index)
    if match is None:
        return None
    events = _verb_events(verb, match, trimmed(verb.sent), index, story_date)
    return events[0] if events else None
