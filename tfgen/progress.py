"""A progress bar for long runs, on a terminal only (stderr), fed by the engine's callback.

Shared by `tfgen validate` and `tfgen init`'s checkov self-check. The bar appears once a run has
lasted SHOW_AFTER_SECONDS, even when no further call comes: init's self-check is one checkov run
of about 9 s that reports only its start and end, and a validate run whose only checkov batch
took as long showed nothing before, because the bar was started only from a call.
"""

from __future__ import annotations

import threading
import time
from typing import Any

SHOW_AFTER_SECONDS = 1.0  # short runs never flash a bar
_DESCRIPTIONS = {"parse": "parsing files", "checkov": "waiting for checkov"}


class TerminalProgress:
    def __init__(self, *, color: bool = True) -> None:
        self._color = color  # False: --no-color (rich itself honours NO_COLOR)
        self._progress: Any = None
        self._task: Any = None
        self._stage = ""
        self._latest: tuple[str, int, int] | None = None
        self._started = time.monotonic()
        self._closed = False
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()  # the timer's thread and the caller's both draw

    def __call__(self, stage: str, done: int, total: int) -> None:
        with self._lock:
            self._latest = (stage, done, total)
            if self._progress is None:
                wait = SHOW_AFTER_SECONDS - (time.monotonic() - self._started)
                if wait > 0:
                    if self._timer is None and not self._closed:
                        self._timer = threading.Timer(wait, self._show_late)
                        self._timer.daemon = True
                        self._timer.start()
                    return
            self._draw()

    def _show_late(self) -> None:
        with self._lock:
            if not self._closed and self._progress is None and self._latest is not None:
                self._draw()

    def _draw(self) -> None:
        assert self._latest is not None
        stage, done, total = self._latest
        if self._progress is None:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True, no_color=not self._color),
                transient=True,
            )
            self._progress.start()
        if stage != self._stage:
            self._stage = stage
            if self._task is not None:
                self._progress.remove_task(self._task)
            self._task = self._progress.add_task(_DESCRIPTIONS.get(stage, stage), total=total or None)
        self._progress.update(self._task, completed=done, total=total or None)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._timer is not None:
                self._timer.cancel()
            if self._progress is not None:
                self._progress.stop()
                self._progress = None
