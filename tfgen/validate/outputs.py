"""`--output`: where validate's reports go, one run writing several (`-o sarif=a.sarif -o json=b.json`).

A value is `FORMAT=PATH` when it starts with one of `formats.FORMATS` and `=`; anything else is a
PATH for the report in `--format`. A file literally named `json=x` is written as `./json=x`.
Reports named `FORMAT=PATH` are added to the run's report; the `--format` report goes to stdout
unless a plain `--output PATH` takes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tfgen.errors import UsageError
from tfgen.validate.formats import FORMATS


@dataclass(frozen=True)
class Output:
    format: str | None  # None: the report in --format
    path: Path
    typed: str  # as given, for messages


def split(value: str) -> tuple[str | None, str]:
    """`"sarif=a.sarif"` -> `("sarif", "a.sarif")`; `"a.sarif"` -> `(None, "a.sarif")`."""
    name, sep, rest = value.partition("=")
    if sep and name in FORMATS:
        return name, rest
    return None, value


def parse(values: list[str] | tuple[str, ...]) -> tuple[Output, ...]:
    """Each `--output` value, checked: a path given, no file named twice (one report would overwrite another)."""
    outputs: list[Output] = []
    seen: dict[str, str] = {}
    for value in values:
        report_format, path = split(value)
        if not path:
            raise UsageError(f"--output {value}: no path after '='; write --output FORMAT=PATH")
        key = str(Path(path).resolve())
        if key in seen:
            raise UsageError(f"--output {value}: {seen[key]} writes that file already; give each report its own file")
        seen[key] = value
        outputs.append(Output(report_format, Path(path), value))
    return tuple(outputs)


def settings_path(value: str, resolve: Callable[[str], str]) -> str:
    """A settings file's `output` value with its PATH resolved by `resolve` (relative to the file)."""
    report_format, path = split(value)
    resolved = resolve(path)
    return resolved if report_format is None else f"{report_format}={resolved}"
