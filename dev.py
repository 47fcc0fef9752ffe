#!/usr/bin/env python3
"""Set up and run Barometer from a fresh clone with nothing but Python 3.11+.

    python3 dev.py demo    install (first time), ingest the example corpus, end with the USA–RUS barometer
    python3 dev.py test    install (first time), run the test suite

The environment lives in .venv; it is (re)installed from requirements.lock whenever that file or
pyproject.toml changes. Extra arguments after 'test' go to pytest.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".barometer-install"
DEMO_DB = ROOT / "out" / "demo.duckdb"


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for name in ("requirements.lock", "pyproject.toml"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def _run(*args: str | Path, check: bool = True) -> int:
    return subprocess.run([str(a) for a in args], cwd=ROOT, check=check).returncode


def install() -> None:
    """Create .venv and install the locked dependencies and the package, unless already current."""
    if sys.version_info < (3, 11):
        sys.exit(f"Barometer needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    fingerprint = _fingerprint()
    if STAMP.exists() and STAMP.read_text() == fingerprint and PYTHON.exists():
        return
    print("Setting up .venv (first run, or the dependencies changed) ...", file=sys.stderr)
    if not PYTHON.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    pip = (PYTHON, "-m", "pip", "install", "--disable-pip-version-check", "-qq")
    # the lock pins every package, so pip need not resolve anything (its resolver trips over two spellings of
    # one extra, lxml[html-clean] and lxml[html_clean], that readability-lxml and trafilatura ask for)
    _run(*pip, "--no-deps", "-r", ROOT / "requirements.lock")
    _run(*pip, "--no-deps", "-e", ROOT)
    STAMP.write_text(fingerprint)


def demo() -> int:
    """Ingest the example corpus into out/demo.duckdb, resolve forecasts, write a digest and a plot, and end with the
    USA–RUS barometer and its turning point."""
    DEMO_DB.parent.mkdir(exist_ok=True)
    DEMO_DB.unlink(missing_ok=True)
    barometer = BIN / "barometer"
    code = _run(barometer, "ingest", ROOT / "examples" / "corpus", "--db", DEMO_DB, check=False)
    if code not in (0, 1):
        return code
    print("\nLatest USA–RUS events:")
    _run(barometer, "events", "--dyad", "USA-RUS", "--since", "2025-07-01", "--limit", "8", "--db", DEMO_DB)
    print("\nForecasts resolved against the events coded later:")
    _run(barometer, "forecasts", "resolve", "--accept", "--db", DEMO_DB)
    out = DEMO_DB.parent
    _run(barometer, "digest", "--dyad", "USA-RUS", "--by", "month", "--format", "html", "--out", out / "digest.html",
         "--db", DEMO_DB)
    _run(barometer, "digest", "--dyad", "USA-RUS", "--by", "month", "--out", out / "digest.md", "--db", DEMO_DB)
    print("\nThe USA–RUS barometer, month by month:")
    _run(barometer, "dyad", "USA", "RUS", "--by", "month", "--plot", out / "usa-rus.png", "--db", DEMO_DB)
    print(f"\nThe store is {DEMO_DB.relative_to(ROOT)}; the digest {(out / 'digest.html').relative_to(ROOT)} "
          f"(and .md); the chart {(out / 'usa-rus.png').relative_to(ROOT)}.\n"
          f"See it all in the dashboard: {(BIN / 'barometer').relative_to(ROOT)} serve --db {DEMO_DB.relative_to(ROOT)}")
    return 0


def test(extra: list[str]) -> int:
    """Run the test suite with pytest."""
    return _run(PYTHON, "-m", "pytest", *extra, check=False)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"demo", "test", "install"}:
        print(__doc__, file=sys.stderr)
        return 2
    install()
    if argv[0] == "demo":
        return demo()
    if argv[0] == "test":
        return test(argv[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
