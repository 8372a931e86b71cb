"""`tfgen validate`'s settings file: defaults for its long flags, kept with the repository.

The nearest `.tfgen.toml` (table `[validate]`) or `pyproject.toml` with a `[tool.tfgen]` table
(table `[tool.tfgen.validate]`), looking in the working directory, then each parent; in one
directory `.tfgen.toml` wins. Keys are the long flags without their dashes; which keys exist and
what type each takes are read from the command's own parameters, so a new flag needs no code here.
Flags on the command line win over the file. Paths are relative to the file's directory.

The file comes with the repository, so it is trusted only so far (`trust`, docs/settings-trust.md):
a setting that runs a program or writes outside the file's directory is kept out of the defaults
unless the user allowed the file, and refused unless a flag replaces it.
"""

from __future__ import annotations

import enum
import inspect
import os
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tfgen.errors import UsageError
from tfgen.tomlfile import key_line, read_toml_text
from tfgen.validate import outputs, trust

FILE_NAME = ".tfgen.toml"
PYPROJECT = "pyproject.toml"
SECTION = "validate"
# A settings file is a few hundred bytes and a pyproject.toml a few KB; 1 MiB keeps a mistaken
# file (a log, an image named pyproject.toml) from being read whole.
MAX_BYTES = 1 << 20
# str options that name a file when they hold a slash (`--checkov ./venv/bin/checkov`; without
# one it is a name looked up on PATH): relative to the settings file like the Path options.
PATH_IF_SLASH = frozenset({"checkov"})
# str options that hold a path, or `FORMAT=PATH` (`outputs.split`): the path relative to the settings file.
OUTPUT_PATHS = frozenset({"output"})
# Long flags that are not settings: `--config` names the settings file itself; `--setup-checkov`
# installs software on this machine, the machine's business and not a repository's.
NOT_SETTINGS = frozenset({"config", "setup-checkov"})


@dataclass(frozen=True)
class Flag:
    key: str  # the long flag without its dashes: the key in the file
    name: str  # the command's parameter name
    kind: Any  # the parameter's type, Optional removed, list[...] unwrapped
    multiple: bool


@dataclass(frozen=True)
class Settings:
    shown: str  # the file, relative to the working directory
    table: str  # where in it: "[validate]" or "[tool.tfgen.validate]"
    values: dict[str, Any]  # parameter name -> value, checked and with paths resolved
    # parameter name -> the one-line refusal of a setting the file may not make unless allowed
    # (`trust`): kept out of `values`, refused unless a flag gives the value instead
    untrusted: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)  # parameter name -> the value as the file wrote it
    lines: dict[str, int | None] = field(default_factory=dict)  # parameter name -> its line in the file
    keys: dict[str, str] = field(default_factory=dict)  # parameter name -> its key in the file


def flags_of(command: Callable[..., Any]) -> dict[str, Flag]:
    """Every long option of a typer command function, by key (`--skip-check` -> `skip-check`)."""
    import typer.models

    hints = typing.get_type_hints(command)
    flags: dict[str, Flag] = {}
    for name, parameter in inspect.signature(command).parameters.items():
        info = parameter.default
        if not isinstance(info, typer.models.OptionInfo):
            continue
        kind, multiple = _unwrap(hints[name])
        decls = [d.split("/")[0].strip() for d in info.param_decls or ()]
        longs = [d[2:] for d in decls if d.startswith("--")]
        for key in longs[:1] or [name.replace("_", "-")]:
            if key not in NOT_SETTINGS:
                flags[key] = Flag(key, name, kind, multiple)
    return flags


def _unwrap(hint: Any) -> tuple[Any, bool]:
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and len(args) == 1:
        hint = args[0]
    if typing.get_origin(hint) in (list, tuple) and typing.get_args(hint):
        return typing.get_args(hint)[0], True
    return hint, False


def find(start: Path) -> tuple[str, dict[str, Any], str, bool] | None:
    """The nearest settings file from `start` upwards: (name, table, text, is a pyproject.toml)."""
    for directory in (start, *start.parents):
        for file_name in (FILE_NAME, PYPROJECT):
            path = directory / file_name
            if not os.path.lexists(path):  # anything else is read_regular's to refuse, naming it
                continue
            shown = os.path.relpath(path)
            data, text = read_toml_text(path, MAX_BYTES, name=shown)
            is_pyproject = file_name == PYPROJECT
            if not is_pyproject or (isinstance(data.get("tool"), dict) and "tfgen" in data["tool"]):
                return shown, data, text, is_pyproject
    return None


