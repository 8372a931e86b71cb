"""The typer layer: parse flags, call the API, map TfgenError to one line and an exit code."""

from __future__ import annotations

import enum
import errno
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from tfgen import __version__
from tfgen.errors import EXIT_USAGE, DriftError, EnvironmentProblem, Interrupted, TfgenError, UsageError
from tfgen.printable import printable

if TYPE_CHECKING:
    from tfgen.init.answers import Given
    from tfgen.init.api import ProgressLine
    from tfgen.validate.outputs import Output
    from tfgen.validate.report import SettingUsed

_STARTED = time.monotonic()  # `validate --debug`'s total counts from here: imports and flag parsing included

# Plain click help, not typer's rich panels: typer 0.29's rich help labels every option with its
# type, flags included (`TyperOption.display_type_rich` has no is_flag case, so `--quiet <bool>`),
# while click's help record omits the metavar of a flag. -h as well as --help, on every command.
_HELP = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _examples(*lines: str) -> str:
    """An epilog of examples; `\\b` keeps click from re-wrapping them into one paragraph."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings=_HELP,
    help="Generate and validate Terraform for a secure AWS account baseline.",
    epilog=_examples("tfgen init --out infra/baseline", "tfgen validate infra/", "tfgen explain TFGEN_IAM_1"),
)


class _Choice(str, enum.Enum):
    """A flag's choices: click checks them (a wrong one is one line, exit 2, naming them) and help lists them."""

    @classmethod
    def metavar(cls) -> str:
        return "[" + "|".join(m.value for m in cls) + "]"


class ReportFormat(_Choice):
    text = "text"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    github = "github"
    gitlab = "gitlab"
    checkstyle = "checkstyle"


class ListFormat(_Choice):
    text = "text"
    json = "json"
    markdown = "markdown"


class ExplainFormat(_Choice):
    text = "text"
    json = "json"


class Severity(_Choice):
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"


# Each choice flag's metavar as help prints it (`[text|json|sarif|junit]`), computed once here.
REPORT_FORMAT_METAVAR = ReportFormat.metavar()
LIST_FORMAT_METAVAR = ListFormat.metavar()
EXPLAIN_FORMAT_METAVAR = ExplainFormat.metavar()
SEVERITY_METAVAR = Severity.metavar()


