"""The progress bar: only after a second, only when asked for (the CLI asks on a terminal only)."""

from __future__ import annotations

from tfgen import progress as progress_module
from tfgen.progress import TerminalProgress


def test_short_runs_show_nothing(monkeypatch) -> None:
    bar = TerminalProgress()
    bar("parse", 1, 10)
    assert bar._progress is None
    bar.close()


def test_long_runs_show_stages_and_clean_up(monkeypatch) -> None:
    monkeypatch.setattr(progress_module, "SHOW_AFTER_SECONDS", 0.0)
    bar = TerminalProgress()
    bar("parse", 1, 10)
    bar("parse", 10, 10)
    bar("checkov", 0, 1)
    assert bar._progress is not None
    [task] = bar._progress.tasks
    assert task.description == "waiting for checkov"
    bar.close()
    assert bar._progress is None


def test_the_cli_does_not_show_progress_off_a_terminal(tmp_path) -> None:
    from typer.testing import CliRunner

    from tfgen.cli import app

    (tmp_path / "main.tf").write_text('variable "a" {\n  type = string\n}\n')
    result = CliRunner().invoke(app, ["validate", str(tmp_path), "--skip-checkov"])
    assert result.exit_code == 0 and "\x1b[" not in result.stdout + result.stderr
