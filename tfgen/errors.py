"""One exception hierarchy; the CLI maps each class to an exit code and prints one line."""

from __future__ import annotations

from pathlib import Path

EXIT_OK = 0
EXIT_FINDINGS = 1  # failed findings, or a user error such as edited files in the way
EXIT_USAGE = 2  # bad flags or values, or a broken environment (checkov, terraform)
EXIT_INTERRUPTED = 130  # Ctrl-C at a prompt (128 + SIGINT, as shells report it); nothing written


class TfgenError(Exception):
    """Base class: its message is the single line the user sees."""

    exit_code: int = EXIT_FINDINGS


class UsageError(TfgenError):
    """A flag, path or configuration value that tfgen cannot accept."""

    exit_code = EXIT_USAGE


class Interrupted(TfgenError):
    """Ctrl-C: the message says what was (not) written; the CLI prints it without "error:"."""

    exit_code = EXIT_INTERRUPTED


class InvalidValueError(UsageError):
    """One input field failed validation; the message names the field."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class EnvironmentProblem(TfgenError):
    """Something tfgen runs (checkov, terraform) is missing or broke."""

    exit_code = EXIT_USAGE


class CheckovError(EnvironmentProblem):
    """checkov is missing, crashed, or printed something tfgen cannot read."""


class InputFileError(TfgenError):
    """A file tfgen had to read is unreadable, not UTF-8, or not valid HCL."""

    def __init__(self, path: Path | str, line: int | None, problem: str) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {problem}")
        self.path = str(path)
        self.line = line
        self.problem = problem


class HclSyntaxError(InputFileError):
    """python-hcl2 could not parse the file."""


class UserEditsError(TfgenError):
    """Generated files were edited since generation; re-rendering would lose the edits."""

    def __init__(self, paths: list[str]) -> None:
        listed = ", ".join(paths)
        super().__init__(
            f"refusing to overwrite {len(paths)} file(s) changed since generation: {listed} "
            "(tfgen update merges a new render into them; --force overwrites them, "
            "keeping a copy under .tfgen/replaced/)"
        )
        self.paths = paths


class ForeignFilesError(TfgenError):
    """Files tfgen never wrote are where it would write; even --force leaves them alone."""

    def __init__(self, paths: list[str]) -> None:
        super().__init__(
            f"refusing to replace {len(paths)} file(s) tfgen did not write: {', '.join(paths)} "
            "(move them away; --force overwrites only files tfgen generated)"
        )
        self.paths = paths


class DriftError(TfgenError):
    """`tfgen init --check`: a re-render would change the tree; `diff`, a unified diff of it when asked for."""

    def __init__(self, message: str, diff: str = "") -> None:
        super().__init__(message)
        self.diff = diff


class InternalError(TfgenError):
    """A rendered file does not say what the blueprint meant; nothing was written."""
