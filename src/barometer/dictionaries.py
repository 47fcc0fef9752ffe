"""User actor dictionaries: PETRARCH/TABARI actor and agent files, and Barometer's own TSV formats.

A dictionary is read into plain records (:class:`CodedActor`, :class:`AgentNoun`, or rows of one of the
knowledge tables); ``actors.knowledge_base`` lays them over the built-in knowledge. Formats, told apart
by content (docs/dictionaries.md):

- **PETRARCH actors**: ``PHRASE [CODE]`` lines, ``+SYNONYM`` lines, and indented code lines with date
  restrictions ``[CODE <DATE]`` (on or before), ``[CODE >DATE]`` (on or after), ``[CODE DATE-DATE]``
  (both days included, as PETRARCH's validation records expect); dates ``YYMMDD`` (years 00-30 are 20YY) or ``YYYYMMDD``. On a story date the first
  restriction that covers it wins, else the undated code; ``---`` is the null code (not an actor).
- **PETRARCH agents**: ``NOUN {PLURAL} [~CODE]`` (suffix) or ``[CODE~]`` (prefix), ``!SET! = A, B``
  substitution sets; regular plurals are made unless ``{}`` or ``{PLURAL}`` says otherwise.
- **Barometer actors** (TSV, header ``names code start end``): one dated code per row, '|' between names;
  a code starting with '~' makes the names agent nouns. ``end`` is the first day the code no longer
  applies, as in the built-in ``people.tsv``.
- **Barometer knowledge tables**: a file with the header of ``countries.tsv``, ``agents.tsv``,
  ``organizations.tsv`` or ``people.tsv`` adds rows to that table.

A line that cannot be read in the PETRARCH or Barometer-actors formats is skipped and reported as an
issue naming the file, the line and the reason; the rest of the file still loads. The knowledge tables
are validated like the built-in ones: their first error stops the load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from barometer.errors import KnowledgeError
from barometer.tables import parse_tsv, split_list
from barometer.verbdict import VerbDictionary, read_verb_dictionary

# The headers of the built-in knowledge tables, by table name; a user file with one of them adds rows.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "countries": ("code", "name", "aliases", "adjectives", "capital", "metonyms"),
    "agents": ("code", "kind", "nouns"),
    "organizations": ("code", "name", "aliases", "country", "sector", "kind"),
    "people": ("name", "aliases", "country", "office", "role", "start", "end"),
}
ACTOR_COLUMNS = ("names", "code", "start", "end")

# CAMEO codes that open an actor code without a country: international and transnational actors.
INTERNATIONAL = frozenset({"IGO", "NGO", "IMG", "MNC", "NGM", "UIS", "INT"})
# CAMEO actor roles (sectors) and religions, which may stand alone or follow a country or international code.
ROLES = frozenset("""GOV MIL REB OPP PTY COP JUD SPY MED EDU BUS CRM CVL LAB LEG HLH REF ELI AGR ENV HRI DEV
    UAF RAD MOD INS SEP UNS SET PPL""".split())
RELIGIONS = frozenset("REL CHR MUS JEW BUD HIN CTH PRO ORT SHI SUN DRZ JAN MOS SFI ALE ITH CON TAO ZRO".split())
SECTORS = ROLES | RELIGIONS

_CODE = re.compile(r"^[A-Z][A-Z0-9]{2,}$")
_NULL_CODES = {"---", "+++", "###"}
_VOWELS = set("AEIOU")


@dataclass(frozen=True)
class DatedCode:
    """A code that applies from ``start`` to ``end``, both included; None on a side means unbounded."""

    code: str | None          # None: the null code ('---'), "not an actor on these dates"
    start: date | None
    end: date | None

    def covers(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class CodedActor:
    """A named actor with its undated code and its date-restricted codes, in file order."""

    name: str                           # readable primary phrase ("Gondor Militia")
    phrases: tuple[str, ...]            # every phrase that names it, readable, primary first
    default: str | None                 # the undated code; None when there is none, or it is the null code
    dated: tuple[DatedCode, ...]
    where: str                          # file:line of the primary phrase
    has_default: bool = True            # False when only dated codes were given

    def applies(self, day: date | None) -> bool:
        """Whether any code applies on ``day`` (the null code counts: it says "not an actor")."""
        return day is None or self.has_default or any(d.covers(day) for d in self.dated)

    def code_on(self, day: date | None) -> str | None:
        """The code on ``day``: the first restriction covering it, else the undated code; None for the null code
        or when no code applies (tell them apart with :meth:`applies`).

        Without a date, the undated code, else the code of the restriction that starts last.
        """
        if day is not None:
            for dated in self.dated:
                if dated.covers(day):
                    return dated.code
            return self.default
        if self.has_default or not self.dated:
            return self.default
        return max(self.dated, key=lambda d: d.start or date.min).code


@dataclass(frozen=True)
class AgentNoun:
    """A noun that names an agent ("border guard"), its code, and whether the code goes before the country."""

    phrase: str                         # lower case
    code: str                           # "MIL", "GOVMED"
    prefix: bool = False                # [NGO~]: NGO before the country code


@dataclass
class Dictionary:
    """What one user file holds, and what could not be read from it."""

    path: Path
    format: str                          # petrarch-actors | petrarch-agents | barometer-actors | <table name>
    actors: list[CodedActor] = field(default_factory=list)
    agents: list[AgentNoun] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    verbs: VerbDictionary | None = None   # a PETRARCH verb dictionary: the coder's lexicon (verbdict.py)

    @property
    def size(self) -> int:
        return len(self.actors) + len(self.agents) + len(self.rows) + (self.verbs.size if self.verbs else 0)

    def summary(self) -> str:
        counts = {"actors": len(self.actors), "agent nouns": len(self.agents), "rows": len(self.rows)}
        if self.verbs is not None:
            counts = {"verb blocks": len(self.verbs.blocks),
                      "verbs": sum(len(b.forms) for b in self.verbs.blocks),
                      "patterns": sum(len(b.patterns) for b in self.verbs.blocks),
                      "notes on codes outside CAMEO": len(self.verbs.notes)}
        held = ", ".join(f"{n:,} {what}" for what, n in counts.items() if n)
        return f"{self.path}: {self.format}, {held or 'nothing'}; {len(self.issues):,} line(s) skipped"


def read_dictionary(path: str | Path) -> Dictionary:
    """Read one dictionary file, telling its format from its content; raises KnowledgeError naming the file
    when it cannot be read or holds no entry of any known format."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise KnowledgeError(f"dictionary {path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise KnowledgeError(f"dictionary {path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise KnowledgeError(f"dictionary {path}: cannot read: {exc.strerror or exc}") from None
    lines = text.splitlines()
    header = _first_line(lines)
    cells = tuple(cell.strip() for cell in header.split("\t")) if header is not None else ()
    table = next((name for name, cols in TABLE_COLUMNS.items() if cells[: len(cols)] == cols), None)
    if cells[: len(ACTOR_COLUMNS)] == ACTOR_COLUMNS:
        result = _read_barometer_actors(path, lines)
    elif table is not None:
        result = Dictionary(path, table, rows=parse_tsv(lines, TABLE_COLUMNS[table], path))
    elif path.suffix.lower() == ".tsv" or (header and "\t" in header.strip() and "[" not in header):
        raise KnowledgeError(f"dictionary {path}: a TSV header must start with {'/'.join(ACTOR_COLUMNS)} or be "
                             f"the header of a knowledge table ({', '.join(TABLE_COLUMNS)}); got {'/'.join(cells)}")
    elif (other := _other_petrarch_file(lines)) == "verb":
        verbs, issues = read_verb_dictionary(path, lines)
        result = Dictionary(path, "petrarch-verbs", issues=issues, verbs=verbs)
    elif other:
        raise KnowledgeError(f"dictionary {path}: this is a PETRARCH {other} file, not an actor, agent or verb "
                             "dictionary")
    elif _looks_like_agents(lines):
        result = _read_petrarch_agents(path, lines)
    else:
        result = _read_petrarch_actors(path, lines)
    if not result.size:
        first = f"; first problem: {result.issues[0]}" if result.issues else ""
        raise KnowledgeError(f"dictionary {path}: no actor, agent or verb entries found ({result.format} format){first}")
    return result


def _first_line(lines: list[str]) -> str | None:
    return next((line for line in lines if line.strip() and not line.lstrip().startswith(("#", "<"))), None)


def _other_petrarch_file(lines: list[str]) -> str | None:
    """'verb' or 'issue' when the lines are a PETRARCH verb or issue dictionary, which carry no actors."""
    for line in lines:
        if line.startswith("<ISSUE"):
            return "issue"
        if re.match(r"---\s+\S.*\[[^\]]*\]\s*---", line) or re.match(r"&\w+\s*$", line):
            return "verb"
    return None


def _looks_like_agents(lines: list[str]) -> bool:
    """Agent files mark codes with '~' or define !substitution! sets; actor files do neither."""
    marked = plain = 0
    for line in lines:
        body = _strip_comment(line)
        if re.match(r"\s*!\w+!\s*=", body):
            return True
        for code in re.findall(r"\[([^\]]*)\]", body):
            if "~" in code:
                marked += 1
            else:
                plain += 1
    return marked > plain


def _strip_comment(line: str) -> str:
    return line.split("#", 1)[0].rstrip()


def parse_day(value: str) -> date | None:
    """A PETRARCH date, ``YYMMDD`` (00-30 read as 20YY) or ``YYYYMMDD``; None when it is not one."""
    value = value.strip()
    if not value.isdigit() or len(value) not in (6, 8):
        return None
    if len(value) == 6:
        year = int(value[:2])
        value = f"{2000 + year if year <= 30 else 1900 + year}{value[2:]}"
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        return None


def _code(text: str, joint: bool = False) -> str | None | bool:
    """A clean code, None for the null code, False when malformed. A compound code ("FRO/BIL", an actor that
    stands for several) keeps every member where ``joint`` (actor codes), else its first (agent codes)."""
    parts = text.strip().upper().split("/")
    if not joint or parts[0] in _NULL_CODES:
        parts = parts[:1]
    if parts[0] in _NULL_CODES:
        return None
    return "/".join(parts) if all(_CODE.match(p) for p in parts) else False


def _bracket(body: str, where: str, issues: list[str]) -> DatedCode | None:
    """The code and date restriction inside ``[...]``; None, with an issue, when unreadable."""
    inside = body[body.index("[") + 1:]
    if "]" not in inside:
        issues.append(f"{where}: missing ']'")
        return None
    content = inside[: inside.index("]")].strip()
    raw_code, _, rest = content.partition(" ")
    code = _code(raw_code, joint=True)
    if code is False:
        issues.append(f"{where}: bad code {raw_code!r} (a letter, then two or more letters or digits; --- for none)")
        return None
    rest = rest.strip()
    if not rest:
        return DatedCode(code, None, None)
    if rest[0] in "<>":
        day = parse_day(rest[1:])
        if day is None:
            issues.append(f"{where}: bad date {rest[1:].strip()!r} (YYMMDD or YYYYMMDD)")
            return None
        return DatedCode(code, None, day) if rest[0] == "<" else DatedCode(code, day, None)
    first, dash, second = rest.partition("-")
    if dash:
        start, end = parse_day(first), parse_day(second)
        if start is None or end is None:
            bad = first if start is None else second
            issues.append(f"{where}: bad date {bad.strip()!r} (YYMMDD or YYYYMMDD)")
            return None
        if end < start:
            issues.append(f"{where}: date range {rest!r} ends before it starts")
            return None
        return DatedCode(code, start, end)
    issues.append(f"{where}: date restriction {rest!r} must be <DATE, >DATE or DATE-DATE")
    return None


def readable(phrase: str) -> str:
    """A dictionary phrase as news would print it: 'PRESIDENT_GEORGE_W._BUSH_' -> 'President George W. Bush'."""
    phrase = re.sub(r"\([^)]*\)", " ", phrase).replace("_", " ").replace("+", " ")
    words = phrase.split()
    if len(words) > 1 and words[0].upper() == "THE":
        words = words[1:]
    if phrase.isupper() or phrase.islower():
        words = [w if "." in w else "-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")) for w in words]
    return " ".join(words)


