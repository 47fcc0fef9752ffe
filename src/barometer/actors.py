"""Actors: find who is mentioned and resolve each mention to a country and role as of the story's date.

Resolution, in order:
1. gazetteer matches (spaCy PhraseMatcher) of countries, demonyms, capitals, metonyms, organisations,
   people and sector nouns from the knowledge files in ``data/``;
2. matches that share a noun phrase merge into one mention ("Russian Foreign Minister Sergei Lavrov");
3. a person's role is the office they held on the story date (a President-elect is an elite, not yet GOV);
4. people the knowledge base does not know keep what the text says: country, office and affiliation;
5. within the document, a surname refers back to the full name, and "the president" to the last president.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from barometer.dictionaries import ROLES, TABLE_COLUMNS, CodedActor, Dictionary, read_dictionary, split_code
from barometer.errors import KnowledgeError
from barometer.lexicon import cue_words, default_lexicon
from barometer.models import Actor
from barometer.tables import data_table, split_list

if TYPE_CHECKING:
    from barometer.settings import Settings

# How a person's role on the date maps to a CAMEO sector.
_ROLE_SECTOR = {"head_of_state": "GOV", "head_of_government": "GOV", "foreign_minister": "GOV",
                "defense_minister": "GOV"}
_PHRASE_DEPS = {"compound", "amod", "nmod", "poss", "case", "det", "nummod", "quantmod", "punct", "flat"}
_OFFICE_WORDS = {"president", "minister", "premier", "chancellor", "secretary", "king", "queen", "leader",
                 "spokesman", "spokeswoman", "spokesperson", "ambassador", "envoy", "emir", "prince", "ayatollah"}
PRONOUNS = {"he", "she", "him", "her", "they", "we", "i"}
_FAMILY_NAME_FIRST = {"CHN", "TWN", "KOR", "PRK", "VNM", "HKG"}


@dataclass(frozen=True)
class Term:
    """One continuous term of one person in one office."""

    country: str
    office: str
    role: str
    start: date
    end: date | None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True)
class Person:
    """A person the knowledge base knows, with all their terms."""

    name: str
    aliases: tuple[str, ...]
    terms: tuple[Term, ...]

    @property
    def surname(self) -> str:
        """Family name as news use it alone: first word for Chinese and Korean names ("Xi", "Kim")."""
        family_first = {t.country for t in self.terms} & _FAMILY_NAME_FIRST
        words = self.name.split()
        return words[0] if family_first else words[-1]

    def term_on(self, day: date | None) -> Term | None:
        """The term held on ``day`` (an office beats an 'elect' window on the same day); None if none."""
        if day is None:
            current = [t for t in self.terms if t.end is None]
            return current[0] if current else (self.terms[-1] if self.terms else None)
        held = [t for t in self.terms if t.covers(day)]
        held.sort(key=lambda t: (t.role.endswith("_elect"), t.role != "head_of_state"))
        return held[0] if held else None

    def held_before(self, day: date | None) -> bool:
        return day is not None and any(t.end is not None and t.end <= day for t in self.terms)


@dataclass(frozen=True)
class Entry:
    """What a gazetteer phrase stands for."""

    kind: str          # country | adjective | capital | metonym | organization | person | agent | coded
    code: str          # country code, org code, or sector code for agents
    name: str
    country: str | None = None
    sector: str | None = None
    org_kind: str | None = None
    prefix: bool = False   # an agent code that goes before the country ([NGO~] in PETRARCH agent files)
    members: tuple[str, ...] = ()   # a joint actor's codes ("[FRO/BIL]"); ``code`` is the first


@dataclass(eq=False)
class KnowledgeBase:
    """Everything known about actors, indexed for the matcher."""

    countries: dict[str, str] = field(default_factory=dict)          # code -> name
    names: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))   # case-sensitive phrases
    nouns: dict[str, Entry] = field(default_factory=dict)           # lower-case sector nouns
    people: dict[str, Person] = field(default_factory=dict)
    by_surname: dict[str, list[Person]] = field(default_factory=lambda: defaultdict(list))
    by_office: dict[tuple[str, str], list[tuple[Person, Term]]] = field(default_factory=lambda: defaultdict(list))
    coded: dict[str, tuple[str, CodedActor]] = field(default_factory=dict)   # lower-case phrase -> (as spelt, actor)
    dictionaries: tuple[Dictionary, ...] = ()                       # the user files laid over the built-in data

    def add(self, phrase: str, entry: Entry, front: bool = False) -> None:
        """Let ``phrase`` stand for ``entry``; a user's entry goes ``front``, before the built-in ones."""
        if entry not in self.names[phrase]:
            self.names[phrase].insert(0, entry) if front else self.names[phrase].append(entry)


