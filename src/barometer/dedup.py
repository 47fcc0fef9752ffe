"""Duplicates: the same article again, exactly (normalised text hash) or nearly (MinHash/LSH over word shingles).

A wire story syndicated by ten sites, or re-published with a new headline and a trimmed paragraph, is one story:
it is analysed once, and each copy is recorded as a :class:`Duplicate` linked to the first one seen.

Near: the Jaccard similarity of the two texts' sets of five-word shingles, estimated from 128-value MinHash
signatures, is at least the ``near_duplicate_threshold`` setting (0.8 by default). Candidates come from an LSH
index tuned below the threshold (so that almost no pair above it is missed) and are then checked against it.
Texts under 20 words are only compared exactly: a short note shares too few shingles to judge.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from barometer.models import Article, Duplicate
from barometer.reading import content_hash, normalise_for_hash

NUM_PERM = 128
SHINGLE = 5
MIN_WORDS = 20
_SEED = 1
_SCHEME = "affine32"   # datasketch's 32-bit permutations: the stored bytes are these uint32 values


def signature(text: str) -> bytes | None:
    """The MinHash signature of a text's five-word shingles (512 bytes), or None for a text too short to compare."""
    words = normalise_for_hash(text).split()
    if len(words) < MIN_WORDS:
        return None
    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)
    minhash.update_batch([" ".join(words[i:i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)])
    return minhash.hashvalues.astype(np.uint32).tobytes()


def _minhash(packed: bytes) -> LeanMinHash:
    return LeanMinHash(seed=_SEED, hashvalues=np.frombuffer(packed, dtype=np.uint32), scheme=_SCHEME)


class DuplicateIndex:
    """The documents seen so far (stored ones and those of this run), to tell whether a new one repeats one."""

    def __init__(self, threshold: float = 0.8) -> None:
        self.threshold = threshold
        self._by_hash: dict[str, str] = {}
        self._origins: dict[str, str] = {}
        self._minhashes: dict[str, LeanMinHash] = {}
        self._lsh = MinHashLSH(threshold=max(0.5, threshold - 0.2), num_perm=NUM_PERM, weights=(0.3, 0.7))

    def __len__(self) -> int:
        return len(self._by_hash)

    def add(self, document_id: str, digest: str, packed: bytes | None, origin: str = "") -> None:
        """Remember one document by its id, content hash and signature (None: exact comparison only)."""
        if digest in self._by_hash or document_id in self._origins:
            return
        self._by_hash[digest] = document_id
        self._origins[document_id] = origin
        if packed is not None and self.threshold < 1.0:
            self._minhashes[document_id] = minhash = _minhash(packed)
            self._lsh.insert(document_id, minhash)

    def add_all(self, rows: Iterable[tuple[str, str, bytes | None, str]]) -> None:
        """Remember many documents: (id, content hash, signature, origin) rows, e.g. from the store."""
        for row in rows:
            self.add(*row)

    def check(self, article: Article) -> Duplicate | None:
        """The Duplicate record if ``article`` repeats a document seen before, else None; remember it if new."""
        digest = content_hash(article.text)
        original = self._by_hash.get(digest)
        if original is not None:
            if original == article.id and self._origins.get(original) == article.origin:
                return Duplicate(article.origin, article.id, original, "same", 1.0, article.title, article.url)
            return Duplicate(article.origin, article.id, original, "exact", 1.0, article.title, article.url)
        packed = signature(article.text)
        if packed is not None and self._minhashes:
            minhash = _minhash(packed)
            scored = [(minhash.jaccard(self._minhashes[key]), key) for key in self._lsh.query(minhash)]
            best = max(scored, default=None)
            if best is not None and best[0] >= self.threshold:
                return Duplicate(article.origin, article.id, best[1], "near", round(best[0], 3), article.title,
                                 article.url)
        self.add(article.id, digest, packed, article.origin)
        return None