class _ActorBuilder:
    """Collects one PETRARCH actor block: primary phrase, synonyms, codes."""

    def __init__(self, phrase: str, where: str):
        self.phrases = [phrase]
        self.where = where
        self.default: DatedCode | None = None
        self.dated: list[DatedCode] = []
        self.bracketed = False      # a code was written (even one that could not be read)

    @property
    def has_codes(self) -> bool:
        return self.default is not None or bool(self.dated)

    def add_code(self, code: DatedCode) -> None:
        if code.start is None and code.end is None:
            self.default = code
        else:
            self.dated.append(code)

    def add_codes(self, body: str, where: str, issues: list[str]) -> None:
        """Every ``[...]`` of a line; a code that cannot be read is an issue, and still counts as written."""
        for piece in re.findall(r"\[[^\[]*", body):
            self.bracketed = True
            code = _bracket(piece, where, issues)
            if code is not None:
                self.add_code(code)

    def build(self, issues: list[str]) -> CodedActor | None:
        if not self.has_codes:
            issues.append(f"{self.where}: {self.phrases[0]!r} has no code")
            return None
        phrases = tuple(dict.fromkeys(p for p in self.phrases if p))
        default = self.default.code if self.default is not None else None
        return CodedActor(phrases[0], phrases, default, tuple(self.dated), self.where, self.default is not None)


