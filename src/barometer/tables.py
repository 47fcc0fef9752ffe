"""Loading the plain TSV data files that sit in ``barometer/data``, validated at load."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from barometer.errors import KnowledgeError

DATA_DIR = Path(__file__).parent / "data"


def read_tsv(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of a TSV file whose header names ``columns`` (in that order); '#' lines before the header are comments."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise KnowledgeError(f"{path}: cannot read data file: {exc}") from None
    return parse_tsv(lines, columns, path)


def parse_tsv(lines: list[str], columns: tuple[str, ...], path: Path) -> list[dict[str, str]]:
    """:func:`read_tsv` over lines already read; ``path`` names the file in errors."""
    rows: list[dict[str, str]] = []
    header: list[str] | None = None
    for number, line in enumerate(lines, start=1):
        if not line.strip() or (header is None and line.startswith("#")):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if header is None:
            header = cells
            if tuple(header[: len(columns)]) != columns:
                raise KnowledgeError(f"{path}:{number}: header must start with {'/'.join(columns)}, got {'/'.join(header)}")
            continue
        if len(cells) > len(header):
            raise KnowledgeError(f"{path}:{number}: {len(cells)} columns, header has {len(header)}")
        cells += [""] * (len(header) - len(cells))
        rows.append(dict(zip(header, cells)) | {"_line": str(number)})
    if header is None:
        raise KnowledgeError(f"{path}: data file has no header line")
    return rows


@cache
def data_table(name: str, columns: tuple[str, ...]) -> tuple[dict[str, str], ...]:
    """A built-in data file by name, loaded once per process."""
    return tuple(read_tsv(DATA_DIR / name, columns))


def by_longest_prefix(table: dict[str, str], code: str) -> str | None:
    """The value of the longest key of ``table`` that ``code`` starts with (CAMEO codes nest by prefix)."""
    for length in range(len(code), 0, -1):
        if code[:length] in table:
            return table[code[:length]]
    return None


def split_list(cell: str) -> list[str]:
    """The '|'-separated values of a cell, blanks dropped."""
    return [part.strip() for part in cell.split("|") if part.strip()]