def _day(value: str, where: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise KnowledgeError(f"{where}: bad date {value!r}") from None


def knowledge_base(dictionaries: tuple[str, ...] | list[str] = (), replace_agents: bool = False) -> KnowledgeBase:
    """The built-in knowledge from ``data/*.tsv``, with the user ``dictionaries`` laid over it.

    Loaded once per process for each list of files (by absolute path; a file changed meanwhile is not re-read).
    User entries win over built-in ones: a user file's people replace the terms of a person it names,
    its agent nouns and coded phrases replace built-in ones, and its names are tried first. With
    ``replace_agents`` (the ``user_agents`` setting), the user's agent nouns, when there are any, are the only ones.
    """
    return _knowledge_base(tuple(str(Path(p).resolve()) for p in dictionaries), replace_agents)


def knowledge_for(settings: Settings) -> KnowledgeBase:
    """The knowledge a run with ``settings`` uses: its ``dictionaries`` and its ``user_agents`` choice."""
    return knowledge_base(settings.dictionary_paths, replace_agents=settings.user_agents == "replace")


@cache
def _knowledge_base(dictionaries: tuple[str, ...], replace_agents: bool = False) -> KnowledgeBase:
    user = tuple(read_dictionary(path) for path in dictionaries)
    tables = {name: list(data_table(f"{name}.tsv", columns)) for name, columns in TABLE_COLUMNS.items()}
    for dictionary in user:
        if dictionary.format in tables:
            tables[dictionary.format].extend(row | {"_user": str(dictionary.path)} for row in dictionary.rows)
    if replace_agents and any(d.format == "agents" or d.agents for d in user):
        tables["agents"] = [row for row in tables["agents"] if "_user" in row]
    kb = _build(tables)
    for dictionary in user:
        for noun in dictionary.agents:
            kb.nouns[noun.phrase] = Entry("agent", noun.code, noun.phrase, sector=noun.code[:3], prefix=noun.prefix)
        for actor in dictionary.actors:
            for phrase in actor.phrases:
                kb.coded[phrase.lower()] = (phrase, actor)
    _add_user_countries(kb, [a for d in user for a in d.actors], tables)
    kb.dictionaries = user
    return kb


_ROLES = frozenset(_ROLE_SECTOR) | {f"{role}_elect" for role in _ROLE_SECTOR}
_USER_CHECKS: dict[str, tuple[tuple[str, str, str], ...]] = {   # table -> (column, pattern, what it must be)
    "countries": (("code", r"[A-Z]{3}", "three capital letters"), ("name", r".+", "a name")),
    "agents": (("code", r"[A-Z]{3}", "three capital letters"), ("nouns", r".+", "one noun or more")),
    "organizations": (("code", r"[A-Z][A-Z0-9]{2,}", "a CAMEO code"), ("name", r".+", "a name"),
                      ("country", r"([A-Z]{3})?", "empty or three capital letters"),
                      ("sector", r"([A-Z]{3})?", "empty or three capital letters"),
                      ("kind", r"(igo|ngo|state|armed)?", "empty, igo, ngo, state or armed")),
    "people": (("name", r".+", "a name"), ("country", r"[A-Z]{3}", "three capital letters"),
               ("role", "|".join(sorted(_ROLES)), "one of " + ", ".join(sorted(_ROLES)))),
}


def _check_user_rows(tables: dict[str, list[dict[str, str]]]) -> None:
    """User table rows are checked as the built-in ones are by tests/test_data.py: the first bad cell stops."""
    for table, checks in _USER_CHECKS.items():
        for row in (r for r in tables[table] if "_user" in r):
            for column, pattern, what in checks:
                if not re.fullmatch(pattern, row[column]):
                    raise KnowledgeError(f"{Path(row['_user']).name}:{row['_line']}: {column} {row[column]!r} "
                                         f"must be {what}")


def _add_user_countries(kb: KnowledgeBase, actors: list[CodedActor], tables: dict[str, list[dict[str, str]]]) -> None:
    """Countries only the user knows ("VLD"): named by the actor whose undated code is the bare code (the one
    with the most names: a country's entry lists its synonyms), else known by their code.

    A bare code that CAMEO spells as a sector ("ITH", a religion) is the user's country when the dictionary
    also gives it roles ("ITHMIL"): that is how a country's code is used."""
    codes = {member for a in actors for code in (a.default, *(d.code for d in a.dated)) if code
             for member in code.split("/")}
    prefixes = {code[:3] for code in codes if len(code) >= 6 and code[3:6] in ROLES}
    for actor in sorted((a for a in actors if a.default and len(a.default) == 3), key=lambda a: -len(a.phrases)):
        if split_code(actor.default, kb.countries)[2] == "state" or actor.default in prefixes:
            kb.countries.setdefault(actor.default, actor.name)
    countries = {split_code(code, kb.countries)[0] for code in codes}
    countries |= {r["country"] for name in ("people", "organizations") for r in tables[name] if "_user" in r}
    for country in countries - {None, ""}:
        kb.countries.setdefault(country, country)


def _build(tables: dict[str, list[dict[str, str]]]) -> KnowledgeBase:
    _check_user_rows(tables)
    kb = KnowledgeBase()
    for row in tables["countries"]:
        code, front = row["code"], "_user" in row
        if front or code not in kb.countries:
            kb.countries[code] = row["name"]
        for phrase in [row["name"], *split_list(row["aliases"])]:
            kb.add(phrase, Entry("country", code, row["name"], country=code), front)
        for phrase in split_list(row["adjectives"]):
            kb.add(phrase, Entry("adjective", code, row["name"], country=code), front)
        if row["capital"]:
            kb.add(row["capital"], Entry("capital", code, row["name"], country=code, sector="GOV"), front)
        for phrase in split_list(row["metonyms"]):
            kb.add(phrase, Entry("metonym", code, phrase, country=code, sector="GOV"), front)
    for row in tables["agents"]:
        for noun in split_list(row["nouns"]):
            entry = Entry("agent", row["code"], noun.lower(), sector=row["code"])
            if "_user" in row:
                kb.nouns[noun.lower()] = entry
            else:
                kb.nouns.setdefault(noun.lower(), entry)
    for row in tables["organizations"]:
        entry = Entry("organization", row["code"], row["name"], country=row["country"] or None,
                      sector=row["sector"] or None, org_kind=row["kind"] or None)
        for phrase in [row["name"], *split_list(row["aliases"])]:
            kb.add(phrase, entry, "_user" in row)
    terms: dict[str, list[Term]] = defaultdict(list)
    aliases: dict[str, set[str]] = defaultdict(set)
    replaced = {row["name"] for row in tables["people"] if "_user" in row}
    for row in tables["people"]:
        if row["name"] in replaced and "_user" not in row:
            continue   # a user file that names a person gives all of their terms
        where = f"{Path(row.get('_user', 'people.tsv')).name}:{row['_line']}"
        start = _day(row["start"], where)
        if start is None:
            raise KnowledgeError(f"{where}: a term needs a start date")
        terms[row["name"]].append(Term(row["country"], row["office"], row["role"], start, _day(row["end"], where)))
        aliases[row["name"]].update(split_list(row["aliases"]))
    for name, person_terms in terms.items():
        person = Person(name, tuple(sorted(aliases[name])), tuple(sorted(person_terms, key=lambda t: t.start)))
        kb.people[name] = person
        kb.by_surname[person.surname].append(person)
        bare = re.sub(r"^(?:al|el|as|ad|ash)-", "", person.surname)   # "al-Assad" is "Assad" alone
        if bare != person.surname and bare[:1].isupper():
            kb.by_surname[bare].append(person)
        for term in person.terms:
            kb.by_office[(term.country, term.role)].append((person, term))
        for phrase in [name, *person.aliases]:
            kb.add(phrase, Entry("person", name, name), name in replaced)
    return kb


@dataclass(frozen=True)
class _Matchers:
    names: PhraseMatcher      # built-in names, case as written
    nouns: PhraseMatcher      # sector nouns, any case
    coded: PhraseMatcher      # user-coded phrases, any case (PETRARCH files are upper case)


@cache
def _matchers(nlp: Language, kb: KnowledgeBase) -> _Matchers:
    names = PhraseMatcher(nlp.vocab, attr="ORTH")
    for phrase in kb.names:
        names.add(phrase, [nlp.make_doc(phrase)])
    nouns = PhraseMatcher(nlp.vocab, attr="LOWER")
    for noun in kb.nouns:
        nouns.add(noun, [nlp.make_doc(noun)])
    coded = PhraseMatcher(nlp.vocab, attr="LOWER")
    # tokenised as the dictionary spells them, so 'U.S.' splits as it does in news text
    for key, pattern in zip(kb.coded, nlp.tokenizer.pipe(spelt for spelt, _ in kb.coded.values())):
        coded.add(key, [pattern])
    return _Matchers(names, nouns, coded)


def resolve_actors(doc: Doc, story_date: str | None, nlp: Language,
                   kb: KnowledgeBase | None = None) -> tuple[Actor, ...]:
    """All actor mentions in ``doc``, resolved as of ``story_date`` (ISO), in text order.

    ``kb`` is the knowledge to use (``knowledge_base(paths)`` with user dictionaries); the built-in by default.
    """
    kb = kb or knowledge_base()
    day = date.fromisoformat(story_date) if story_date else None
    matchers = _matchers(nlp, kb)
    spans: list[tuple[Span, list[Entry]]] = []
    # user-coded phrases first: on a tie in length, filter_spans keeps the earlier span
    raw = [Span(doc, s, e, label="coded:" + key) for key, s, e in
           ((doc.vocab.strings[m], s, e) for m, s, e in matchers.coded(doc))
           if kb.coded[key][1].applies(day) and _capitalised(doc[s], kb.coded[key][0])]
    raw += [Span(doc, s, e, label=doc.vocab.strings[m]) for m, s, e in matchers.names(doc)
            if not _stance(doc, s) and not _of_a_culture(doc[s:e])]
    raw += [Span(doc, s, e, label="agent:" + doc.vocab.strings[m]) for m, s, e in matchers.nouns(doc)
            if not _describes_an_act(doc[s:e])]
    known = [(span.start, span.end) for span in raw]
    # the NER's "Caras Galadhon's" is the known name and a possessive, and "Bosnian Serbs" two known names,
    # not an unknown person
    people = [ent for ent in doc.ents if ent.label_ == "PERSON" and not all(
        t.tag_ == "POS" or t.is_punct or any(s <= t.i < e for s, e in known) for t in ent)]
    names_seen = {ent[-1].text for ent in people} | {ent[0].text for ent in people}
    raw += people
    # a bare surname the NER missed ("Lavrov said"): a known office holder's, or a person's named earlier
    raw += [Span(doc, t.i, t.i + 1, label="PERSON") for t in doc
            if t.pos_ == "PROPN" and t.ent_type_ != "PERSON" and (t.text in kb.by_surname or t.text in names_seen)]
    for span in filter_spans(raw):
        if span.label_ == "PERSON":
            spans.append((span, []))
        elif span.label_.startswith("agent:"):
            spans.append((span, [kb.nouns[span.label_[6:]]]))
        elif span.label_.startswith("coded:"):
            spans.append((span, _coded_entries(span, kb.coded[span.label_[6:]][1], day, kb)))
        else:
            spans.append((span, kb.names[span.label_]))
    groups: dict[int, list[tuple[Span, list[Entry]]]] = defaultdict(list)
    for span, entries in spans:
        root = span.root
        if root.dep_ == "conj" and root.head.dep_ in _PHRASE_DEPS and root.head.i < root.i:
            root = root.head   # "Israeli and Palestinian negotiators": both adjectives modify the noun
        elif root.dep_ == "npadvmod" and root.head.lower_ == "led" and root.head.dep_ == "amod":
            root = root.head   # "Vietnamese-led forces" are Vietnamese forces
        groups[_phrase_head(root).i].append((span, entries))
    actors: list[Actor] = []
    for head_i, parts in sorted(groups.items(), key=lambda item: item[1][0][0].start):
        *first, last = _coordinated(doc, parts)
        composed = [_compose(doc, group[-1][0].root, group, day, kb, actors) for group in first]
        whole = _compose(doc, doc[head_i], last, day, kb, actors)
        for actor in composed:
            if actor is not None:
                actors.append(_sharing_role(actor, whole, last))
        if whole is not None:
            actors.append(whole)
    return tuple(sorted(actors, key=lambda a: a.start))


def _stance(doc: Doc, start: int) -> bool:
    """A name after "pro-" or "anti-" is a stance, not the actor's country: "pro-Iranian Hizbollah" is
    Lebanese, "anti-American protesters" are not American."""
    before = doc[max(start - 2, 0):start]
    return len(before) == 2 and before[1].text == "-" and before[0].lower_ in {"pro", "anti"} \
        or start > 0 and doc[start - 1].lower_ in {"pro-", "anti-"}


def _of_a_culture(span: Span) -> bool:
    """A nationality that only says which language or culture a thing is of names no party: "the use of the
    Russian language", "Persian literature" (``cultural_noun`` cues)."""
    word = span[-1]
    return word.dep_ in {"amod", "compound"} and word.head.lemma_.lower() in cue_words("cultural_noun")


def _describes_an_act(span: Span) -> bool:
    """An agent word used as the adjective of an act or a thing names no actor: "military aid", "official
    contact", "a military offensive" (event nouns of the lexicon, and ``act_noun`` cues)."""
    word = span[0]
    return len(span) == 1 and word.pos_ == "ADJ" and word.dep_ == "amod" and word.head.pos_ == "NOUN" \
        and word.head.lemma_.lower() in _act_nouns()


@cache
def _act_nouns() -> frozenset[str]:
    return cue_words("act_noun") | frozenset(default_lexicon().nouns)


def _coordinated(doc: Doc, parts: list[tuple[Span, list[Entry]]]) -> list[list[tuple[Span, list[Entry]]]]:
    """The matches of one noun phrase, split where "and"/"or" joins a named party to what follows, which the
    parser took for one phrase: "Fornost and the evil Gondor", "Israeli and Palestinian negotiators"; not
    "Ithilen's awful and evil minister", where "and" joins two adjectives."""
    groups: list[list[tuple[Span, list[Entry]]]] = [[]]
    for span, entries in sorted(parts, key=lambda part: part[0].start):
        previous = groups[-1][-1][0] if groups[-1] else None
        if previous is not None and any(_names_party(e) for _, es in groups[-1] for e in es) \
                and any(t.dep_ == "cc" and previous.start <= t.head.i < previous.end
                        or t.text == "," and span.root.dep_ == "conj" for t in doc[previous.end:span.start]):
            groups.append([])
        groups[-1].append((span, entries))
    return groups


def _names_party(entry: Entry) -> bool:
    return entry.kind != "agent" and (entry.kind != "coded" or entry.sector is None)


def _sharing_role(actor: Actor, whole: Actor | None, parts: list[tuple[Span, list[Entry]]]) -> Actor:
    """"Israeli and Palestinian negotiators": the first party is negotiators too, when the last part names
    both a party and the role and the first names only a party."""
    if whole is None or actor.role or actor.kind != "state" or not actor.country or not whole.role \
            or whole.kind != "group" or not any(_names_party(e) for _, es in parts for e in es):
        return actor
    return dataclasses.replace(actor, role=whole.role, kind=whole.kind, code=f"{actor.country}{whole.role}",
                               name=f"{actor.name} {whole.role}")


def _capitalised(token: Token, phrase: str) -> bool:
    """User phrases match in any case, but a name the dictionary capitalises must start capitalised in the text:
    'Chad' the country, not 'chad'."""
    return not phrase[:1].isupper() or token.text[:1].isupper() or token.text[:1].isdigit()


def _coded_entries(span: Span, actor: CodedActor, day: date | None, kb: KnowledgeBase) -> list[Entry]:
    """The entry a user-coded phrase stands for on ``day``; none when its code that day is the null code."""
    code = actor.code_on(day)
    if code is None:
        return []
    members = tuple(code.split("/")) if "/" in code else ()
    code = code.split("/")[0]
    country, sector, kind = split_code(code, kb.countries)
    if any(t.ent_type_ == "PERSON" for t in span):
        kind = "person"
    return [Entry("coded", code, actor.name, country=country, sector=sector, org_kind=kind, members=members)]


def _phrase_head(token: Token) -> Token:
    """The head noun of the phrase a token sits in: climb compound/amod/poss links."""
    while token.dep_ in _PHRASE_DEPS and token.head.i != token.i and token.head.pos_ in {"NOUN", "PROPN", "ADJ"}:
        token = token.head
    return token


def _compose(doc: Doc, head: Token, parts: list[tuple[Span, list[Entry]]], day: date | None,
             kb: KnowledgeBase, earlier: list[Actor]) -> Actor | None:
    """Merge the gazetteer matches of one noun phrase into one actor."""
    start = min(span.start for span, _ in parts)
    end = max(span.end for span, _ in parts)
    if head.i == end and head.pos_ in {"NOUN", "PROPN"} and all(s.root.dep_ != "poss" for s, _ in parts):
        end += 1  # "Russian banks": the phrase's own noun belongs to the mention
    span = doc[start:end]
    country = sector = office = None
    name: str | None = None
    kind = "state"
    code: str | None = None
    person_span = None
    org_name: str | None = None
    agent: Entry | None = None       # the sector noun that set the sector, for its full code ("GOVMED", "NGO~")
    members: tuple[str, ...] = ()
    for part, entries in parts:
        entry = _pick(entries, day, kb)
        if entry is None:
            if part.label_ == "PERSON":
                person_span = part
            continue
        if entry.kind == "person":
            person = kb.people[entry.code]
            term = person.term_on(day)
            name, kind, person_span = person.name, "person", part
            if term is not None:
                country = term.country
                office = term.office
                sector = "ELI" if term.role.endswith("_elect") else _ROLE_SECTOR.get(term.role, "GOV")
            else:
                country = country or (person.terms[-1].country if person.terms else None)
                sector = "ELI"
                office = f"former {person.terms[-1].office}" if person.held_before(day) else None
        elif entry.kind == "organization" and (kind == "person" or person_span is not None or
                                               any(p.label_ == "PERSON" for p, _ in parts)):
            # "Amnesty International's spokesman Tom Lee": a person of that organisation
            code, country, sector = entry.code, country or entry.country, sector or entry.sector
            org_name = entry.name
        elif entry.kind == "organization":
            # a user's code for the phrase wins: "the European Union (EU)" keeps the dictionary's IGOEEU
            code, name = code or entry.code, name or entry.name
            kind = "igo" if entry.org_kind == "igo" else "organization"
            country = country or entry.country
            sector = sector or entry.sector
        elif entry.kind == "coded":
            members = members or entry.members
            country, sector = country or entry.country, entry.sector or sector
            if entry.org_kind != "state":   # a coded country leaves the name to the phrase's agent, if any
                name = name or entry.name
            if entry.org_kind == "person":
                kind, person_span = "person", part
            elif kind == "state" and entry.org_kind != "state":
                kind = entry.org_kind or kind
            if entry.country is None or len(entry.code) > 3:
                code = entry.code    # a full code from the dictionary; a bare country code takes an agent
        elif entry.kind == "agent":
            if not (kind == "person" and sector):
                sector, agent = entry.sector, entry
            if part.root.lower_ in _OFFICE_WORDS or part.text.lower().split()[-1] in _OFFICE_WORDS:
                office = office or part.text
            if kind == "state" and name is None:
                kind = "group"
        else:  # country, adjective, capital, metonym
            country = country or entry.country
            if entry.sector and not sector:
                sector = entry.sector
            if name is None and entry.kind in {"country", "capital", "metonym"}:
                name = entry.name if entry.kind != "country" else kb.countries.get(entry.code, entry.name)
    if name is None and kind == "group" and country is None and person_span is None and office:
        country = _located_in(head, kb)   # "the president of Armenia": that country's, not the last president
    if person_span is not None and kind != "person":
        previous = _same_person(person_span.text, earlier, day, kb)
        if previous is not None and country is None:
            return _copy(previous, span)
        name, kind = person_span.text, "person"
    elif office and country and kind != "person":
        holder = _office_holder(office, country, day, kb)   # "Russia's foreign minister" -> the minister that day
        if holder is not None:
            return _copy(holder, span)
    if name is None and kind == "group" and country is None:
        antecedent = _role_antecedent(span, head, earlier)
        if antecedent is not None:
            return _copy(antecedent, span)
        country = _located_in(head, kb)   # "rebels in the Ivory Coast", "protesters from Georgia"
    if country is None and code is None and sector is None and kind != "person":
        return None
    if country is not None and (then := _as_of(country, day)) != country:
        code = then + code[len(country):] if code is not None and code.startswith(country) else code
        name = kb.countries.get(then, then) if name == kb.countries.get(country) else name
        country = then
    if name is None:
        name = span.text if country is None else f"{kb.countries.get(country, country)} {sector or ''}".strip()
    if code is None and agent is not None and agent.sector == sector:
        code = f"{agent.code}{country or ''}" if agent.prefix else f"{country or ''}{agent.code}"
    elif code is None:
        code = f"{country or ''}{sector or ''}"
    affiliation = (affiliation_in_text(head) or org_name) if kind == "person" else None
    if members and code.startswith(members[0]):   # "Shire officials" [FRO/BIL]: FROGOV and BILGOV
        members = tuple(m + code[len(members[0]):] for m in members)
    return Actor(text=span.text, start=span.start_char, end=span.end_char, name=name, country=country,
                 role=sector, kind=kind, code=code, office=office, affiliation=affiliation, members=members)


@cache
def _successions() -> dict[str, tuple[date, str]]:
    rows = data_table("successions.tsv", ("code", "since", "before"))
    return {row["code"]: (date.fromisoformat(row["since"]), row["before"]) for row in rows}


def _as_of(country: str, day: date | None) -> str:
    """The country a place belonged to on ``day``: South Sudan's before its independence is Sudan
    (data/successions.tsv)."""
    since, before = _successions().get(country, (None, country))
    return before if day is not None and since is not None and day < since else country


def _located_in(head: Token, kb: KnowledgeBase) -> str | None:
    """The country a group is placed in by "in/from/of X", when X names a country or its capital."""
    for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in {"in", "from", "of", "inside"}):
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            words = [t.text for t in pobj.subtree if t.dep_ in {"compound", "amod"} and t.i < pobj.i] + [pobj.text]
            for phrase in (" ".join(words), pobj.text):
                place = next((e.country for e in kb.names.get(phrase, ()) if e.kind in {"country", "capital"}), None)
                if place:
                    return place
    return None