def _read_petrarch_actors(path: Path, lines: list[str]) -> Dictionary:
    result = Dictionary(path, "petrarch-actors")
    current: _ActorBuilder | None = None

    def finish() -> None:
        if current is not None:
            actor = current.build(result.issues)
            if actor is not None:
                result.actors.append(actor)

    for number, line in enumerate(lines, start=1):
        if "---STOP---" in line:
            break
        body = _strip_comment(line)
        if not body.strip() or body.lstrip().startswith("<"):
            continue
        where = f"{path.name}:{number}"
        phrase_part = body.split("[", 1)[0].strip()
        if line[0] in " \t" and not phrase_part:              # an indented code line of the current actor
            if current is None:
                result.issues.append(f"{where}: a code line with no actor before it")
                continue
            current.add_codes(body, where, result.issues)
            continue
        if phrase_part.startswith("+"):
            if current is None:
                result.issues.append(f"{where}: a synonym with no actor before it")
                continue
            synonym = readable(phrase_part[1:])
            if synonym:
                current.phrases.append(synonym)
            else:
                result.issues.append(f"{where}: an empty synonym")
            continue
        phrase = readable(phrase_part)
        if not phrase:
            result.issues.append(f"{where}: a code with no phrase")
            continue
        if current is not None and not current.has_codes and not current.bracketed:
            current.phrases.append(phrase)     # phrases with no code share the codes of the next block
        else:
            finish()
            current = _ActorBuilder(phrase, where)
        current.add_codes(body, where, result.issues)
    finish()
    return result


