"""`tfgen init`'s questions in a terminal, asked like copier: from `config.QUESTIONS`, one at a time.

Each answer is checked as it is typed (by the validator `build_config` uses) and asked again with
the reason; Enter keeps the default shown in brackets; a summary is confirmed before anything is
rendered. Prompts, errors and the summary go to stderr, so stdout keeps only init's result.
Ctrl-C propagates as KeyboardInterrupt (the CLI exits 130 with nothing written).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any, TextIO

from tfgen.errors import InvalidValueError, UsageError
from tfgen.init import config, regions
from tfgen.printable import printable


class Declined(UsageError):
    """The user answered no at the summary: nothing is rendered."""


def _read_line(stdin: TextIO, what: str) -> str:
    line = stdin.readline()
    if not line:  # Ctrl-D: no answer will ever come
        raise UsageError(f"no answer for {what} (end of input); nothing written")
    return line.rstrip("\r\n")


def _ask_one(name: str, partition: str | None, stdin: TextIO, err: TextIO, default: Any = None) -> Any:
    question = config.QUESTION_BY_NAME[name]
    default = config.default_of(name) if default is None else default
    if default is None:
        hint = ""
    elif isinstance(default, bool):
        hint = " [Y/n]" if default else " [y/N]"
    else:
        hint = f" [{printable(config.shown(name, default))}]"
    while True:
        err.write(f"{question.prompt}{hint}: ")
        err.flush()
        text = _read_line(stdin, name)
        if not text.strip():
            if default is not None:
                return default
            err.write(f"  {name}: an answer is required\n")
            continue
        try:
            return config.parse_typed(name, text, partition)
        except InvalidValueError as exc:
            err.write(f"  {printable(str(exc))}; try again\n")


def ask(
    given: Mapping[str, Any],
    stdin: TextIO = sys.stdin,
    err: TextIO = sys.stderr,
    *,
    out: str = ".",
    defaults: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Answers for every question `given` (flags, `--config`, saved answers) leaves open.

    Given answers are checked first, so a bad `--config` value stops init before any question.
    When nothing was asked, nothing is confirmed (a re-run with saved answers stays quiet).
    `defaults`: answers offered in [brackets] instead of the built-in defaults (`tfgen update
    --reconfigure` offers the tree's saved answers).
    """
    defaults = defaults or {}
    answers: dict[str, Any] = {}
    region = given.get("region")
    partition = regions.partition_of(region) if isinstance(region, str) else None
    for question in config.QUESTIONS:
        if given.get(question.name) is not None:
            answers[question.name] = config.check_answer(question.name, given[question.name], partition)
    asked = False
    for question in config.QUESTIONS:
        if question.name in answers:
            continue
        if not asked:
            err.write("tfgen init: Enter keeps the answer in [brackets]; Ctrl-C stops without writing anything.\n")
        asked = True
        offered = defaults.get(question.name)
        if offered is not None:
            offered = config.check_answer(question.name, offered, partition)
        answers[question.name] = _ask_one(question.name, partition, stdin, err, offered)
        if question.name == "region":
            partition = regions.partition_of(answers["region"])
    if asked:
        _confirm(answers, stdin, err, out)
    return answers


def _confirm(answers: Mapping[str, Any], stdin: TextIO, err: TextIO, out: str) -> None:
    width = max(len(q.name) for q in config.QUESTIONS)
    err.write(f"\ntfgen init will render into {printable(out)} with:\n")
    for question in config.QUESTIONS:
        err.write(f"  {question.name:<{width}}  {printable(config.shown(question.name, answers[question.name]))}\n")
    while True:
        err.write("Render with these answers? [Y/n]: ")
        err.flush()
        text = _read_line(stdin, "the confirmation").strip().lower()
        if text in ("", "y", "yes"):
            return
        if text in ("n", "no"):
            raise Declined("not confirmed; nothing written")
        err.write("  answer y or n\n")