def load(flags: dict[str, Flag], start: Path | None = None, *, explicit: Path | None = None) -> Settings | None:
    """The settings for `tfgen validate` from the nearest file, or None when there is none.

    `explicit` (`validate --config FILE`) is read instead of looking for one: the user named it,
    so its paths may write anywhere; a setting that runs a program still needs `tfgen allow`.
    """
    if explicit is not None:
        shown = str(explicit)
        data, text = read_toml_text(explicit, MAX_BYTES, name=shown, reading_as=f"--config {shown}")
        found: tuple[str, dict[str, Any], str, bool] | None = (shown, data, text, explicit.name == PYPROJECT)
    else:
        try:
            found = find(start or Path.cwd())
        except FileNotFoundError:  # the working directory was removed: no settings; validate names the missing PATH
            return None
    if found is None:
        return None
    shown, data, text, is_pyproject = found
    prefix = ("tool", "tfgen") if is_pyproject else ()
    for part in prefix:
        data = data[part]
        if not isinstance(data, dict):
            raise UsageError(f"{shown}: [{'.'.join(prefix)}] must be a table")
    table_name = ".".join((*prefix, SECTION))
    for key in data:
        if key != SECTION:
            where = _where(shown, text, (*prefix, key))
            raise UsageError(
                f"{where}: unknown table or key {'.'.join((*prefix, key))!r}; tfgen reads only [{table_name}]"
            )
    table = data.get(SECTION, {})
    if not isinstance(table, dict):
        raise UsageError(f"{_where(shown, text, (*prefix, SECTION))}: {table_name} must be a table")
    found_settings = Settings(shown, f"[{table_name}]", {})
    base = os.path.dirname(shown)
    allowed: bool | None = None  # read the allow list only for a setting that needs it
    for key, value in table.items():
        line = key_line(text, (*prefix, SECTION, key))
        where = f"{shown}:{line}" if line is not None else shown
        flag = flags.get(key)
        if flag is None:
            raise UsageError(f"{where}: unknown key {key!r} in [{table_name}]; known: {', '.join(sorted(flags))}")
        checked = _checked(flag, value, where, base)
        found_settings.raw[flag.name], found_settings.lines[flag.name] = value, line
        found_settings.keys[flag.name] = key
        problem = _needs_allow(key, checked, base, chosen=explicit is not None)
        if problem is not None:
            if allowed is None:
                allowed = trust.is_allowed(Path(shown), text.encode("utf-8"))
            if not allowed:
                found_settings.untrusted[flag.name] = (
                    f"{where}: {key} {problem}; tfgen honours that only from a settings file you have allowed "
                    f"(read it, then run `tfgen allow {shown}`), or from --{key}"
                )
                continue
        found_settings.values[flag.name] = checked
    return found_settings


def _parsers() -> dict[str, Callable[[Any], object]]:
    """The keys whose value the run parses further than its type, each with the parser the run uses."""
    from tfgen.checkov.run import resolve_timeout
    from tfgen.validate import shard
    from tfgen.validate.registry import selected_ids

    return {
        "shard": shard.parse,
        "checkov-timeout": resolve_timeout,
        "output": outputs.parse,
        "check": lambda ids: selected_ids(ids, "--check"),
        "skip-check": lambda ids: selected_ids(ids, "--skip-check"),
    }


def _needs_allow(key: str, value: Any, base: str, *, chosen: bool) -> str | None:
    """Why a repository's file may not make this setting unless the user allowed it, or None.

    A file the user `chosen` (`--config`) may write anywhere; nothing in any file runs a program
    unless the user allowed those very bytes.
    """
    if key in trust.RUNS_PROGRAM:
        return f"runs a program ({value!r})"[:200]
    if chosen:
        return None
    for item in value if isinstance(value, list) else [value]:
        path = outputs.split(item)[1] if key in OUTPUT_PATHS and isinstance(item, str) else item
        if key in trust.WRITES and isinstance(path, str) and trust.writes_outside(path, base):
            return f"writes outside the repository ({item!r})"[:200]
    return None


def _checked(flag: Flag, value: Any, where: str, base: str) -> Any:
    if flag.multiple:
        items = value if isinstance(value, list) else [value]
        checked = [_one(flag, item, where, base) for item in items]
    else:
        checked = _one(flag, value, where, base)
    parse = _parsers().get(flag.key)
    if parse is not None:  # refused here, where the file and line are known, not later under the flag's name
        try:
            parse(checked)
        except UsageError as exc:
            raise UsageError(f"{where}: {exc}") from None
    return checked


def _one(flag: Flag, value: Any, where: str, base: str) -> Any:
    kind = flag.kind
    expected: str
    if kind is bool:
        ok, expected = isinstance(value, bool), "true or false"
    elif kind is int:
        ok, expected = isinstance(value, int) and not isinstance(value, bool), "an integer"
    elif kind is float:
        ok, expected = isinstance(value, (int, float)) and not isinstance(value, bool), "a number"
        value = float(value) if ok else value
    elif isinstance(kind, type) and issubclass(kind, enum.Enum):
        choices = [str(m.value) for m in kind]
        ok, expected = isinstance(value, str) and value in choices, "one of " + ", ".join(choices)
    else:
        ok, expected = isinstance(value, str), "a string"
        if ok and "\0" in value:  # TOML can write one ("\u0000"); no path or argument can hold it
            raise UsageError(f"{where}: {flag.key} holds a NUL character, which no path or argument can")
        if ok and flag.key in OUTPUT_PATHS:
            value = outputs.settings_path(value, lambda path: _relative_to(base, path))
        elif ok and (kind is Path or (flag.name in PATH_IF_SLASH and "/" in value)):
            value = _relative_to(base, value)
    if not ok:
        what = expected + " (or a list of them)" if flag.multiple else expected
        raise UsageError(f"{where}: {flag.key} must be {what}, not {_type_name(value)} {value!r}"[:300])
    return value


def _relative_to(base: str, path: str) -> str:
    """A path the settings file wrote, from the working directory (the file's directory is `base`)."""
    return os.path.normpath(os.path.join(base, path)) if base and not os.path.isabs(path) else path


def _type_name(value: Any) -> str:
    return {bool: "boolean", int: "integer", float: "number", str: "string", list: "array", dict: "table"}.get(
        type(value), "date/time"
    )


def _where(shown: str, text: str, keys: tuple[str, ...]) -> str:
    """`file:line` of the key (best effort: `tomlfile.key_line`), else `file`."""
    line = key_line(text, keys)
    return f"{shown}:{line}" if line is not None else shown
