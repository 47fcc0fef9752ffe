"""Barometer's errors, one hierarchy for the whole package.

    BarometerError                 every error Barometer raises on purpose
    ├── SettingsError              a setting has a bad name or value
    ├── KnowledgeError             a data file (lexicon, actor table, ontology) is malformed
    ├── InputError                 an input could not be read or parsed
    │   ├── UnreadableInputError   the bytes cannot be had (missing file, permission, bad gzip)
    │   └── UnsupportedInputError  the bytes are not a document (binary, empty, bad JSON line)
    ├── StoreError                 the DuckDB store cannot be opened or migrated
    ├── QueryError                 a value asked for (country, dyad, status, id, outcome) is malformed
    ├── NotFoundError              a record asked for by its id is not in the store
    └── OutputError                a result cannot be written where it was asked to go (export, digest, plot)

Library code raises these; the CLI prints ``Error: <message>`` and exits non-zero, and the
runner turns any error on one document into a ``Failure`` row naming the stage, and the batch goes on.
"""

from __future__ import annotations


class BarometerError(Exception):
    """Something Barometer detected and can explain; the message says what to do."""


class SettingsError(BarometerError):
    """A setting is unknown or its value has the wrong type; fix the flag, env var or config file."""


class KnowledgeError(BarometerError):
    """A data file is malformed; the message names the file and line to correct."""


class InputError(BarometerError):
    """An input could not be turned into a document; the message names the input and the reason."""

    def __init__(self, origin: str, reason: str) -> None:
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason


class UnreadableInputError(InputError):
    """The input's bytes cannot be read; check that the path exists and is readable."""


class UnsupportedInputError(InputError):
    """The input was read but is not a document Barometer can analyse (binary, empty, malformed)."""


class StoreError(BarometerError):
    """The DuckDB store cannot be opened or migrated; check the path and that no other writer holds it."""


class QueryError(BarometerError):
    """A value given to a query (a country code, dyad, status, forecast id or outcome) is malformed; the message
    says the form it takes."""


class NotFoundError(BarometerError):
    """No record with the id asked for; list the records to find the right id."""


class OutputError(BarometerError):
    """An output path cannot be written, or an output format is unknown; the message names the path or value."""
