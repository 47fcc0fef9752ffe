"""The CAMEO event ontology: codes, names, Goldstein values, QuadClass, PentaClass and PLOVER type."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from barometer.errors import KnowledgeError
from barometer.tables import data_table

QUAD_CLASSES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


@dataclass(frozen=True)
class EventType:
    """One CAMEO code with what goes with it."""

    code: str
    name: str
    goldstein: float
    quad_class: int
    penta_class: int
    plover: str | None

    @property
    def root(self) -> str:
        return self.code[:2]


@cache
def cameo() -> dict[str, EventType]:
    """All CAMEO codes by code string, from ``data/cameo.tsv``."""
    types: dict[str, EventType] = {}
    for row in data_table("cameo.tsv", ("code", "name", "goldstein", "quad_class", "penta_class", "plover")):
        code = row["code"]
        try:
            types[code] = EventType(code=code, name=row["name"], goldstein=float(row["goldstein"]),
                                    quad_class=int(row["quad_class"]), penta_class=int(row["penta_class"]),
                                    plover=row["plover"] or None)
        except ValueError as exc:
            raise KnowledgeError(f"cameo.tsv:{row['_line']}: bad number in row for {code}: {exc}") from None
        if not code.isdigit() or code in types and types[code].code != code:
            raise KnowledgeError(f"cameo.tsv:{row['_line']}: bad code {code!r}")
    return types


def event_type(code: str) -> EventType:
    """The EventType of a CAMEO code; raises KnowledgeError for an unknown code."""
    try:
        return cameo()[code]
    except KeyError:
        raise KnowledgeError(f"unknown CAMEO code {code!r}") from None


@cache
def user_event_type(code: str) -> EventType:
    """The EventType of a code from a user's verb dictionary, which need not be CAMEO's.

    A CAMEO code is itself; a code that begins with a CAMEO code ("1717", "174K") takes the values of the
    longest one; any other code ("903", "abc") is kept with QuadClass and PentaClass 0, Goldstein 0 and no PLOVER
    type, so it counts in no QuadClass series (docs/dictionaries.md, "Verb dictionaries").
    """
    if code in cameo():
        return cameo()[code]
    if (parent := cameo_parent(code)) is not None:
        return EventType(code=code, name=f"{parent.name} ({code})", goldstein=parent.goldstein,
                         quad_class=parent.quad_class, penta_class=parent.penta_class, plover=parent.plover)
    return EventType(code=code, name=f"user code {code}", goldstein=0.0, quad_class=0, penta_class=0, plover=None)


def cameo_parent(code: str) -> EventType | None:
    """The longest CAMEO code that ``code`` begins with and is longer than ("1717" -> 171), or None."""
    return next((cameo()[code[:size]] for size in range(len(code) - 1, 1, -1) if code[:size] in cameo()), None)
