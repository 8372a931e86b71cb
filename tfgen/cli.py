"""The typer layer: parse flags, call the API, map TfgenError to one line and an exit code."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from tfgen import __version__, checkov_env
from tfgen.errors import TfgenError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Generate and validate Terraform for a secure AWS account baseline.",
)


def _fail(exc: TfgenError) -> None:
    typer.echo(f"tfgen: error: {exc}", err=True)
    raise typer.Exit(exc.exit_code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tfgen {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """tfgen: the four practices (iam, secrets, encryption, audit) as Terraform."""


@app.command("setup-checkov")
def setup_checkov(
    env_dir: Optional[Path] = typer.Option(None, "--env-dir", help="Where to create the environment (default: beside tfgen's interpreter)."),
) -> None:
    """Create the pinned checkov environment tfgen runs as a subprocess."""
    try:
        executable = checkov_env.install(env_dir)
    except TfgenError as exc:
        _fail(exc)
    typer.echo(f"checkov {checkov_env.CHECKOV_VERSION}: {executable}")


def main() -> None:
    app()