def _plural(phrase: str) -> str:
    """The regular plural of an agent phrase's last word (upper-case PETRARCH spelling)."""
    if phrase.endswith("Y") and phrase[-2:-1] not in _VOWELS:
        return phrase[:-1] + "IES"
    if phrase.endswith(("S", "X", "CH", "SH", "Z")):
        return phrase + "ES"
    return phrase + "S"


def _read_petrarch_agents(path: Path, lines: list[str]) -> Dictionary:
    result = Dictionary(path, "petrarch-agents")
    sets: dict[str, list[str]] = {}
    for number, line in enumerate(lines, start=1):
        if "---STOP---" in line:
            break
        body = _strip_comment(line).strip()
        if not body or body.startswith("<"):
            continue
        where = f"{path.name}:{number}"
        definition = re.match(r"!(\w+)!\s*=\s*(.*)$", body)
        if definition:
            sets[definition.group(1)] = [w.strip() for w in definition.group(2).split(",") if w.strip()]
            continue
        if "[" not in body:
            result.issues.append(f"{where}: an agent needs a code in [...]")
            continue
        phrase_part, _, rest = body.partition("[")
        if "]" not in rest:
            result.issues.append(f"{where}: missing ']'")
            continue
        raw = rest[: rest.index("]")].replace(" ", "")
        prefix = raw.endswith("~") and not raw.startswith("~")
        code = _code(raw.strip("~"))
        if "~" not in raw or not code:
            result.issues.append(f"{where}: bad agent code {raw!r} (~CODE after the country, CODE~ before it)")
            continue
        phrase_part = phrase_part.strip()
        plural: str | None = None
        if "{" in phrase_part:
            if "}" not in phrase_part:
                result.issues.append(f"{where}: missing '}}'")
                continue
            plural = phrase_part[phrase_part.index("{") + 1: phrase_part.index("}")].strip()
            phrase_part = phrase_part[: phrase_part.index("{")].strip()
        if not phrase_part:
            result.issues.append(f"{where}: a code with no noun")
            continue
        marker = re.search(r"!(\w+)!", phrase_part)
        if marker:
            if marker.group(1) not in sets:
                result.issues.append(f"{where}: substitution set !{marker.group(1)}! is not defined above")
                continue
            forms = [phrase_part.replace(marker.group(0), word) for word in sets[marker.group(1)]]
        else:
            forms = [phrase_part, _plural(phrase_part.rstrip("_ ")) if plural is None else plural]
        for form in forms:
            noun = " ".join(form.replace("_", " ").lower().split())
            if noun:
                result.agents.append(AgentNoun(noun, code, prefix))
    return result


