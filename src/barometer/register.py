"""The forecast register: outcomes proposed from later events or set by hand, and forecaster scorecards.

A forecast is about an event (``forecasts.event_code`` between two countries, with the probability that the
event happens). Resolution asks one question: did that event happen by the horizon?

- **yes**: a later, non-negated event between the same two countries (either direction) with the same CAMEO
  root, dated after the story and no later than the horizon (nor than ``as_of``). The earliest such event is the
  evidence.
- **no**: the horizon has passed (as of the newest story in the store, or ``as_of``) with no such event.
- Announcements (status ``scheduled``) are not forecasts and are never proposed or scored.
- Forecasts with no coded event or no dyad are left to the user (``barometer forecasts set ID yes|no``).
  A forecast without a horizon is given ``window_days`` after its story date.

Scores (Brier 1950): the mean of (probability - outcome)^2 over resolved forecasts, 0 is perfect and 0.25 is
what always saying 50% earns. Calibration: forecasts grouped by stated probability, each group's mean
probability against the share that came true.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from barometer.errors import QueryError
from barometer.store import Store

OUTCOMES = ("yes", "no", "open")


@dataclass(frozen=True)
class Proposal:
    """A proposed outcome for one forecast, with the evidence for it."""

    forecast_key: tuple[str, int]                 # (doc_id, seq) of the forecast
    forecast: str
    probability: float
    outcome: str
    evidence: str
    evidence_key: tuple[str, int] | None = None   # (doc_id, seq) of the event, when one was found

    @property
    def id(self) -> str:
        return "%s:%d" % self.forecast_key

    @property
    def evidence_id(self) -> str | None:
        return "%s:%d" % self.evidence_key if self.evidence_key else None

    def as_row(self) -> dict[str, Any]:
        return {"id": self.id, "outcome": self.outcome, "probability": self.probability, "forecast": self.forecast,
                "evidence": self.evidence, "evidence_id": self.evidence_id}


def parse_id(value: str) -> tuple[str, int]:
    """'DOCID:SEQ' -> (doc_id, seq); raises QueryError naming the value."""
    doc_id, _, seq = value.rpartition(":")
    if not doc_id or not seq.isdigit():
        raise QueryError(f"forecast id {value!r} must look like DOCID:SEQ, as 'barometer forecasts' prints it")
    return doc_id, int(seq)


def set_outcome(store: Store, forecast_id: str, outcome: str, note: str | None = None) -> None:
    """A user's judgement: 'yes' (the event happened), 'no', or 'open' to take an outcome back."""
    if outcome not in OUTCOMES:
        raise QueryError(f"outcome {outcome!r} must be one of {', '.join(OUTCOMES)}")
    doc_id, seq = parse_id(forecast_id)
    store.set_resolution(doc_id, seq, None if outcome == "open" else outcome, "user", note=note)


