"""Read a TOML file tfgen was told (or is documented) to read: one line naming the file on any problem."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from tfgen.errors import UsageError
from tfgen.safe_read import NotRegularFileError, read_regular

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def read_toml(path: Path, limit: int, *, name: str | None = None, reading_as: str | None = None) -> dict[str, Any]:
    """The table in the TOML file at `path`, read with `read_regular` (bounded, no FIFOs).

    `name` is how messages about the content name the file (default: the path as given);
    `reading_as` how messages about reading it do (default: `name`).
    """
    return read_toml_text(path, limit, name=name, reading_as=reading_as)[0]


def read_toml_text(
    path: Path, limit: int, *, name: str | None = None, reading_as: str | None = None
) -> tuple[dict[str, Any], str]:
    """`read_toml`, and the text it parsed (to find a key's line: tomllib gives none)."""
    shown = name or str(path)
    try:
        raw = read_regular(path, limit)
    except NotRegularFileError as exc:
        raise UsageError(f"{reading_as or shown}: {exc.strerror}") from None
    except OSError as exc:
        raise UsageError(f"{reading_as or shown}: cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
        return tomllib.loads(text), text
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UsageError(f"{shown}:{line}: not valid UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{shown}: invalid TOML: {exc}") from None
    except RecursionError:  # tomllib recurses once per nested array or table
        raise UsageError(f"{shown}: invalid TOML: arrays or tables nested too deeply to read") from None
    except ValueError:  # tomllib's int() refuses literals of more than 4,300 digits
        raise UsageError(f"{shown}: invalid TOML: a number too long to read") from None


_HEADER = re.compile(r"\s*\[\s*([^\[\]#]+?)\s*\]\s*(?:#.*)?$")
_ASSIGNMENT = re.compile(r"\s*([A-Za-z0-9_.\"' -]+?)\s*=")


def key_line(text: str, keys: tuple[str, ...]) -> int | None:
    """The line (from 1) of TOML `text` where the key at `keys` is written: a table's header, or a plain
    `key =` under its table's header; None when not found that way (tomllib gives no positions)."""
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header:
            table = tuple(part.strip().strip("\"'") for part in header.group(1).split("."))
            if table == keys:
                return number
            continue
        match = _ASSIGNMENT.match(line)
        if match and (*table, *(p.strip().strip("\"'") for p in match.group(1).split("."))) == keys:
            return number
    return None
