"""Barometer reads the news and measures relations between countries: events, quotes, forecasts, series."""

__version__ = "0.1.0"   # first, so that modules imported below may read it

from barometer.errors import BarometerError
from barometer.models import Actor, Analysis, Article, Event, Failure, Forecast, Quote, Source, Tone
from barometer.pipeline import analyze_text, run
from barometer.reading import extract_article
from barometer.settings import Settings, load_settings

__all__ = [
    "Actor", "Analysis", "Article", "BarometerError", "Event", "Failure", "Forecast", "Quote", "Settings",
    "Source", "Tone", "analyze_text", "extract_article", "load_settings", "run",
]
