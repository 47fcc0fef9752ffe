"""Shared fixtures: the English pipeline (loaded once) and a helper that analyses a short text."""

from __future__ import annotations

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
