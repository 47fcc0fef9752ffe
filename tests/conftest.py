"""Shared fixtures: the English pipeline (loaded once), a helper that analyses a short text, and the example corpus
ingested once (tests that write to it work on a copy)."""

from __future__ import annotations

from pathlib import Path

import pytest

from barometer.models import Analysis
from barometer.nlp import load_pipeline
from barometer.pipeline import analyze_text
from barometer.settings import Settings


@pytest.fixture(scope="session")
def nlp():
    return load_pipeline(Settings().spacy_model)


@pytest.fixture(scope="session")
def analyse(nlp):
    def _analyse(text: str, date: str = "2025-03-04") -> Analysis:
        return analyze_text(text, date=date)
    return _analyse


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory):
    from typer.testing import CliRunner

    from barometer.cli import app

    db = tmp_path_factory.mktemp("corpus") / "corpus.duckdb"
    corpus = Path(__file__).parents[1] / "examples" / "corpus"
    result = CliRunner().invoke(app, ["ingest", str(corpus), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db
