"""Output formats shared by the commands: table (rich) on a terminal, csv, jsonl and json for machines."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date, datetime
from typing import Any, Iterable, TextIO

from rich.console import Console
from rich.table import Table

def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def write_rows(rows: Iterable[dict[str, Any]], fmt: str, *, title: str | None = None,
               out: TextIO | None = None, max_width: int = 60) -> int:
    """Write rows in ``fmt``; returns how many were written."""
    out = out or sys.stdout
    rows = [{k: _plain(v) for k, v in row.items()} for row in rows]
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "json":
        json.dump(rows, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "csv":
        if rows:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    else:
        table = Table(title=title, show_lines=False)
        columns = list(rows[0]) if rows else []
        for column in columns:
            table.add_column(column, overflow="fold", max_width=max_width)
        for row in rows:
            table.add_row(*("" if row[c] is None else str(row[c]) for c in columns))
        Console(file=out, width=200 if not out.isatty() else None).print(table)
    return len(rows)