def _pick(entries: list[Entry], day: date | None, kb: KnowledgeBase) -> Entry | None:
    """Choose among homonymous entries: a person in office on the date, then a country, then the first."""
    if not entries:
        return None
    people = [e for e in entries if e.kind == "person"]
    for entry in people:
        if kb.people[entry.code].term_on(day) is not None:
            return entry
    for kind in ("country", "organization", "metonym", "capital", "adjective"):
        for entry in entries:
            if entry.kind == kind:
                return entry
    return entries[0]


_OFFICE_ROLES = (("foreign minister", "foreign_minister"), ("foreign secretary", "foreign_minister"),
                 ("secretary of state", "foreign_minister"), ("external affairs minister", "foreign_minister"),
                 ("defence minister", "defense_minister"), ("defense minister", "defense_minister"),
                 ("defense secretary", "defense_minister"), ("defence secretary", "defense_minister"),
                 ("prime minister", "head_of_government"), ("premier", "head_of_government"),
                 ("chancellor", "head_of_government"), ("president", "head_of_state"))
# words of a title before a surname ("President", "Prime Minister", "Foreign Secretary")
_TITLE_WORDS = _OFFICE_WORDS | {word for words, _ in _OFFICE_ROLES for word in words.split()}


def _office_holder(office: str, country: str, day: date | None, kb: KnowledgeBase) -> Actor | None:
    """The person who held ``office`` for ``country`` on ``day``, if exactly one did."""
    lowered = office.lower()
    role = next((r for words, r in _OFFICE_ROLES if words in lowered), None)
    if role is None or "vice" in lowered or "deputy" in lowered or "former" in lowered:
        return None
    holders = [(p, t) for p, t in kb.by_office.get((country, role), []) if day is not None and t.covers(day)]
    if len(holders) != 1:
        return None
    person, term = holders[0]
    return Actor(text=office, start=0, end=0, name=person.name, country=country, role="GOV", kind="person",
                 code=f"{country}GOV", office=term.office)


