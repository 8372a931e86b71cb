"""A progress bar for long runs, on a terminal only (stderr), fed by the engine's callback."""

from __future__ import annotations

import time
from typing import Any

SHOW_AFTER_SECONDS = 1.0  # short runs never flash a bar


class TerminalProgress:
    def __init__(self, *, color: bool = True) -> None:
        self._color = color  # False: --no-color (rich itself honours NO_COLOR)
        self._progress: Any = None
        self._task: Any = None
        self._stage = ""
        self._started = time.monotonic()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self._progress is None:
            if time.monotonic() - self._started < SHOW_AFTER_SECONDS:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                console=Console(stderr=True, no_color=not self._color), transient=True,
            )
            self._progress.start()
        if stage != self._stage:
            self._stage = stage
            description = "parsing files" if stage == "parse" else "waiting for checkov"
            if self._task is not None:
                self._progress.remove_task(self._task)
            self._task = self._progress.add_task(description, total=total or None)
        self._progress.update(self._task, completed=done, total=total or None)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
