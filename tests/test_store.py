import duckdb
import pytest

from barometer.errors import QueryError, StoreError
from barometer.models import Actor, Analysis, Article, Event, Failure, Quote, Tone
from barometer.store import Filters, Store, parse_dyad


def _actor(code, country):
    return Actor(text=code, start=0, end=3, name=code, country=country, role=None, kind="state", code=code)


def _analysis(doc_id="d1", text="Russia expelled American diplomats.", date="2025-02-04"):
    article = Article(id=doc_id, title="T", url=None, date=date, source="S", authors=("A B",), text=text,
                      removed=("Share",), truncated=False, origin=f"{doc_id}.txt")
    event = Event(source=_actor("RUS", "RUS"), target=_actor("USAGOV", "USA"), code="161", root="16",
                  name="Reduce relations", quad_class=4, goldstein=-4.0, plover="SANCTION", verb="expelled",
                  sentence=text, start=0, end=len(text), negated=False, reported=False, date=date)
    quote = Quote(text="We will respond", start=0, end=15, kind="direct", cue="said", speaker=_actor("USAGOV", "USA"))
    return Analysis(article=article, actors=(_actor("RUS", "RUS"),), events=(event,), quotes=(quote,), forecasts=(),
                    tone=Tone(-1.0, 0.0, 1.0))


def test_store_migrations_apply_once_on_an_empty_database(tmp_path):
    path = tmp_path / "b.duckdb"
    with Store(path) as store:
        assert store.query("SELECT count(*) AS n FROM schema_migrations")[0]["n"] >= 1
        assert store.migrate() == []
    con = duckdb.connect(str(path))
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {"documents", "events", "quotes", "forecasts", "failures", "actors"} <= tables


def test_store_add_is_idempotent(tmp_path):
    with Store(tmp_path / "b.duckdb") as store:
        assert store.add(_analysis()) is True
        assert store.add(_analysis()) is False
        assert store.add(_analysis(doc_id="other-id")) is False   # same text, other id: still the same article
        assert store.counts() == {"documents": 1, "events": 1, "quotes": 1, "forecasts": 0, "failures": 0,
                                  "duplicates": 0}


def test_store_failures_replace_and_clear_on_success(tmp_path):
    with Store(tmp_path / "b.duckdb") as store:
        store.add_failure(Failure("d1.txt", "read", "empty"))
        store.add_failure(Failure("d1.txt", "read", "still empty"))
        assert [r["reason"] for r in store.failures()] == ["still empty"]
        store.add(_analysis())
        assert store.failures() == []


def test_store_queries_filter_by_dyad_and_dates(tmp_path):
    with Store(tmp_path / "b.duckdb") as store:
        store.add(_analysis())
        store.add(_analysis("d2", "China protested to Japan.", "2025-06-01"))
        assert len(store.events(Filters(dyad=("USA", "RUS")))) == 2   # the fixture codes RUS-USA twice
        assert len(store.events(Filters(dyad=("RUS", "USA"), since="2025-05-01"))) == 1
        assert store.events(Filters(dyad=("CHN", "JPN"))) == []
        assert len(store.quotes(Filters(dyad=("USA", "RUS")))) == 2
        assert len(store.events(Filters(limit=1))) == 1


def test_store_read_only_missing_database_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="ingest"):
        Store(tmp_path / "none.duckdb", read_only=True)


def test_store_parse_dyad():
    assert parse_dyad("usa-rus") == ("USA", "RUS")
    assert parse_dyad(None) is None
    with pytest.raises(QueryError, match="USA-RUS"):
        parse_dyad("USA")


def test_store_reused_id_for_other_text_is_an_error_not_a_silent_skip(tmp_path):
    with Store(tmp_path / "b.duckdb") as store:
        store.add(_analysis("same-id", "Russia expelled American diplomats."))
        with pytest.raises(StoreError, match="same-id"):
            store.add(_analysis("same-id", "China protested to Japan."))
        assert store.counts()["documents"] == 1


def test_store_queries_on_a_foreign_database_are_clear_errors(tmp_path):
    path = tmp_path / "other.duckdb"
    duckdb.connect(str(path)).execute("CREATE TABLE t (x INT)").close()
    with Store(path, read_only=True) as store, pytest.raises(StoreError, match="ingest"):
        store.events(Filters())