def _same_person(text: str, earlier: list[Actor], day: date | None, kb: KnowledgeBase) -> Actor | None:
    """Surname back-off: "Lavrov" after "Sergei Lavrov" in the document, or a unique office holder on the date."""
    words = text.replace("'s", "").split()
    if not words:
        return None
    surname = words[-1]
    for actor in reversed(earlier):
        if actor.kind == "person" and surname in (actor.name.split()[0], actor.name.split()[-1]) and actor.name != text:
            return actor
    known = kb.by_surname.get(surname, [])
    titles = [w.lower() for w in words[:-1]]
    titled = bool(titles) and all(w in _TITLE_WORDS for w in titles)
    holders = [p for p in known if (term := p.term_on(day)) is not None
               and (len(words) == 1 or titled and all(w in term.office.lower() for w in titles))]
    countries = {p.terms[-1].country for p in known if p.terms}
    if not holders and len(known) > 1 and len(countries) == 1 and any(p.held_before(day) for p in known):
        # "President Bush" in 2000, between the two Bushes: which one is unsure, whose elite is not
        return _person(text, text, countries.pop(), "ELI", None)
    if not holders and len(known) == 1 and (len(words) == 1 or words[0] == known[0].name.split()[0]):
        person = known[0]   # out of office on the date: an elite of the country they led ("former President")
        last = person.terms[-1]
        return _person(text, person.name, last.country, "ELI",
                       f"former {last.office}" if person.held_before(day) else None)
    if len(holders) == 1:
        person = holders[0]
        term = person.term_on(day)
        assert term is not None
        sector = "ELI" if term.role.endswith("_elect") else _ROLE_SECTOR.get(term.role, "GOV")
        return _person(text, person.name, term.country, sector, term.office)
    return None