def _read_barometer_actors(path: Path, lines: list[str]) -> Dictionary:
    result = Dictionary(path, "barometer-actors")
    blocks: dict[str, _ActorBuilder] = {}
    header_seen = False
    for number, line in enumerate(lines, start=1):
        if not line.strip() or (not header_seen and line.startswith("#")):
            continue
        if not header_seen:
            header_seen = True
            continue
        if line.startswith("#"):
            continue
        where = f"{path.name}:{number}"
        cells = [cell.strip() for cell in line.split("\t")] + [""] * 4
        names, raw_code, start_text, end_text = cells[:4]
        phrases = [readable(n) for n in split_list(names)]
        if not phrases:
            result.issues.append(f"{where}: no names")
            continue
        if raw_code.startswith("~") or raw_code.endswith("~"):
            code = _code(raw_code.strip("~"))
            if not code:
                result.issues.append(f"{where}: bad agent code {raw_code!r}")
                continue
            if start_text or end_text:
                result.issues.append(f"{where}: agent nouns cannot carry dates")
                continue
            result.agents.extend(AgentNoun(p.lower(), code, raw_code.endswith("~")) for p in phrases)
            continue
        code = _code(raw_code, joint=True)
        if code is False or not raw_code:
            result.issues.append(f"{where}: bad code {raw_code!r} (a letter, then two or more letters or digits; --- for none)")
            continue
        try:
            start = date.fromisoformat(start_text) if start_text else None
            end = date.fromisoformat(end_text) - timedelta(days=1) if end_text else None   # the last day it applies
        except (ValueError, OverflowError):
            result.issues.append(f"{where}: bad date in {start_text!r}/{end_text!r} (YYYY-MM-DD)")
            continue
        if start is not None and end is not None and end < start:
            result.issues.append(f"{where}: end {end_text} is not after start {start_text}")
            continue
        block = blocks.setdefault(phrases[0].lower(), _ActorBuilder(phrases[0], where))
        block.phrases.extend(p for p in phrases if p not in block.phrases)
        block.add_code(DatedCode(code, start, end))
    result.actors.extend(a for a in (b.build(result.issues) for b in blocks.values()) if a is not None)
    return result


def split_code(code: str, countries: frozenset[str] | set[str] | dict[str, str]) -> tuple[str | None, str | None, str]:
    """(country, sector, kind) of a CAMEO actor code: "RUSGOV" -> ("RUS", "GOV", "group").

    The sector is the first later three-letter part that is a role, else the first that is a religion; for a
    country code with neither, its first later part ("ORCHOB" -> "HOB").
    """
    head = code[:3]
    chunks = [code[i:i + 3] for i in range(3, len(code), 3)]
    sector = next((c for c in chunks if c in ROLES), None) or next((c for c in chunks if c in RELIGIONS), None)
    if head in INTERNATIONAL:
        return None, sector, "igo" if head == "IGO" else "organization"
    if head in SECTORS and head not in countries:
        return None, head, "group"
    if not chunks:
        return head, None, "state"
    return head, sector or chunks[0], "group"
