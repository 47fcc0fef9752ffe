"""Quotes: direct and indirect quotations with their cue, speaker and audience.

1. Direct quotes are found by a scanner over every quote-mark style; a paragraph that opens a quote
   and does not close it continues into the next paragraph when that one opens with a quote mark;
   an unbalanced mark is dropped and scanning goes on.
2. The speaker is the subject of a speech verb next to the quote in its sentence (", Peskov said" /
   "Rubio told reporters:"), a pronoun resolved to the last person named ("they" to the last group named), or,
   for a paragraph that is only a quote, the speaker of the quote before it. A title subject gives way to the
   name beside it ("the department's director, Ajith Tyagi"; "Delta Spokesperson Anthony Black"), "X of the
   coast guard" is X affiliated with the coast guard, and a report or statement speaks for whoever issued it
   ("the report by X", "a statement on X's website").
3. Indirect quotes are the complements of speech verbs ("X said (that) ...") and "according to X, ..." clauses.
"""

from __future__ import annotations

import re
from spacy.tokens import Doc, Span, Token

from barometer.actors import PRONOUNS, ActorIndex, affiliation_in_text, antecedent
from barometer.lexicon import cue_words
from barometer.models import Actor, Quote

# opening mark -> closing marks
_PAIRS = {"“": "”", "«": "»", "„": "“”", "‘": "’", "‹": "›", '"': '"', "'": "'"}
_WORD = re.compile(r"\w+")
_DASH_CREDIT = re.compile(r"[ \t]*(?P<dash>[―—–]|--)[ \t]*(?P<name>[A-Z][\w.'’-]*(?:[ \t]+(?:[A-Z][\w.'’-]*|de|la|van|von|al)){0,4})")
_CALL_FOR = {"call", "push", "appeal", "press", "lobby", "argue", "ask"}
_PUBLICATIONS = frozenset({"report", "study", "survey", "poll", "statement", "communique", "letter", "release",
                           "document", "analysis", "paper", "assessment", "review", "bulletin", "advisory", "memo"})
_NOT_PEOPLE = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})
_OUTLETS = frozenset({"website", "site", "page", "account", "blog", "feed"})
_CLAIM_NOUNS = {"claim", "assertion", "statement", "report", "warning", "argument", "belief", "view", "promise",
                "pledge", "suggestion", "allegation", "insistence", "assurance", "prediction", "announcement"}