def _person(text: str, name: str, country: str, sector: str, office: str | None) -> Actor:
    return Actor(text=text, start=0, end=0, name=name, country=country, role=sector, kind="person",
                 code=f"{country}{sector}", office=office)


def _role_antecedent(span: Span, head: Token, earlier: list[Actor]) -> Actor | None:
    """'the president', 'the minister' refer back to the last person holding such an office."""
    if not any(t.lower_ == "the" for t in span.doc[max(span.start - 1, 0): span.start + 1]):
        return None
    word = head.lower_ if head.lower_ in _OFFICE_WORDS else span.text.lower().split()[-1]
    if word not in _OFFICE_WORDS:
        return None
    for actor in reversed(earlier):
        if actor.kind == "person" and actor.office and word in actor.office.lower():
            return actor
    return None


def _copy(actor: Actor, span: Span) -> Actor:
    return Actor(text=span.text, start=span.start_char, end=span.end_char, name=actor.name, country=actor.country,
                 role=actor.role, kind=actor.kind, code=actor.code, office=actor.office,
                 affiliation=actor.affiliation, members=actor.members)


def affiliation_in_text(head: Token) -> str | None:
    """Affiliation the text gives a person: appositive "X, an analyst at Y", "X of Y", "Y's spokesman X"."""
    candidates: list[Token] = []
    for child in head.children:
        if child.dep_ == "appos":
            candidates.extend(t for t in child.subtree
                              if t.dep_ == "pobj" and t.head.lower_ in {"at", "of", "with", "for", "from"})
            candidates.extend(t for t in child.children if t.dep_ == "poss")
        elif child.dep_ == "prep" and child.lower_ in {"of", "at", "from"}:
            candidates.extend(t for t in child.children if t.dep_ == "pobj")
    for token in candidates:
        if token.ent_type_ in {"ORG", "GPE", "NORP", "FAC"} or token.pos_ == "PROPN":
            tokens = [t for t in token.subtree if t.dep_ not in {"prep", "punct"} and t.i <= token.i]
            if token.ent_iob_ != "O" and token.ent_type_:
                ent = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
                if ent is not None:
                    return ent.text.removeprefix("the ")
            return " ".join(t.text for t in tokens if t.lower_ != "the")
    return None


