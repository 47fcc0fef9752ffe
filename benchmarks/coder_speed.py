"""How fast the coding stage runs, parse excluded: sentences per second for actor resolution and event coding
on parsed documents, against the spaCy parse of the same text in the same run.

    .venv/bin/python benchmarks/coder_speed.py                  # about 5,000 sentences, under a minute
    .venv/bin/python benchmarks/coder_speed.py --sentences 500  # smoke run

The text is the project's example corpus (examples/corpus), read as ingest reads it, repeated until there
are enough sentences. Every document is parsed once with ``nlp.pipe`` (the baseline, timed), then the
coding stage runs over the parsed documents ``--repeat`` times; the best run counts, as the others only add
noise from the machine. The coding stage is single-threaded Python: the figure is for one core.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PETRARCH2_PUBLISHED = 900_000 / 3600     # sentences per second, PETRARCH-2's published rate (not measured here)
TARGET = 2_500


def _texts() -> list[tuple[str, str | None]]:
    from barometer.inputs import iter_sources
    from barometer.models import Failure
    from barometer.reading import read_source

    texts = []
    for source in iter_sources([str(ROOT / "examples" / "corpus")]):
        if isinstance(source, Failure):
            continue
        article = read_source(source)
        texts.append((article.text, article.date))
    if not texts:
        sys.exit("no documents in examples/corpus")
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=5000, help="at least this many sentences (default 5000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of the coding stage (default 5)")
    parser.add_argument("--dictionary", "-d", action="append", default=[],
                        help="user dictionary to load (actors, agents, or a PETRARCH verb file), as ingest -d does "
                             "(repeatable)")
    args = parser.parse_args()

    from barometer.actors import knowledge_base, resolve_actors
    from barometer.events import code_events
    from barometer.lexicon import lexicon_for
    from barometer.nlp import load_pipeline
    from barometer.settings import Settings

    nlp = load_pipeline(Settings().spacy_model)
    texts = _texts()
    warm = [nlp(text) for text, _ in texts]                   # warm up, and count sentences per document
    per_round = sum(len(list(doc.sents)) for doc in warm)
    rounds = max(1, -(-args.sentences // per_round))
    batch = [item for _ in range(rounds) for item in texts]
    kb = knowledge_base(tuple(args.dictionary))
    lexicon = lexicon_for(kb.dictionaries)
    for doc, (_, day) in zip(warm, texts):                    # build matchers and caches outside the timing
        code_events(doc, resolve_actors(doc, day, nlp, kb), day, lexicon)

    start = time.perf_counter()
    docs = list(nlp.pipe((text for text, _ in batch), batch_size=32))
    parse_seconds = time.perf_counter() - start
    sentences = sum(len(list(doc.sents)) for doc in docs)
    days = [day for _, day in batch]

    actor_runs, event_runs, events_found = [], [], 0
    for _ in range(args.repeat):
        start = time.perf_counter()
        actors = [resolve_actors(doc, day, nlp, kb) for doc, day in zip(docs, days)]
        middle = time.perf_counter()
        events = [code_events(doc, found, day, lexicon) for doc, found, day in zip(docs, actors, days)]
        end = time.perf_counter()
        actor_runs.append(middle - start)
        event_runs.append(end - middle)
        events_found = sum(len(e) for e in events)

    runs = {"actors (resolve_actors)": actor_runs, "events (code_events)": event_runs,
            "coding stage (actors + events)": [a + e for a, e in zip(actor_runs, event_runs)]}
    parse_rate = sentences / parse_seconds
    print(f"documents {len(docs):,} ({len(texts)} distinct, x{rounds}), sentences {sentences:,}, "
          f"events coded {events_found:,}, model {Settings().spacy_model}, cpus {os.cpu_count()}, "
          f"user dictionaries {len(args.dictionary)} ({len(kb.coded):,} coded phrases, {len(kb.nouns):,} agent nouns)")
    print(f"{'stage':38} {'seconds':>9} {'sentences/s':>12}")
    print(f"{'parse (baseline: spaCy nlp.pipe)':38} {parse_seconds:9.2f} {parse_rate:12,.0f}")
    for name, seconds in runs.items():
        print(f"{name:38} {min(seconds):9.2f} {sentences / min(seconds):12,.0f}   "
              f"(median of {args.repeat}: {sentences / statistics.median(seconds):,.0f}/s)")
    coding = sentences / min(runs["coding stage (actors + events)"])
    print(f"coding stage vs parse: {coding / parse_rate:.1f}x the parser's rate")
    print(f"coding stage vs PETRARCH-2's published {PETRARCH2_PUBLISHED:,.0f} sentences/s: "
          f"{coding / PETRARCH2_PUBLISHED:.1f}x; target {TARGET:,}/s: {'met' if coding >= TARGET else 'NOT met'}")

if __name__ == "__main__":
    main()