def propose(store: Store, *, as_of: str | None = None, window_days: int = 365) -> list[Proposal]:
    """Outcomes for open forecasts whose event can be checked against the stored events (see module docstring)."""
    rows = store.query(
        """
        WITH now AS (SELECT coalesce(CAST(? AS DATE), (SELECT max(date) FROM documents)) AS as_of),
        open AS (
            SELECT f.doc_id, f.seq, f.text, f.probability, f.event_code, d.date AS day,
                   f.event_source_country AS a, f.event_target_country AS b,
                   coalesce(f.horizon, d.date + CAST(? AS INTEGER)) AS horizon
            FROM forecasts f JOIN documents d ON d.id = f.doc_id
            LEFT JOIN resolutions r ON r.doc_id = f.doc_id AND r.seq = f.seq
            WHERE r.doc_id IS NULL AND f.status = 'forecast' AND f.event_code IS NOT NULL
              AND f.event_source_country IS NOT NULL AND f.event_target_country IS NOT NULL
              AND f.event_source_country <> f.event_target_country AND d.date IS NOT NULL
        ),
        evidence AS (
            SELECT o.doc_id, o.seq, e.doc_id AS e_doc, e.seq AS e_seq, e.sentence, e.date,
                   row_number() OVER (PARTITION BY o.doc_id, o.seq
                                      ORDER BY e.date, (e.source_country = o.a) DESC, e.doc_id, e.seq) AS rank
            FROM open o JOIN events e
              ON e.root = left(o.event_code, 2) AND NOT e.negated AND e.doc_id <> o.doc_id
             AND e.date > o.day AND e.date <= least(o.horizon, (SELECT as_of FROM now))
             AND ((e.source_country = o.a AND e.target_country = o.b) OR (e.source_country = o.b AND e.target_country = o.a))
        )
        SELECT o.doc_id, o.seq, o.text, o.probability, o.horizon, v.e_doc, v.e_seq, v.sentence, v.date AS e_date,
               (SELECT as_of FROM now) AS as_of
        FROM open o LEFT JOIN evidence v ON v.doc_id = o.doc_id AND v.seq = o.seq AND v.rank = 1
        ORDER BY o.horizon, o.doc_id, o.seq
        """, [as_of, window_days])
    proposals = []
    for row in rows:
        key = (row["doc_id"], row["seq"])
        if row["e_doc"] is not None:
            proposals.append(Proposal(key, row["text"], row["probability"], "yes",
                                      f"{row['e_date']}: {row['sentence']}", (row["e_doc"], row["e_seq"])))
        elif row["as_of"] is not None and row["horizon"] < row["as_of"]:
            proposals.append(Proposal(key, row["text"], row["probability"], "no",
                                      f"no matching event by the horizon {row['horizon']} (stories up to {row['as_of']})"))
    return proposals


def accept(store: Store, proposals: list[Proposal]) -> None:
    """Store proposed outcomes, each with its evidence (method 'events'), in one transaction."""
    store.set_resolutions([(*p.forecast_key, p.outcome, "events", *(p.evidence_key or (None, None)), p.evidence, None)
                           for p in proposals])


def scorecards(store: Store) -> list[dict[str, Any]]:
    """Per forecaster: forecasts made, resolved, Brier score on the resolved, and mean stated probability.

    Forecasts with no named forecaster are the documents' own voice and are grouped under '(unattributed)'."""
    return store.query(
        """
        SELECT coalesce(f.forecaster_name, '(unattributed)') AS forecaster,
               mode(f.forecaster_affiliation) AS affiliation,
               count(*) AS forecasts, count(r.outcome) AS resolved,
               round(avg(power(f.probability - CASE r.outcome WHEN 'yes' THEN 1 ELSE 0 END, 2))
                     FILTER (r.outcome IS NOT NULL), 3) AS brier,
               round(avg(f.probability), 2) AS mean_probability,
               count(*) FILTER (r.outcome = 'yes') AS came_true
        FROM forecasts f LEFT JOIN resolutions r ON r.doc_id = f.doc_id AND r.seq = f.seq
        WHERE f.status = 'forecast'
        GROUP BY 1 ORDER BY resolved DESC, forecasts DESC, forecaster
        """)


def calibration(store: Store, bins: int = 5) -> list[dict[str, Any]]:
    """Resolved forecasts grouped by stated probability: the group's mean probability against how often it came true."""
    return store.query(
        """
        SELECT printf('%.1f-%.1f', bin / ?, (bin + 1) / ?) AS range, count(*) AS forecasts,
               round(avg(probability), 3) AS mean_probability,
               round(avg(CASE outcome WHEN 'yes' THEN 1.0 ELSE 0.0 END), 3) AS observed
        FROM (SELECT least(floor(f.probability * ?), ? - 1) AS bin, f.probability, r.outcome
              FROM forecasts f JOIN resolutions r ON r.doc_id = f.doc_id AND r.seq = f.seq
              WHERE f.status = 'forecast')
        GROUP BY bin ORDER BY bin
        """, [bins, bins, bins, bins])
