import duckdb
import pytest

from barometer.errors import NotFoundError, QueryError
from barometer.models import Actor, Analysis, Article, Event, Forecast, Tone
from barometer.register import accept, calibration, propose, scorecards, set_outcome
from barometer.store import Filters, Store


def _state(code):
    return Actor(text=code, start=0, end=3, name=code, country=code, role=None, kind="state", code=code)


def _event(source, target, code, goldstein, sentence, date, negated=False):
    return Event(source=_state(source), target=_state(target), code=code, root=code[:2], name="", quad_class=4 if
                 goldstein < 0 else 1, goldstein=goldstein, plover=None, verb="", sentence=sentence, start=0,
                 end=len(sentence), negated=negated, reported=False, date=date)


def _article(doc_id, date, text):
    return Article(id=doc_id, title=None, url=None, date=date, source="Harbour Gazette", authors=(), text=text,
                   removed=(), truncated=False, origin=f"{doc_id}.txt")


def _forecast(text, probability, forecaster, event, horizon=None, status="forecast"):
    speaker = Actor(text=forecaster, start=0, end=1, name=forecaster, country=None, role=None, kind="person", code="")
    return Forecast(text=text, start=0, end=len(text), cue="will", probability=probability, polarity="positive",
                    horizon=horizon, forecaster=speaker, event=event, status=status)


def _store(tmp_path):
    """Forecasts made in March; a later story in May codes one of the predicted events."""
    expel = _event("USA", "RUS", "1663", -7.0, "Washington will expel Russian diplomats.", "2025-03-01")
    talks = _event("RUS", "USA", "036", 4.0, "Moscow will offer talks.", "2025-03-01")
    sanction = _event("USA", "IRN", "163", -8.0, "New sanctions will follow.", "2025-03-01")
    march = Analysis(
        article=_article("m1", "2025-03-01", "Forecasts of the week."), actors=(), events=(), quotes=(),
        forecasts=(_forecast(expel.sentence, 0.8, "Ines Alvarez", expel, horizon="2025-06-30"),
                   _forecast(talks.sentence, 0.3, "Ines Alvarez", talks, horizon="2025-04-30"),
                   _forecast(sanction.sentence, 0.6, "Piotr Nowak", sanction),
                   _forecast("The summit will be held on Monday.", 0.85, "Piotr Nowak", None, status="scheduled")),
        tone=Tone(0, 0, 0))
    may = Analysis(
        article=_article("y1", "2025-05-20", "Washington expelled two Russian diplomats."), actors=(), quotes=(),
        events=(_event("USA", "RUS", "1663", -7.0, "Washington did not expel anyone.", "2025-05-20", negated=True),
                _event("RUS", "USA", "1663", -7.0, "Moscow expelled two American diplomats.", "2025-05-20"),
                _event("USA", "IRN", "172", -5.0, "Washington froze Iranian accounts.", "2025-05-20")),
        forecasts=(), tone=Tone(0, 0, 0))
    store = Store(tmp_path / "b.duckdb")
    store.add(march)
    store.add(may)
    return store


def test_register_proposes_yes_from_a_later_event_and_no_when_the_horizon_passed(tmp_path):
    with _store(tmp_path) as store:
        proposals = {p.id: p for p in propose(store)}
        # sanctions: no horizon, window still open, and a freeze of accounts (172) is not a sanction (163)
        assert set(proposals) == {"m1:0", "m1:1"}
        # an expulsion either way between the two resolves it; the negated one does not
        assert proposals["m1:0"].outcome == "yes" and proposals["m1:0"].evidence_id == "y1:1"
        assert "Moscow expelled" in proposals["m1:0"].evidence
        assert proposals["m1:1"].outcome == "no" and "2025-04-30" in proposals["m1:1"].evidence
        assert propose(store, as_of="2025-04-01") == []     # nothing known yet, no horizon passed
        assert [p.outcome for p in propose(store, window_days=30)].count("no") == 2


def test_register_accepts_proposals_then_user_overrides_and_scores(tmp_path):
    with _store(tmp_path) as store:
        proposals = propose(store)
        accept(store, proposals)
        assert propose(store) == []                         # resolved forecasts are not proposed again
        accept(store, [])                                   # nothing to accept is not an error
        accept(store, proposals)                            # accepting again replaces, never duplicates
        assert store.counts()["forecasts"] == 4 and len(store.query("SELECT * FROM resolutions")) == len(proposals)
        set_outcome(store, "m1:2", "no", note="no new sanctions by December")
        rows = {r["id"]: r for r in store.forecasts(Filters())}
        assert (rows["m1:0"]["outcome"], rows["m1:0"]["resolved_by"]) == ("yes", "events")
        assert (rows["m1:2"]["outcome"], rows["m1:2"]["resolved_by"]) == ("no", "user")
        assert [r["id"] for r in store.forecasts(Filters(), "scheduled")] == ["m1:3"]
        assert {r["id"] for r in store.forecasts(Filters(), "resolved")} == {"m1:0", "m1:1", "m1:2"}
        assert store.forecasts(Filters(), "open") == []
        with pytest.raises(QueryError, match="status 'pending'"):
            store.forecasts(Filters(), "pending")
        cards = {c["forecaster"]: c for c in scorecards(store)}
        # Ines: (0.8 - 1)^2 and (0.3 - 0)^2 -> mean 0.065; Piotr: (0.6 - 0)^2; the scheduled summit is no forecast
        assert cards["Ines Alvarez"]["brier"] == pytest.approx(0.065)
        assert cards["Piotr Nowak"]["brier"] == pytest.approx(0.36) and cards["Piotr Nowak"]["forecasts"] == 1
        table = calibration(store)
        assert sum(r["forecasts"] for r in table) == 3
        assert {r["range"]: r["observed"] for r in table}["0.8-1.0"] == 1.0
        set_outcome(store, "m1:2", "open")
        assert {r["id"]: r["outcome"] for r in store.forecasts(Filters())}["m1:2"] is None


def test_register_names_bad_ids_and_outcomes(tmp_path):
    with _store(tmp_path) as store:
        with pytest.raises(QueryError, match="DOCID:SEQ"):
            set_outcome(store, "m1", "yes")
        with pytest.raises(NotFoundError, match="no forecast m1:9"):
            set_outcome(store, "m1:9", "yes")
        with pytest.raises(QueryError, match="'maybe'"):
            set_outcome(store, "m1:0", "maybe")


def test_store_from_before_the_register_is_upgraded_when_opened_read_only(tmp_path):
    with _store(tmp_path):
        pass
    path = tmp_path / "b.duckdb"
    con = duckdb.connect(str(path))   # put it back as the first release left it
    con.execute("DROP TABLE resolutions")
    con.execute("ALTER TABLE forecasts ADD COLUMN outcome VARCHAR")
    con.execute("DELETE FROM schema_migrations WHERE version = 2")
    con.close()
    with Store(path, read_only=True) as store:
        assert len(store.forecasts(Filters())) == 4
