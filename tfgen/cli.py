"""The typer layer: parse flags, call the API, map TfgenError to one line and an exit code."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import sys

import typer

from tfgen import __version__, checkov_env
from tfgen.errors import TfgenError, UsageError

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


@app.command("init")
def init(
    out: Path = typer.Option(Path("."), "--out", help="Directory to render the root module into."),
    account_id: Optional[str] = typer.Option(None, "--account-id", help="12-digit AWS account id."),
    region: Optional[str] = typer.Option(None, "--region", help="AWS region, e.g. eu-west-1."),
    name: Optional[str] = typer.Option(None, "--name", help="Short DNS-safe prefix for resource names."),
    config_file: Optional[Path] = typer.Option(None, "--config", help="TOML file with any other answers (see README)."),
    non_interactive: bool = typer.Option(False, "--non-interactive", help="Never prompt; fail on a missing answer."),
    force: bool = typer.Option(False, "--force", help="Overwrite generated files that were edited since generation."),
    check: bool = typer.Option(False, "--check", help="Write nothing; exit 1 if a re-render would change the tree."),
    checkov: Optional[str] = typer.Option(None, "--checkov", help="checkov executable (default: $TFGEN_CHECKOV, then tfgen's environment)."),
    skip_checkov: bool = typer.Option(False, "--skip-checkov", help="Skip the checkov verification of the render."),
) -> None:
    """Render the secure account baseline (iam, secrets, encryption, audit) as a Terraform root module."""
    from tfgen import api
    from tfgen.config import build_config, load_toml
    from tfgen.regions import all_regions

    try:
        layers = [api.saved_answers(out), load_toml(config_file) if config_file else {}]
        flags = {"account_id": account_id, "region": region, "name": name}
        merged = {k: v for layer in (*layers, flags) for k, v in layer.items() if v is not None}
        if not non_interactive and sys.stdin.isatty():
            prompts = {
                "account_id": "AWS account id (12 digits)",
                "region": f"AWS region ({', '.join(all_regions()[:3])}, ...)",
                "name": "Name prefix (DNS-safe, e.g. acme)",
            }
            for key, text in prompts.items():
                if not merged.get(key):
                    flags[key] = typer.prompt(text)
        elif not non_interactive:
            missing = [k for k in ("account_id", "region", "name") if not merged.get(k)]
            if missing:
                raise UsageError(
                    "not a terminal, cannot prompt: pass " + ", ".join("--" + m.replace("_", "-") for m in missing) + " (and --non-interactive in scripts)"
                )
        config = build_config(*layers, flags)
        result = api.init_baseline(config, out, force=force, check=check, run_checkov=not (skip_checkov or check), checkov=checkov)
    except TfgenError as exc:
        _fail(exc)
    p = result.plan
    if check:
        typer.echo(f"tfgen: {out} is up to date ({len(p.unchanged)} files)")
        return
    counts = f"{len(p.new)} new, {len(p.modified)} changed, {len(p.stale)} removed, {len(p.unchanged)} unchanged"
    typer.echo(f"tfgen: rendered {len(p.files)} files into {out} ({counts}); every file parsed back and matched its blueprint")
    if result.checkov:
        c = result.checkov
        typer.echo(f"tfgen: checkov {c.passed} passed, {c.failed} failed, {c.skipped} skipped (each skip carries an inline reason)")


def main() -> None:
    app()