def find_quote_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of the content of every balanced direct quote, multi-paragraph quotes joined."""
    spans: list[tuple[int, int]] = []
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    carry: int | None = None        # start of a quote left open at the end of the previous paragraph
    for p_start, p_end in paragraphs:
        i = p_start
        open_at: int | None = None
        opener = ""
        if carry is not None:
            first = text[p_start]
            if first in _PAIRS:
                open_at, opener, i = carry, first, p_start + 1
            carry = None
        while i < p_end:
            ch = text[i]
            if open_at is None:
                if ch in _PAIRS and _can_open(text, i, ch):
                    open_at, opener = i + 1, ch
            elif ch in _PAIRS[opener] and _can_close(text, i, ch):
                if i > open_at:
                    spans.append((open_at, i))
                open_at = None
            i += 1
        if open_at is not None:
            carry = open_at if _next_opens(text, p_end) else None
    return spans


def _can_open(text: str, i: int, ch: str) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if ch in "'’":   # an apostrophe inside or after a word is not a quote mark
        return not before.isalnum() and after.isalpha()
    return not after.isspace() or ch in "«„"


def _can_close(text: str, i: int, ch: str) -> bool:
    after = text[i + 1] if i + 1 < len(text) else " "
    if ch in "'’":
        return not after.isalnum()
    return True


def _next_opens(text: str, p_end: int) -> bool:
    rest = text[p_end:].lstrip("\n")
    return bool(rest) and rest[0] in _PAIRS


def extract_quotes(doc: Doc, actors: tuple[Actor, ...], min_words: int = 2) -> tuple[Quote, ...]:
    """Direct and indirect quotes of ``doc`` with speakers resolved against ``actors``."""
    index = ActorIndex(doc, actors)
    speech = cue_words("speech")
    quotes: list[Quote] = []
    direct_spans = [s for s in find_quote_spans(doc.text) if len(_WORD.findall(doc.text[s[0]:s[1]])) >= min_words]
    previous: Quote | None = None
    for start, end in direct_spans:
        quote = _direct(doc, start, end, index, speech, previous)
        quotes.append(quote)
        previous = quote
    covered = [(q.start, q.end) for q in quotes]
    quotes.extend(_indirect(doc, index, speech, covered))
    return tuple(sorted(quotes, key=lambda q: q.start))


def _inside(token: Token, start: int, end: int) -> bool:
    return start - 1 <= token.idx < end + 1


def _direct(doc: Doc, start: int, end: int, index: ActorIndex, speech: frozenset[str],
            previous: Quote | None) -> Quote:
    text = doc.text[start:end]
    after = doc.char_span(end, min(end + 1, len(doc.text)), alignment_mode="expand")
    before = doc.char_span(max(start - 1, 0), start, alignment_mode="expand")
    sentences: list[Span] = []
    if after is not None:
        sentences.append(after.sent)
    if before is not None and (not sentences or before.sent != sentences[0]):
        sentences.append(before.sent)
    # '“… ?” he asks.': the parser may end the sentence at the question mark, the cue follows
    following = len(doc.text) - len(doc.text[end + 1:].lstrip(" \t"))
    if following < len(doc.text) and doc.text[following] not in "\n\"“”«»":
        nxt = doc.char_span(following, following + 1, alignment_mode="expand")
        if nxt is not None and nxt.sent.start_char >= end and nxt.sent not in sentences:
            sentences.append(nxt.sent)
    # 'The New York Times reports:' closing the paragraph before the quote
    lead = doc.text[:max(start - 1, 0)].rstrip()
    if lead.endswith(":") and "\n" in doc.text[len(lead):start]:
        colon = doc.char_span(len(lead) - 1, len(lead), alignment_mode="expand")
        if colon is not None and colon.sent not in sentences:
            sentences.append(colon.sent)
    dashed = _DASH_CREDIT.match(doc.text, end + 1)
    if dashed:   # “…” ― Name: the epigraph and vox-pop credit line
        return Quote(text=text, start=start, end=end, kind="direct", cue=dashed["dash"],
                     speaker=_credited(doc, dashed.start("name"), dashed.end("name"), index))
    paragraph = (doc.text.rfind("\n", 0, start) + 1, _paragraph_end(doc.text, end))
    for sent in sentences:
        cue = _speech_verb(sent, start, end, speech, paragraph)
        if cue is not None:
            speaker = speaker_of(cue, index)
            return Quote(text=text, start=start, end=end, kind="direct", cue=cue.text, speaker=speaker,
                         audience=_audience(cue))
    # a paragraph that is only this quote continues the previous speaker ("…" \n\n "…" he added) ...
    alone = not doc.text[paragraph[0]:start - 1].strip() and len(doc.text[end + 1:paragraph[1]].strip()) < 3
    # ... and so does a cue-less quote later in the paragraph of an attributed one ("…," said X. "…")
    same_paragraph = previous is not None and previous.start >= paragraph[0]
    if (alone or same_paragraph) and previous is not None and previous.speaker is not None:
        return Quote(text=text, start=start, end=end, kind="direct", cue=None, speaker=previous.speaker)
    # a partial quote inside a sentence: "called the talks 'a dead end'"; a subject inside the quote marks ('A
    # "peacekeeping gap" is likely ...') did not say them
    for sent in sentences:
        root = sent.root
        if not _inside(root, start, end) and root.pos_ in {"VERB", "AUX"}:
            speaker = speaker_of(root, index)
            if speaker is not None and start - 1 <= speaker.start < end + 1:
                speaker = None
            return Quote(text=text, start=start, end=end, kind="direct", cue=root.text, speaker=speaker)
    return Quote(text=text, start=start, end=end, kind="direct", cue=None, speaker=None)


def _credited(doc: Doc, start: int, end: int, index: ActorIndex) -> Actor:
    span = doc.char_span(start, end, alignment_mode="expand")
    known = index.of(span.root) if span is not None else None
    if known is not None:
        return known
    return _as_written(doc.text[start:end], start, end, "person")


def _paragraph_end(text: str, offset: int) -> int:
    found = text.find("\n", offset)
    return len(text) if found < 0 else found


def _speech_verb(sent: Span, start: int, end: int, speech: frozenset[str], paragraph: tuple[int, int]) -> Token | None:
    """The speech verb of the sentence, outside the quote but in its paragraph, nearest the quote."""
    candidates = [t for t in sent if t.lemma_.lower() in speech and t.pos_ in {"VERB", "AUX"}
                  and not _inside(t, start, end) and paragraph[0] <= t.idx < paragraph[1]]
    if not candidates:
        return None
    return min(candidates, key=lambda t: min(abs(t.idx - end), abs(t.idx - start)))


def speaker_of(verb: Token, index: ActorIndex) -> Actor | None:
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    carrier = verb
    # "..., saying ..." and "concluded by saying ..." -> the clause's subject
    while not subjects and carrier.dep_ in {"conj", "xcomp", "advcl", "acl", "pcomp"}:
        carrier = carrier.head.head if carrier.dep_ == "pcomp" else carrier.head
        if carrier.pos_ in {"NOUN", "PROPN"} and verb.tag_ == "VBG":
            # "X warned Europe against sanctions, saying ...": the participle hung on a noun speaks for the clause
            while carrier.pos_ not in {"VERB", "AUX"} and carrier.head.i != carrier.i:
                carrier = carrier.head
        subjects = [c for c in carrier.children if c.dep_ == "nsubj"]
    if not subjects:
        return None
    subject = subjects[0]
    if subject.tag_ in {"WP", "WDT"} and carrier.dep_ == "relcl":   # "the Taliban, who have pledged to ..."
        subject = carrier.head
    actor = index.of(subject)
    if actor is not None and actor.kind != "person" and subject.ent_type_ == "PERSON":
        return _named_person(subject, index) or actor   # "Delta spokesperson Anthony Black": the person, not the title
    if (actor is None or actor.kind != "person") and (person := _titled_person(subject, actor, index)) is not None:
        return person
    if actor is not None:
        return actor
    if subject.lower_ == "they":   # "they estimated": the last group named, in this sentence or the one before
        sent = subject.sent
        since = subject.doc[sent.start - 1].sent.start_char if sent.start > 0 else sent.start_char
        return antecedent(index.actors, subject.idx, group=True, since=since)
    if subject.lower_ in PRONOUNS:
        return antecedent(index.actors, subject.idx)
    if subject.lemma_.lower() in _PUBLICATIONS and (issuer := _issuer(subject, index)) is not None:
        return issuer   # "the report from the Food Policy Institute projects ...": the institute speaks
    if subject.pos_ in {"PROPN", "NOUN"}:
        span = subject.doc[subject.left_edge.i: subject.i + 1]
        # "Ilse Marken of the coast guard": a name that is not an organization's, with an affiliation, is a person's
        affiliation = affiliation_in_text(subject) if subject.pos_ == "PROPN" else None
        person = subject.ent_type_ == "PERSON" or affiliation is not None and subject.ent_type_ not in _NOT_PEOPLE
        return _as_written(span.text, span.start_char, span.end_char, "person" if person else "group", affiliation)
    return None


def _issuer(publication: Token, index: ActorIndex) -> Actor | None:
    """Who issued a report or statement: "the report from/by/of X", "X's statement"."""
    for child in publication.children:
        if child.dep_ == "poss" or (child.dep_ == "prep" and child.lower_ in {"from", "by", "of", "on", "in"}):
            owner = child if child.dep_ == "poss" else next((c for c in child.children if c.dep_ == "pobj"), None)
            if owner is None:
                continue
            if owner.lemma_.lower() in _OUTLETS:   # "a statement on the NOAA's website": whose website
                owner = next((c for c in owner.children if c.dep_ in {"poss", "compound"}), None)
                if owner is None:
                    continue
            known = index.of(owner)
            if known is not None:
                return known
            if owner.pos_ == "PROPN":
                span = owner.doc[owner.left_edge.i: owner.i + 1]
                return _as_written(span.text, span.start_char, span.end_char, "organization")
    return None


def _titled_person(subject: Token, title: Actor | None, index: ActorIndex) -> Actor | None:
    """The person a title subject names: "the department's director general, Ajith Tyagi" (in apposition),
    "Delta Spokesperson Anthony Black" (a name the tagger missed, written after the title). Not a person in a
    prepositional phrase: "a spokesman for Joe Biden" is not Biden."""
    for token in subject.subtree:
        if token.dep_ == "appos":
            known = index.of(token)
            if known is not None and known.kind == "person":
                return known
            if token.ent_type_ == "PERSON":
                return _named_person(token, index)
    if title is not None and subject.pos_ == "PROPN" and subject.i not in index.by_token:
        after_title = max((c.i for c in subject.lefts if c.i in index.by_token), default=-1)
        name = [t for t in subject.lefts if t.dep_ == "compound" and t.pos_ == "PROPN" and t.i > after_title]
        if name and all(t.is_title for t in [*name, subject]):
            span = subject.doc[name[0].i: subject.i + 1]
            return _as_written(span.text, span.start_char, span.end_char, "person")
    return None


def _named_person(token: Token, index: ActorIndex) -> Actor | None:
    """The person a PERSON-entity token names: a known actor covering it, else the entity as written."""
    known = next((a for a in index.actors if a.kind == "person" and a.start <= token.idx < a.end), None)
    if known is not None:
        return known
    entity = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
    return _as_written(entity.text, entity.start_char, entity.end_char, "person") if entity is not None else None


def _as_written(text: str, start: int, end: int, kind: str, affiliation: str | None = None) -> Actor:
    """A speaker the knowledge base does not know, kept as the text names it."""
    return Actor(text=text, start=start, end=end, name=text, country=None, role=None, kind=kind, code="",
                 affiliation=affiliation)


def _audience(verb: Token) -> str | None:
    if verb.lemma_.lower() != "tell":
        return None
    for child in verb.children:
        if child.dep_ in {"dobj", "dative"}:
            return child.doc[child.left_edge.i: child.right_edge.i + 1].text
    return None


def _indirect(doc: Doc, index: ActorIndex, speech: frozenset[str],
              covered: list[tuple[int, int]]) -> list[Quote]:
    quotes: list[Quote] = []

    def overlaps(start: int, end: int) -> bool:
        return any(start < c_end and c_start < end for c_start, c_end in covered)

    attributing = speech | cue_words("attribution")
    intending = cue_words("intention")
    cues = attributing | intending
    for token in doc:
        lemma = token.lemma_.lower()
        if lemma in cues and token.pos_ in {"VERB", "AUX"}:
            # "X said (that) ...", "a poll found that ...", and for intentions "X wants to ..."
            for comp in token.children:
                if not (comp.dep_ == "ccomp" and lemma in attributing or comp.dep_ == "xcomp" and lemma in intending):
                    continue
                left = comp.left_edge
                if left.dep_ == "mark" and left.lower_ in {"that", "whether", "if"}:
                    left = doc[left.i + 1]
                span = doc[left.i: comp.right_edge.i + 1]
                if len(span) < 3 or overlaps(span.start_char, span.end_char):
                    continue
                quotes.append(Quote(text=span.text, start=span.start_char, end=span.end_char, kind="indirect",
                                    cue=token.text, speaker=speaker_of(token, index), audience=_audience(token)))
            if lemma in _CALL_FOR:   # "X called for a ceasefire": the demand is what is reported
                for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ == "for"):
                    for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                        span = doc[pobj.left_edge.i: pobj.right_edge.i + 1]
                        if len(span) >= 2 and not overlaps(span.start_char, span.end_char):
                            quotes.append(Quote(text=span.text, start=span.start_char, end=span.end_char,
                                                kind="indirect", cue=f"{token.text} for", speaker=speaker_of(token, index)))
        elif token.pos_ == "NOUN" and lemma in _CLAIM_NOUNS:
            # "Moscow's claim that the drills were routine"
            for comp in (c for c in token.children if c.dep_ in {"acl", "ccomp"}):
                if not any(m.dep_ == "mark" and m.lower_ == "that" for m in comp.children):
                    continue
                span = doc[comp.left_edge.i + 1: comp.right_edge.i + 1]
                owner = next((c for c in token.children if c.dep_ == "poss"), None)
                speaker = index.of(owner) if owner is not None else None
                if owner is None and token.head.dep_ == "prep":   # "X wrote in a statement that ..."
                    speaker = speaker_of(token.head.head, index)
                if len(span) >= 3 and not overlaps(span.start_char, span.end_char):
                    quotes.append(Quote(text=span.text, start=span.start_char, end=span.end_char, kind="indirect",
                                        cue=token.text, speaker=speaker))
        elif token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            quote = _according(token, index)
            if quote is not None and not overlaps(quote.start, quote.end):
                quotes.append(quote)
    return quotes


def _according(token: Token, index: ActorIndex) -> Quote | None:
    """'According to X, Y happened': the content is the sentence without the attribution phrase."""
    sent = token.sent
    to = token.nbor(1)
    pobjs = [t for t in to.children if t.dep_ == "pobj"]
    source_end = max([t.right_edge.i for t in pobjs] + [to.i]) + 1
    if token.i == sent.start:
        start = source_end + (1 if source_end < sent.end and token.doc[source_end].text == "," else 0)
        content = token.doc[start: sent.end]
    else:
        content = token.doc[sent.start: token.i]
    content_text = content.text.rstrip(" ,.")
    if len(content) < 3 or not content_text:
        return None
    speaker = index.of(pobjs[0]) if pobjs else None
    if speaker is None and pobjs and pobjs[0].lemma_.lower() in _PUBLICATIONS:   # "according to a report from X"
        speaker = _issuer(pobjs[0], index)
    if speaker is None and pobjs:
        span = token.doc[pobjs[0].left_edge.i: pobjs[0].i + 1]
        speaker = _as_written(span.text, span.start_char, span.end_char, "group")
    return Quote(text=content_text, start=content.start_char, end=content.start_char + len(content_text),
                 kind="indirect", cue="according to", speaker=speaker)