def _fail(exc: TfgenError) -> None:
    if isinstance(exc, Interrupted):  # Ctrl-C: on a line of its own, after the prompt or progress line
        typer.echo(f"\ntfgen: {exc}", err=True)
        raise typer.Exit(exc.exit_code)
    typer.echo(f"tfgen: error: {printable(str(exc))}", err=True)  # one line, whatever a file name holds
    raise typer.Exit(exc.exit_code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tfgen {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "-v", "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """tfgen: the four practices (iam, secrets, encryption, audit) as Terraform."""


def _load_validate_settings(ctx: typer.Context, explicit: Path | None) -> Path | None:
    """The settings file's values become validate's defaults: a flag on the command line wins.

    `--config`'s callback, eager: click runs it before any other flag of validate takes its value
    (from the command line, else from `ctx.default_map`). The file is `--config FILE` when given,
    else the nearest one (`settings.find`).
    """
    from tfgen.validate import settings

    if ctx.resilient_parsing:  # shell completion: no file is read
        return explicit

    try:
        found = settings.load(settings.flags_of(validate), explicit=explicit)
    except TfgenError as exc:
        _fail(exc)
    if found is not None:
        typer.echo(f"tfgen: settings from {printable(found.shown)} {found.table}", err=True)
        ctx.default_map = {**(ctx.default_map or {}), **found.values}
        ctx.meta[_SETTINGS] = found
    return explicit


_SETTINGS = "tfgen.validate.settings"  # ctx.meta key: the settings file validate's defaults came from


def _settings_in_effect(ctx: typer.Context) -> tuple[SettingUsed, ...]:
    """Refuse a setting the file may not make unless allowed (`trust`), when no flag replaced it; the
    settings that weaken the verdict and were not replaced by a flag, for every report to show."""
    from tfgen.validate import trust
    from tfgen.validate.report import SettingUsed

    found = ctx.meta.get(_SETTINGS)
    if found is None:
        return ()

    def source(name: str) -> str | None:  # by name: typer carries its own copy of click's ParameterSource
        return getattr(ctx.get_parameter_source(name), "name", None)

    for name, refusal in found.untrusted.items():
        if source(name) != "COMMANDLINE":
            raise UsageError(refusal)
    return tuple(
        SettingUsed(found.keys[name], found.raw[name], found.shown, found.lines[name])
        for name in found.values
        if found.keys[name] in trust.WEAKENS and source(name) == "DEFAULT_MAP"
    )


class _SetupProgress:
    """setup-checkov's progress on stderr: one line rewritten in place on a terminal, else plain lines.

    Not a terminal (CI logs, dev.py's set-up): a line per phase and one per quarter of the packages.
    """

    def __init__(self, tty: bool) -> None:
        self.tty = tty
        self._open = False  # a status line is on screen, not yet ended

    def _end_line(self) -> None:
        if self._open:
            sys.stderr.write("\n")
            self._open = False

    def phase(self, text: str) -> None:
        self._end_line()
        typer.echo(f"tfgen: {printable(text)}", err=True)

    def collected(self, done: int, total: int, package: str) -> None:
        line = f"tfgen: pip: collected {done}/{total} packages"
        if self.tty:
            sys.stderr.write(f"\r\x1b[K{line} ({printable(package)})")
            sys.stderr.flush()
            self._open = True
        elif done == total or done * 4 // total != (done - 1) * 4 // total:
            typer.echo(line, err=True)

    def close(self) -> None:
        self._end_line()


# One definition for every command that runs checkov (validate, init's self-check, migrate proton's validate).
_CHECKOV_TIMEOUT: float | None = typer.Option(
    None,
    "--checkov-timeout",
    metavar="SECONDS",
    help="Stop checkov (and every process it started) after SECONDS and exit 2 (default: $TFGEN_CHECKOV_TIMEOUT, "
    "else 900).",
)


# The answer and parse-cache flags init and update share (update's override the tree's saved answers).
_ACCOUNT_ID: str | None = typer.Option(None, "--account-id", help="12-digit AWS account id.")
_REGION: str | None = typer.Option(None, "--region", help="AWS region, e.g. eu-west-1.")
_NAME: str | None = typer.Option(None, "--name", help="Short DNS-safe prefix for resource names.")
_CONFIG: Path | None = typer.Option(None, "--config", help="TOML file with any other answers (see docs/init.md).")
_PROTON_ROLES: bool = typer.Option(
    False,
    "--proton-roles",
    help="Create the AWS Proton pipeline and CodeBuild roles (off for new accounts since Proton's end of "
    "support; for estates that still reference them).",
)
_CHECKOV: str | None = typer.Option(
    None, "--checkov", help="checkov executable (default: $TFGEN_CHECKOV, then tfgen's environment)."
)
_CACHE_DIR: Path | None = typer.Option(
    None,
    "--cache-dir",
    help="Parse cache shared with validate (default: $XDG_CACHE_HOME/tfgen, else ~/.cache/tfgen).",
)
_NO_CACHE: bool = typer.Option(
    False, "--no-cache", help="Parse every rendered file afresh; neither read nor write the cache."
)


@app.command(
    "setup-checkov",
    epilog=_examples("tfgen setup-checkov", "tfgen setup-checkov --env-dir ~/.local/share/tfgen-checkov"),
)
def setup_checkov(
    env_dir: Path | None = typer.Option(
        None, "--env-dir", help="Where to create the environment (default: beside tfgen's interpreter)."
    ),
) -> None:
    """Create the pinned checkov environment tfgen runs as a subprocess."""
    from tfgen.checkov import env as checkov_env  # here: no other command needs venv and subprocess (~3 ms)

    try:
        executable, tables = _install_checkov(env_dir or checkov_env.default_env_dir())
    except TfgenError as exc:
        _fail(exc)
    typer.echo(f"checkov {checkov_env.CHECKOV_VERSION}: {executable}")
    if tables:
        typer.echo("checkov's JSONPath parse tables: in place")


def _install_checkov(target: Path) -> tuple[Path, bool]:
    """Set up the pinned checkov at `target`, saying what, where and how far on stderr; returns its
    executable and whether its parse tables are in place (checkov works without, only slower)."""
    from tfgen.checkov import env as checkov_env

    count = len(checkov_env.pinned_packages())
    typer.echo(
        f"tfgen: setting up checkov {checkov_env.CHECKOV_VERSION} and its {count - 1} pinned dependencies "
        f"in {printable(str(target))} (about a minute the first time)",
        err=True,
    )
    progress = _SetupProgress(sys.stderr.isatty())
    try:
        executable = checkov_env.install(target, progress=progress)
    finally:
        progress.close()
    progress.phase("writing parse tables for checkov's JSONPath parsers")
    try:
        checkov_env.write_parse_tables(checkov_env.interpreter_of(executable))
    except TfgenError as exc:
        typer.echo(f"tfgen: warning: {exc}; checkov will rebuild them on every run", err=True)
        return executable, False
    return executable, True


def _setup_checkov_in_cache() -> None:
    """`validate --setup-checkov`: set checkov up in the user's cache unless tfgen finds one.

    One tfgen at a time sets it up (a lock beside it; a second waits, then finds it ready); the
    environment counts only once complete (`checkov_env.COMPLETE_MARK`).
    """
    from tfgen.checkov import env as checkov_env

    target = checkov_env.cache_env_dir()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        lock = open(target.parent / f".{target.name}.lock", "w")  # noqa: SIM115  # held until set up
    except OSError as exc:
        raise EnvironmentProblem(f"cannot set checkov up in {target}: {exc.strerror or exc}") from None
    with lock:
        try:
            import fcntl

            fcntl.flock(lock, fcntl.LOCK_EX)
        except ImportError:  # not POSIX: no lock; two first runs at once may both install
            pass
        if not checkov_env.needs_setup(None):
            return
        _install_checkov(target)
        checkov_env.mark_complete(target)


def _with_answer_flags(command: Callable[..., None]) -> Callable[..., None]:
    """`command` with an option for each answer of `config.FLAGGED`, derived from its `Question`:
    a boolean as `--guardduty/--no-guardduty`, any other as `--regions TEXT` read as its prompt reads
    it. `command` gets them as `answer_flags` (answer name to value, None when not given)."""
    import functools
    import inspect

    from tfgen.init.config import FLAGGED, default_of, shown

    own = [p for p in inspect.signature(command, eval_str=True).parameters.values() if p.name != "answer_flags"]
    added = [
        inspect.Parameter(
            q.name,
            inspect.Parameter.KEYWORD_ONLY,
            annotation=bool | None if q.type == "bool" else str | None,
            default=typer.Option(
                None,
                f"{q.option}/--no-{q.option[2:]}" if q.type == "bool" else q.option,
                metavar=None if q.type == "bool" else "ITEM,..." if q.type.startswith("tuple") else "TEXT",
                help=f"{q.prompt} (default: {shown(q.name, default_of(q.name)) or 'none'}; --config key {q.name}).",
                show_default=False,
            ),
        )
        for q in FLAGGED
    ]

    @functools.wraps(command)
    def with_flags(**kwargs: Any) -> None:
        answer_flags = {q.name: kwargs.pop(q.name) for q in FLAGGED}
        command(**kwargs, answer_flags=answer_flags)

    params = [*own, *added]
    with_flags.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    with_flags.__annotations__ = {p.name: p.annotation for p in params}
    return with_flags


def _given(
    account_id: str | None,
    region: str | None,
    name: str | None,
    config_file: Path | None,
    proton_roles: bool,
    answer_flags: dict[str, str | bool | None],
) -> Given:
    """What init's and update's answer flags say (`_with_answer_flags` and the options both declare)."""
    from tfgen.init.answers import Given

    return Given(account_id, region, name, config_file, proton_roles, answer_flags)


def _start_progress() -> ProgressLine | None:
    """init's and update's progress line on stderr while checkov runs; off a terminal, none."""
    if not sys.stderr.isatty():
        return None
    from tfgen.progress import TerminalProgress

    return TerminalProgress()


@app.command(
    "init",
    epilog=_examples(
        "tfgen init                                   # in a terminal: asks for each answer",
        "tfgen init --non-interactive --account-id 123456789012 --region eu-west-1 --name acme --out infra/baseline",
        "tfgen init --check --out infra/baseline      # CI: exit 1 when a re-render would change the tree",
    ),
)
@_with_answer_flags
def init(
    out: Path = typer.Option(Path("."), "--out", help="Directory to render the root module into."),
    account_id: str | None = _ACCOUNT_ID,
    region: str | None = _REGION,
    name: str | None = _NAME,
    config_file: Path | None = _CONFIG,
    non_interactive: bool = typer.Option(False, "--non-interactive", help="Never prompt; fail on a missing answer."),
    proton_roles: bool = _PROTON_ROLES,
    force: bool = typer.Option(
        False,
        "--force",
        help="Overwrite generated files edited since generation, keeping a copy under .tfgen/replaced/ "
        "(tfgen update merges instead).",
    ),
    check: bool = typer.Option(False, "--check", help="Write nothing; exit 1 if a re-render would change the tree."),
    diff: bool = typer.Option(False, "--diff", help="With --check: print the change as a unified diff on stdout."),
    checkov: str | None = _CHECKOV,
    skip_checkov: bool = typer.Option(False, "--skip-checkov", help="Skip the checkov verification of the render."),
    checkov_timeout: float | None = _CHECKOV_TIMEOUT,
    cache_dir: Path | None = _CACHE_DIR,
    no_cache: bool = _NO_CACHE,
    *,
    answer_flags: dict[str, str | bool | None],
) -> None:
    """Render the secure account baseline (iam, secrets, encryption, audit) as a Terraform root module."""
    if diff and not check:
        _fail(UsageError("--diff goes with --check: it prints what a re-render would change"))
    from tfgen.init import api

    try:
        result = api.run(
            out,
            _given(account_id, region, name, config_file, proton_roles, answer_flags),
            non_interactive=non_interactive,
            force=force,
            check=check,
            run_checkov=not skip_checkov,
            checkov=checkov,
            checkov_timeout=checkov_timeout,
            cache_dir=cache_dir,
            no_cache=no_cache,
            start_progress=_start_progress,
            diff=diff,
        )
    except TfgenError as exc:
        if isinstance(exc, DriftError) and exc.diff:
            typer.echo(exc.diff, nl=False)
        _fail(exc)
    for warning in result.warnings:
        typer.echo(f"tfgen: warning: {warning}", err=True)
    for copy in result.replaced:
        typer.echo(f"tfgen: kept your edited file as {printable(copy)} before replacing it", err=True)
    p = result.plan
    if check:
        typer.echo(f"tfgen: {out} is up to date ({len(p.unchanged)} files)")
        return
    counts = f"{len(p.new)} new, {len(p.modified)} changed, {len(p.stale)} removed, {len(p.unchanged)} unchanged"
    typer.echo(
        f"tfgen: rendered {len(p.files)} files into {out} ({counts}); the files the answers shape parsed back "
        "and matched their blueprint"
    )
    if result.checkov:
        c = result.checkov
        typer.echo(
            f"tfgen: checkov {c.passed} passed, {c.failed} failed, {c.skipped} skipped (each skip carries an "
            "inline reason)"
        )
    _next_steps(api.next_steps(out))


def _next_steps(steps: list[str]) -> None:
    """What to do with the tree, after the result on stdout (stderr stays for notices and errors)."""
    typer.echo("next steps:")
    for number, step in enumerate(steps, 1):
        typer.echo(f"  {number}. {printable(step)}")


@app.command(
    "update",
    epilog=_examples(
        "tfgen update --out infra/baseline           # the saved answers, today's blueprints",
        "tfgen update --out infra/baseline --region eu-central-1",
        "tfgen update --out infra/baseline --reconfigure   # asks every question, today's answers as defaults",
    ),
)
@_with_answer_flags
def update(
    out: Path = typer.Option(Path("."), "--out", help="The tree tfgen init rendered."),
    account_id: str | None = _ACCOUNT_ID,
    region: str | None = _REGION,
    name: str | None = _NAME,
    config_file: Path | None = _CONFIG,
    proton_roles: bool = _PROTON_ROLES,
    reconfigure: bool = typer.Option(
        False, "--reconfigure", help="Ask every question again, the tree's answers as defaults (needs a terminal)."
    ),
    checkov: str | None = _CHECKOV,
    skip_checkov: bool = typer.Option(
        False, "--skip-checkov", help="Skip the checkov verification of the merged tree."
    ),
    checkov_timeout: float | None = _CHECKOV_TIMEOUT,
    cache_dir: Path | None = _CACHE_DIR,
    no_cache: bool = _NO_CACHE,
    *,
    answer_flags: dict[str, str | bool | None],
) -> None:
    """Render again with the tree's answers and merge the new render into the team's edits (exit 1 on a conflict)."""
    from tfgen.update import api as update_api

    try:
        result = update_api.run(
            out,
            _given(account_id, region, name, config_file, proton_roles, answer_flags),
            reconfigure=reconfigure,
            run_checkov=not skip_checkov,
            checkov=checkov,
            checkov_timeout=checkov_timeout,
            cache_dir=cache_dir,
            no_cache=no_cache,
            start_progress=_start_progress,
        )
    except TfgenError as exc:
        _fail(exc)
    for warning in result.warnings:
        typer.echo(f"tfgen: warning: {warning}", err=True)
    counts: dict[str, int] = {}
    for outcome in result.outcomes:
        counts[outcome.what] = counts.get(outcome.what, 0) + 1
    summary = ", ".join(f"{n} {what}" for what, n in counts.items() if what != update_api.UNCHANGED)
    typer.echo(
        f"tfgen: updated {printable(str(out))} from blueprint {result.blueprint_from or '?'} to {result.blueprint_to}: "
        f"{summary or 'nothing to change'} ({counts.get(update_api.UNCHANGED, 0)} unchanged)"
    )
    for outcome in result.outcomes:
        if outcome.what != update_api.UNCHANGED:
            why = f": {outcome.why}" if outcome.why else ""
            typer.echo(f"  {outcome.what:<9} {printable(outcome.path)}{printable(why)}")
    for block in result.users_blocks:
        typer.echo(f"tfgen: yours (not the blueprint's, kept): {printable(block)}")
    for departure in result.departures:
        typer.echo(f"tfgen: your edit differs from the blueprint: {printable(departure)}")
    if result.checkov:
        c = result.checkov
        typer.echo(f"tfgen: checkov on the merged tree: {c.passed} passed, {c.failed} failed, {c.skipped} skipped")
        for line in result.checkov_yours:
            typer.echo(f"tfgen: checkov fails what you edited: {printable(line)}")
    conflicts = result.conflicts
    if conflicts:
        typer.echo(
            f"tfgen: {len(conflicts)} file(s) with conflicts: edit each to keep what you want between "
            "<<<<<<< and >>>>>>> (checkov did not run), then `tfgen validate`",
            err=True,
        )
        raise typer.Exit(1)
    _next_steps(update_api.next_steps(out))


@app.command(
    "validate",
    epilog=_examples(
        "tfgen validate                               # the working directory",
        "tfgen validate infra/ --format sarif --output tfgen.sarif",
        "tfgen validate -o sarif=tfgen.sarif -o junit=tfgen.xml   # text on stdout, and two reports",
        "tfgen validate --fail-on high                # fail only on high and critical findings",
        "tfgen validate --baseline .tfgen-baseline.json",
        "tfgen validate --changed-since origin/main     # a pull request: only the groups it changed",
    ),
)
def validate(
    ctx: typer.Context,
    paths: list[str] | None = typer.Argument(
        None, metavar="PATH", help="Terraform directories or files to check (default: .)."
    ),
    output_format: ReportFormat = typer.Option(
        ReportFormat.text, "--format", "-f", metavar=REPORT_FORMAT_METAVAR, help="Report format."
    ),
    output: list[str] | None = typer.Option(
        None,
        "--output",
        "-o",
        metavar="[FORMAT=]PATH",
        help="Write the report to PATH instead of stdout; FORMAT=PATH (repeatable) writes one more report in that "
        "format from the same run (e.g. -o sarif=tfgen.sarif -o json=tfgen.json).",
    ),
    config: Path | None = typer.Option(
        None,
        "--config",
        metavar="FILE",
        help="Read the settings from FILE instead of the nearest .tfgen.toml or pyproject.toml [tool.tfgen].",
        is_eager=True,
        callback=_load_validate_settings,
    ),
    checkov: str | None = typer.Option(
        None, "--checkov", help="checkov executable (default: $TFGEN_CHECKOV, then tfgen's environment)."
    ),
    baseline: Path | None = typer.Option(
        None, "--baseline", help="Report findings listed in FILE as skipped: fail only on new ones."
    ),
    create_baseline: Path | None = typer.Option(
        None,
        "--create-baseline",
        help="Write today's failed findings to FILE (then report them as skipped); with --baseline FILE, update it.",
    ),
    check: list[str] | None = typer.Option(
        None, "--check", help="Run only these check ids (comma-separated, repeatable)."
    ),
    skip_check: list[str] | None = typer.Option(
        None, "--skip-check", help="Never run these check ids (comma-separated, repeatable)."
    ),
    skip_checkov: bool = typer.Option(False, "--skip-checkov", help="Run only the syntax gate and tfgen's own rules."),
    checkov_timeout: float | None = _CHECKOV_TIMEOUT,
    cache_dir: Path | None = typer.Option(
        None,
        "--cache-dir",
        help="Cache parsed files and per-group findings here (default: $XDG_CACHE_HOME/tfgen, else "
        "~/.cache/tfgen); persist it in CI.",
    ),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write the cache."),
    shard: str | None = typer.Option(
        None,
        "--shard",
        help="I/N: check only shard I of N (module-call groups dealt deterministically); the N reports together "
        "cover the tree.",
    ),
    changed_since: str | None = typer.Option(
        None,
        "--changed-since",
        metavar="REF",
        help="Check and report only the module-call groups holding a file changed since REF in git (committed "
        "or not, untracked included): a pull request's own.",
    ),
    show_skipped: bool = typer.Option(
        False, "--show-skipped", help="Text report: list skipped findings with their reasons."
    ),
    quiet: bool = typer.Option(
        False,
        "--quiet",
        "-q",
        help="Text report: print only the failed findings and the summary line (with --show-skipped: the skipped too).",
    ),
    no_color: bool = typer.Option(
        False, "--no-color", help="No colour in the text report (also: NO_COLOR set to any non-empty value)."
    ),
    require_files: bool = typer.Option(
        False,
        "--require-files",
        help="Exit 2 when a PATH holds no Terraform file (default: a warning, nothing to check there).",
    ),
    fail_on: Severity = typer.Option(
        Severity.low,
        "--fail-on",
        metavar=SEVERITY_METAVAR,
        help="Exit 1 only for failed findings of this severity or above; those below are still reported as failed. "
        "Files that do not parse or cannot be read always fail the run.",
    ),
    soft_fail: bool = typer.Option(
        False, "--soft-fail", help="Exit 0 whatever the findings (exit 2 still means tfgen itself failed)."
    ),
    debug: bool = typer.Option(False, "--debug", help="Print how long each step of the run took, on stderr."),
    setup_checkov: bool = typer.Option(
        False,
        "--setup-checkov",
        help="When tfgen finds no checkov of its own, set it up in your cache first (once, about a minute, with "
        "progress on stderr): what the pre-commit hook and the GitHub Action do.",
    ),
) -> None:
    """Check Terraform for the four practices; exit 0 clean, 1 failed findings, 2 usage or environment error."""
    from tfgen.cache import store as validate_cache
    from tfgen.progress import TerminalProgress
    from tfgen.validate import ValidateOptions, outputs, validate_paths
    from tfgen.validate import shard as validate_shard
    from tfgen.validate.formats import finding_line, render, summary_line

    progress = TerminalProgress(color=not no_color) if sys.stderr.isatty() and not quiet else None
    report_format = ReportFormat(output_format).value  # a settings file gives the plain string
    try:
        targets = outputs.parse(output or ())
        reports = _reports(report_format, targets, {"--quiet": quiet, "--show-skipped": show_skipped})
        in_effect = _settings_in_effect(ctx)
        if setup_checkov and not skip_checkov:
            from tfgen.checkov import env as checkov_env

            if checkov_env.needs_setup(checkov):
                _setup_checkov_in_cache()
        found = ctx.meta.get(_SETTINGS)
        for target in targets:
            _refuse_output_over(
                target.path,
                {
                    "the baseline": baseline,
                    "the baseline being created": create_baseline,
                    "the settings file in use": Path(found.shown) if found is not None else None,
                },
            )
        options = ValidateOptions(
            settings=in_effect,
            checkov=checkov,
            run_checkov=not skip_checkov,
            checkov_timeout=checkov_timeout,
            checks=tuple(check or ()),
            skip_checks=tuple(skip_check or ()),
            baseline=baseline,
            create_baseline=create_baseline,
            progress=progress,
            cache_dir=None if no_cache else (cache_dir or validate_cache.default_directory()),
            shard=validate_shard.parse(shard) if shard is not None else None,
            changed_since=changed_since,
            yield_cpu=True,
            outputs=tuple(t.path for t in targets),
            require_files=require_files,
            fail_on=Severity(fail_on).value,
            soft_fail=soft_fail,
            json_report=any(fmt == "json" for fmt, _ in reports),
        )
        try:
            report = validate_paths(paths or ["."], options)
        finally:
            if progress is not None:
                progress.close()
        for warning in report.warnings:
            typer.echo(f"tfgen: warning: {printable(warning)}", err=True)
        if report.baseline is not None and report.baseline.updated:
            b = report.baseline
            accepts = f"; it accepts {len(b.critical)} critical findings" + (":" if b.critical else "")
            typer.echo(
                f"tfgen: baseline {printable(str(create_baseline))}: {b.entries} entries ({b.added} added, "
                f"{b.dropped} dropped){accepts}",
                err=True,
            )
            for finding in b.critical:
                typer.echo(f"tfgen:   {finding_line(report, finding)}", err=True)
        # help text wraps at the terminal's width ($COLUMNS first); finding lines never wrap
        width = shutil.get_terminal_size((0, 0)).columns or None
        rendering = writing = 0.0
        for fmt, path in reports:
            on_terminal = path is None and sys.stdout.isatty()
            color = on_terminal and not no_color and not os.environ.get("NO_COLOR")  # no-color.org: any value
            started = time.monotonic()
            text = render(report, fmt, color=color, width=width, quiet=quiet, show_skipped=show_skipped)
            rendered = time.monotonic()
            if path is None:
                _write_stdout(text)
            else:
                _write_report(path, text)
            rendering, writing = rendering + rendered - started, writing + time.monotonic() - rendered
        if all(path is not None for _, path in reports):  # stdout has no report: the verdict goes to stderr
            typer.echo(summary_line(report), err=True)
        if debug:
            done = time.monotonic()
            steps = [*report.timings, ("render", rendering), ("write", writing)]
            for step, seconds in [*steps, ("total (from the start of tfgen)", done - _STARTED)]:
                typer.echo(f"tfgen: debug: {step:<32} {seconds:8.3f} s", err=True)
    except TfgenError as exc:
        _fail(exc)
    raise typer.Exit(report.exit_code)


@app.command(
    "allow",
    epilog=_examples(
        "tfgen allow                  # the settings file validate would read here",
        "tfgen allow --revoke .tfgen.toml",
    ),
)
def allow(
    file: Path | None = typer.Argument(
        None, metavar="FILE", help="The settings file (default: the one validate would read from here)."
    ),
    revoke: bool = typer.Option(False, "--revoke", help="Forget the file instead."),
) -> None:
    """Let a settings file run a program (checkov) or write outside its repository: read it first.

    tfgen records the file's path and sha256 outside every repository; any edit needs a new allow.
    """
    from tfgen.tomlfile import read_toml_text
    from tfgen.validate import settings, trust

    try:
        if file is None:
            found = settings.find(Path.cwd())
            if found is None:
                raise UsageError(f"no {settings.FILE_NAME} or pyproject.toml with [tool.tfgen] here or above")
            shown, text = found[0], found[2]
        else:
            shown = str(file)
            text = read_toml_text(file, settings.MAX_BYTES, name=shown)[1]
        where = trust.allow(Path(shown), text.encode("utf-8"), revoke=revoke)
    except TfgenError as exc:
        _fail(exc)
    verb = "revoked" if revoke else f"allowed (sha256 {trust.digest(text.encode('utf-8'))[:12]}...)"
    typer.echo(f"tfgen: {printable(shown)}: {verb}, recorded in {printable(str(where))}", err=True)


def _reports(
    report_format: str, targets: tuple[Output, ...], text_only: dict[str, bool]
) -> list[tuple[str, Path | None]]:
    """(format, file) of each report the run writes; file None: stdout, which gets the --format report
    unless a plain `--output PATH` took it. `text_only`: the flags given that shape only a text report."""
    plain = [t for t in targets if t.format is None]
    if len(plain) > 1:
        raise UsageError(
            f"--output {plain[1].typed}: --output {plain[0].typed} takes the --format report already; "
            "name each further report FORMAT=PATH (e.g. -o sarif=tfgen.sarif)"
        )
    reports: list[tuple[str, Path | None]] = [(report_format, plain[0].path if plain else None)]
    reports += [(t.format, t.path) for t in targets if t.format is not None]
    for flag, given in text_only.items():
        if given and all(f != "text" for f, _ in reports):  # tools read the other formats: never a partial one
            raise UsageError(f"{flag} shapes the text report; --format {report_format} is always complete")
    return reports


def _refuse_output_over(output: Path, files: dict[str, Path | None]) -> None:
    """Refuse an --output that is (a spelling or link of) a file the run reads to judge or writes itself."""
    try:
        mine = os.stat(output)
    except OSError:
        mine = None
    for what, path in files.items():
        if path is None:
            continue
        same = os.path.realpath(output) == os.path.realpath(path)
        if not same and mine is not None:
            try:
                same = os.path.samestat(mine, os.stat(path))
            except OSError:
                pass
        if same:
            raise UsageError(f"--output {output}: is {what}; write the report elsewhere")


def _write_report(output: Path, text: str) -> None:
    """Write the report to `output`; a FIFO nobody reads is one line, never a wait for ever."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
    nonblock = getattr(os, "O_NONBLOCK", 0)
    try:
        try:
            fd = os.open(output, flags | nonblock, 0o666)
        except OSError as exc:
            if exc.errno == errno.ENXIO:  # opening a FIFO to write without a reader
                raise UsageError(
                    f"cannot write {output}: a FIFO with no reader; start its reader first or write to a file"
                ) from None
            raise
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            os.set_blocking(fd, True)  # a reader is there: let it read at its own pace
            handle.write(text)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None


@app.command("schema", epilog=_examples("tfgen schema > tfgen-report.schema.json"))
def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of `tfgen validate --format json`."""
    from importlib.resources import files

    try:
        _write_stdout(files("tfgen.validate").joinpath(REPORT_SCHEMA).read_text(encoding="utf-8"))
    except TfgenError as exc:
        _fail(exc)


REPORT_SCHEMA = "report.schema.json"


@app.command("list-checks", epilog=_examples("tfgen list-checks", "tfgen list-checks --format json"))
def list_checks(
    output_format: ListFormat = typer.Option(
        ListFormat.text, "--format", metavar=LIST_FORMAT_METAVAR, help="Output format."
    ),
) -> None:
    """List every check tfgen reports: id, engine, practice, severity, title (json and markdown add how to fix it)."""
    from tfgen.validate.registry.render import LIST_FORMATS

    try:
        _write_stdout(LIST_FORMATS[ListFormat(output_format).value]())
    except TfgenError as exc:
        _fail(exc)


@app.command("explain", epilog=_examples("tfgen explain TFGEN_IAM_1", "tfgen explain CKV_AWS_18 --format json"))
def explain(
    check_id: str = typer.Argument(
        ..., metavar="ID", help="A check id, as in a report or `tfgen list-checks` (TFGEN_* or checkov's CKV*)."
    ),
    output_format: ExplainFormat = typer.Option(
        ExplainFormat.text,
        "--format",
        metavar=EXPLAIN_FORMAT_METAVAR,
        help="text, or json: the object `tfgen list-checks --format json` lists.",
    ),
) -> None:
    """Explain a check: its practice, severity, why it matters, how to fix it, an example."""
    from tfgen.validate import explain as explaining

    try:
        check = explaining.lookup(check_id)
        if ExplainFormat(output_format) is ExplainFormat.json:
            _write_stdout(explaining.to_json(check))
        else:
            width = shutil.get_terminal_size((0, 0)).columns or None
            _write_stdout(explaining.to_text(check, width=width))
    except TfgenError as exc:
        _fail(exc)


def _write_stdout(text: str) -> None:
    """The report on stdout, flushed here: a write that fails (a full disk, a closed pipe) is exit 2.

    Exit 1 would read as "findings" in CI. Python would otherwise flush at exit, print
    "Exception ignored" and exit 120, so after a failure stdout is pointed at /dev/null.
    """
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))  # a report is UTF-8 whatever the locale says
        sys.stdout.buffer.flush()
    except OSError as exc:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError):  # no file descriptor (an in-memory stdout): nothing to flush later
            pass
        raise EnvironmentProblem(f"cannot write the report to stdout: {exc.strerror or exc}") from None


migrate_app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings=_HELP,
    epilog=_examples("tfgen migrate proton templates/env/v1 --out modules/env"),
    help="Turn templates of retired services into plain Terraform modules.",
)
app.add_typer(migrate_app, name="migrate")


@migrate_app.command(
    "proton",
    epilog=_examples(
        "tfgen migrate proton templates/env/v1 --out modules/env",
        "tfgen migrate proton templates/svc/v2 --out modules/svc --inputs proton-inputs.json",
    ),
)
def migrate_proton(
    bundle: Path = typer.Argument(
        ..., help="A Proton template version directory: schema/ plus infrastructure/ or instance_infrastructure/."
    ),
    out: Path = typer.Option(..., "--out", help="Directory for the module(s)."),
    inputs: Path | None = typer.Option(
        None, "--inputs", help="A deployment's proton-inputs.json or spec YAML: writes OUT/examples/<name>/."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite files edited since the last migration."),
    checkov: str | None = typer.Option(
        None, "--checkov", help="checkov executable (default: $TFGEN_CHECKOV, then tfgen's environment)."
    ),
    skip_checkov: bool = typer.Option(
        False, "--skip-checkov", help="Validate the result with the syntax gate and tfgen's rules only."
    ),
    checkov_timeout: float | None = _CHECKOV_TIMEOUT,
) -> None:
    """Convert an AWS Proton Terraform template bundle; then validate it (exit as `tfgen validate`)."""
    from tfgen.migrate.proton import migrate
    from tfgen.validate.formats import render

    try:
        result = migrate(
            bundle,
            out,
            inputs=inputs,
            force=force,
            run_checkov=not skip_checkov,
            checkov=checkov,
            checkov_timeout=checkov_timeout,
        )
    except TfgenError as exc:
        _fail(exc)
    p = result.plan
    modules = ", ".join(f"{m.directory or '.'} ({m.kind}, {m.edits} edits)" for m in result.modules)
    typer.echo(
        f"tfgen: migrated {bundle} into {out}: {modules}; {len(p.new)} new, {len(p.modified)} changed, "
        f"{len(p.unchanged)} unchanged files; every .tf parsed back with no Proton reference left"
    )
    for note in result.notes:
        typer.echo(f"tfgen: note: {note}", err=True)
    for warning in result.warnings:
        typer.echo(f"tfgen: warning: {warning}", err=True)
    sys.stdout.write(render(result.report, "text"))
    raise typer.Exit(result.report.exit_code)


# typer may vendor click, so its usage-error class is found through a public subclass.
_ClickUsageError: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")


def main() -> None:
    # standalone_mode=False lets a bad flag become the same one-line error as everything else.
    try:
        code = app(standalone_mode=False)
    except typer.Abort:
        typer.echo("tfgen: aborted", err=True)
        raise SystemExit(EXIT_USAGE) from None
    except typer.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except _ClickUsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            exc.show()  # type: ignore[attr-defined]  # click's UsageError, found at run time: typed as Exception
        else:
            typer.echo(f"tfgen: error: {exc.format_message()}", err=True)  # type: ignore[attr-defined]  # as above
        raise SystemExit(EXIT_USAGE) from None
    raise SystemExit(code if isinstance(code, int) else 0)