def antecedent(actors: tuple[Actor, ...] | list[Actor], offset: int, group: bool = False,
               since: int = 0) -> Actor | None:
    """The last person mentioned before ``offset``: what "he", "she" or "the minister" most likely refers to;
    with ``group``, the last state, organization or group instead (what "they" refers to). Only actors from
    ``since`` on are candidates."""
    for actor in reversed(actors):
        if since <= actor.start and actor.end <= offset and (actor.kind != "person") == group:
            return actor
    return None


class ActorIndex:
    """Which actor covers which token of the document."""

    def __init__(self, doc: Doc, actors: tuple[Actor, ...]):
        self.actors = actors
        self.by_token: dict[int, Actor] = {}
        self._first: dict[int, int] = {}   # id(actor) -> its first token
        for actor in actors:
            span = doc.char_span(actor.start, actor.end, alignment_mode="expand")
            if span is not None:
                self._first.setdefault(id(actor), span.start)
                for token in span:
                    self.by_token.setdefault(token.i, actor)

    def partners(self, token: Token) -> list[Actor]:
        """The parties joined by "and"/"or" before the actor a phrase head stands for, inside its phrase:
        "Fornost and the evil Gondor", "Israeli and Palestinian negotiators" (the parser makes them modifiers)."""
        actor = self.by_token.get(token.i)
        if actor is None:
            return []
        first = self._first.get(id(actor), token.i)
        if token.left_edge.i >= first:
            return []   # nothing of the phrase stands before the actor: the common case
        found: list[Actor] = []
        for modifier in token.subtree:
            if modifier.i >= first:
                break
            other = self.by_token.get(modifier.i)
            if other is None or other is actor or other in found:
                continue
            link = modifier
            while link.i != token.i and link.dep_ in _PHRASE_DEPS | {"conj", "appos"}:
                link = link.head
            joined = {modifier.i, *(c.i for c in modifier.conjuncts)}   # "Arnor, Calenardhon and the Gondor"
            if link.i == token.i and any(t.dep_ == "cc" and t.head.i in joined for t in token.doc[modifier.i:first]):
                found.append(other)
        return found

    def of(self, token: Token) -> Actor | None:
        """The actor a noun-phrase head stands for: the token itself, else its modifiers (not clauses), else
        the "of" phrase it quantifies."""
        own = self._own(token)
        if own is not None:
            return own
        inner = self._of_phrase(token)
        return self.of(inner) if inner is not None else None

    def quantified(self, token: Token) -> Token | None:
        """The head of the "of" phrase that a head naming no actor itself stands for: "a group of Russian
        hackers", "scores of Sierra Leonean and Liberian refugees" (whose conjuncts are parties too)."""
        return self._of_phrase(token) if self._own(token) is None else None

    def _own(self, token: Token) -> Actor | None:
        if token.i in self.by_token:
            return self.by_token[token.i]
        if token.lower_ in PRONOUNS and token.lower_ not in {"we", "i", "they"}:
            return antecedent(self.actors, token.idx)
        return next((self.by_token[c.i] for c in token.children
                     if c.dep_ in {"compound", "amod", "poss", "nmod", "appos"} and c.i in self.by_token), None)

    @staticmethod
    def _of_phrase(token: Token) -> Token | None:
        if token.pos_ == "PROPN":   # a name: "Ilse Marken of the NHC" is not a quantity of the NHC
            return None
        return next((pobj for child in token.children if child.dep_ == "prep" and child.lower_ == "of"
                     for pobj in child.children if pobj.dep_ == "pobj"), None)


def office_holders(day: date | None, country: str | None = None,
                   kb: KnowledgeBase | None = None) -> list[dict[str, str | None]]:
    """Who held which office on ``day`` (every known term when ``day`` is None), optionally for one country."""
    rows = []
    for person in (kb or knowledge_base()).people.values():
        for term in person.terms:
            if (day is None or term.covers(day)) and (country is None or term.country == country):
                rows.append({"name": person.name, "country": term.country, "office": term.office, "role": term.role,
                             "start": term.start.isoformat(), "end": term.end.isoformat() if term.end else None})
    return sorted(rows, key=lambda r: (r["country"] or "", r["role"] or "", r["start"] or ""))
