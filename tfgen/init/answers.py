"""`tfgen init`'s answers: an earlier render's saved answers, `--config`, then the flags (later wins).

In a terminal every answer none of them gives is asked (`init.prompts`); off a terminal a missing
required answer is a usage error naming the flags to pass; with `--non-interactive` nothing is asked
and `config.build_config` refuses a missing one. The CLI only parses the flags into `Given`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tfgen.errors import UsageError
from tfgen.init.config import (
    PROTON_ROLE_KEYS,
    QUESTION_BY_NAME,
    REQUIRED,
    AnswersFile,
    BaselineConfig,
    build_config,
    from_flag,
    load_toml,
)


@dataclass(frozen=True)
class Given:
    """What init's flags say about the answers (None: not given)."""

    account_id: str | None = None
    region: str | None = None
    name: str | None = None
    config_file: Path | None = None
    proton_roles: bool = False  # --proton-roles: both PROTON_ROLE_KEYS on
    # The flags of `config.FLAGGED` answers as typed (`--regions eu-west-1,us-east-1`, a boolean
    # flag's True/False), by answer name; None or absent: not given.
    answers: Mapping[str, str | bool | None] = field(default_factory=dict)

    def flags(self) -> dict[str, Any]:
        flags: dict[str, Any] = {"account_id": self.account_id, "region": self.region, "name": self.name}
        if self.proton_roles:
            flags.update(dict.fromkeys(PROTON_ROLE_KEYS, True))
        flags.update({name: from_flag(name, value) for name, value in self.answers.items() if value is not None})
        return flags


def gather(
    out: Path,
    given: Given,
    saved: Mapping[str, Any],
    *,
    non_interactive: bool,
    terminal: bool,
    reconfigure: bool = False,
    saved_in: str | None = None,
) -> BaselineConfig:
    """The validated answers for a render into `out`; KeyboardInterrupt at a question propagates.

    `saved`: the answers of an earlier render into `out` (`api.saved_answers`), read from
    `saved_in` (named in front of the errors they cause, e.g. `OUT/.tfgen/manifest.json: inputs`).
    `terminal`: stdin is a terminal, so questions can be asked (unless `non_interactive`).
    `reconfigure`: ask every question no flag or `--config` answers, offering the saved answer.
    """
    if reconfigure:
        if not terminal:
            raise UsageError("--reconfigure asks every question again: it needs a terminal")
        if non_interactive:  # only through the API: the CLI's update has no --non-interactive
            raise UsageError("reconfigure asks every question again: it cannot be non-interactive")
        from tfgen.init import prompts

        config = _answers_file(given)
        unasked = {k: v for k, v in saved.items() if k not in QUESTION_BY_NAME}  # kept as they are
        layers: list[Mapping[str, Any]] = [unasked, config.answers]
        flags = given.flags()
        merged = {k: v for layer in (*layers, flags) for k, v in layer.items() if v is not None}
        asked = prompts.ask(merged, out=str(out), defaults=saved)
        return build_config(*layers, {**flags, **asked}, sources=[saved_in, config.places])
    config = _answers_file(given)
    layers = [saved, config.answers]
    flags = given.flags()
    merged = {k: v for layer in (*layers, flags) for k, v in layer.items() if v is not None}
    if not non_interactive and terminal:
        from tfgen.init import prompts  # only a terminal asks

        flags = {**flags, **prompts.ask(merged, out=str(out))}
    elif not non_interactive:
        missing = [k for k in REQUIRED if not merged.get(k)]
        if missing:
            raise UsageError(
                "not a terminal, cannot prompt: pass "
                + ", ".join("--" + m.replace("_", "-") for m in missing)
                + " (and --non-interactive in scripts)"
            )
    return build_config(*layers, flags, sources=[saved_in, config.places])


def _answers_file(given: Given) -> AnswersFile:
    return load_toml(given.config_file) if given.config_file else AnswersFile({}, {})
