"""A stand-in checkov executable for tests of how tfgen READS checkov (never of what checkov finds).

`FakeCheckov(directory)` writes an executable script there. Each run it:
- records its pid (and the pid of any child it spawns) in `pids`, one per line, and how it was
  started in `runs` (`runs()`);
- prints the text in `output`, with `@SCAN@` replaced by the directory it was given (`-d`),
  so records can name files inside tfgen's temporary copy as real checkov does;
- then runs `body` (Python: e.g. `time.sleep(60)` for a hang) and exits with `exit-code`.
The real checkov is used wherever checkov's own behaviour is under test. `InProcessCheckov` gives
the same answers without a process, for property tests.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
import venv
from pathlib import Path
from typing import Any

import pytest

from tfgen.checkov.env import CHECKOV_SCRIPT_BODY

# What a run does; `{body}` is indented into `run`, where it sees `here`, os, subprocess, sys, time.
_RUN = """\
import json, os, subprocess, sys, time
here = {here!r}


def run(arguments):
    with open(os.path.join(here, "pids"), "a") as handle:
        handle.write(f"{{os.getpid()}}\\n")
    seen = {{
        "orig_argv": sys.orig_argv,
        "argv": sys.argv,
        "path0": sys.path[0],
        "arguments": arguments,
        "stdin": sys.stdin.read(),
    }}
    with open(os.path.join(here, "runs"), "a") as handle:
        handle.write(json.dumps(seen) + "\\n")
    scan = next((a.split("=", 1)[1] for a in arguments if a.startswith("--directory=")), os.getcwd())
    with open(os.path.join(here, "output"), encoding="utf-8") as handle:
        sys.stdout.write(handle.read().replace("@SCAN@", scan))
    sys.stdout.flush()
{body}
    with open(os.path.join(here, "exit-code")) as handle:
        return int(handle.read() or 0)
"""
# The stand-in's checkov.main: `Checkov(argv).run()` does what the plain script does; each
# import of it is recorded in `imports`.
_CHECKOV_MAIN = """
with open(os.path.join(here, "imports"), "a") as handle:
    handle.write(f"{os.getpid()}\\n")


class Checkov:
    def __init__(self, argv=sys.argv[1:]):
        self.argv = argv

    def run(self):
        return run(self.argv)
"""


# A child that outlives nothing on its own: it sleeps, so a test can see whether it was killed.
SPAWN_SLEEPING_CHILD = (
    "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)'])\n"
    "with open(os.path.join(here, 'pids'), 'a') as handle:\n"
    "    handle.write(f'{child.pid}\\n')\n"
)


# One passed result about the scanned directory's main.tf (a report tfgen accepts as checkov's pass).
PASSED = {
    "check_type": "terraform",
    "results": {
        "passed_checks": [
            {
                "check_id": "CKV_AWS_26",
                "check_name": "SNS topic encrypted",
                "file_path": "/main.tf",
                "file_abs_path": "@SCAN@/main.tf",
                "file_line_range": [3, 6],
                "resource": "aws_sns_topic.alerts",
            }
        ],
        "failed_checks": [],
        "skipped_checks": [],
        "parsing_errors": [],
    },
}


class FakeCheckov:
    """`environment=True`: a virtual environment holding a stand-in `checkov` package, run by
    checkov's own script as pip installs it (`path` is `env/bin/checkov`): tfgen starts it ahead
    of its arguments (`checkov_run.ahead`). Else a script whose `#!` names this interpreter."""

    def __init__(
        self, directory: Path, output: str = "", *, body: str = "", exit_code: int = 0, environment: bool = False
    ) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        run = _RUN.format(here=str(directory), body=textwrap.indent(body, "    "))
        if environment:
            env = directory / "env"
            venv.create(env, with_pip=False, symlinks=True)
            [site] = env.glob("lib/python*/site-packages")
            (site / "checkov").mkdir()
            (site / "checkov" / "__init__.py").write_text("")
            (site / "checkov" / "main.py").write_text(run + _CHECKOV_MAIN)
            self.path = env / "bin" / "checkov"
            # checkov's own script, as pip installs it (its first line names the environment's Python)
            self.path.write_bytes(b"#!%s\n" % bytes(env / "bin" / "python") + CHECKOV_SCRIPT_BODY)
        else:
            self.path = directory / "checkov"
            self.path.write_text(f"#!{sys.executable}\n{run}\nsys.exit(run(sys.argv[1:]))\n")
        self.path.chmod(0o755)
        self.set(output, exit_code)

    def set(self, output: str, exit_code: int = 0) -> None:
        (self.directory / "output").write_text(output, encoding="utf-8")
        (self.directory / "exit-code").write_text(str(exit_code))
        (self.directory / "pids").write_text("")
        (self.directory / "runs").write_text("")
        (self.directory / "imports").write_text("")

    def imports(self) -> int:
        """How often its `checkov` package was imported (a checkov started, ahead or not) since `set`."""
        return len((self.directory / "imports").read_text().split())

    def pids(self) -> list[int]:
        return [int(line) for line in (self.directory / "pids").read_text().split()]

    def runs(self) -> list[dict[str, Any]]:
        """Each run's command line as its Python got it (`sys.orig_argv`), `sys.argv`, `sys.path[0]`,
        the arguments it ran with (`Checkov(argv)`'s, or the script's) and what it read on stdin."""
        return [json.loads(line) for line in (self.directory / "runs").read_text().splitlines()]


def script_checkov(directory: Path, body: str) -> Path:
    """`directory/fake-checkov`: a checkov stand-in that only runs `body` (Python; json, os, sys and
    time imported), for tests of how tfgen reads a crash, garbage, a hang or a bare summary."""
    script = directory / "fake-checkov"
    script.write_text(f"#!{sys.executable}\nimport json, os, sys, time\n{body}\n")
    script.chmod(0o755)
    return script


class _Exited:
    """A process that has already exited with `returncode` (what `CheckovRun` asks of a Popen)."""

    def __init__(self, returncode: int) -> None:
        self.returncode = returncode

    def poll(self) -> int:
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        return self.returncode

    def kill(self) -> None:
        pass


class InProcessCheckov:
    """`FakeCheckov`'s answer (its `output` with `@SCAN@` replaced, its exit code) given inside this process.

    For property tests that run tfgen's reading of checkov's output hundreds of times: each run of
    the executable stand-in starts two Pythons (the watchdog and the script); the 90 examples of
    test_validate_checkov_verdicts.py's properties take 41 s that way and 7 s with this (one
    worker, loaded machine). `runs` counts the runs since the last `set`. Everything after the
    process is tfgen's own code as in a real run: `CheckovRun.wait` reads the exit code and stdout,
    `parse_output` the report, the empty-report guard the blocks. Only starting the process is
    replaced (`CheckovRun._spawn`), so how tfgen starts, watches and stops checkov stays with the
    tests that use `FakeCheckov`.
    `path` is an executable that fails if anything runs it.
    """

    def __init__(self, directory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        from tfgen.checkov.run import CheckovRun

        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / "checkov"
        self.path.write_text(
            f"#!{sys.executable}\nimport sys\nsys.exit('in-process checkov stand-in: not a program')\n"
        )
        self.path.chmod(0o755)
        self.output = ""
        self.exit_code = 0
        self.runs = 0

        def spawn(run: CheckovRun, argv: list[str]) -> _Exited:
            self.runs += 1
            scan = next((a.split("=", 1)[1] for a in argv if a.startswith("--directory=")), os.getcwd())
            run._stdout.write(self.output.replace("@SCAN@", scan).encode("utf-8"))
            return _Exited(self.exit_code)

        monkeypatch.setattr(CheckovRun, "_spawn", spawn)

    def set(self, output: str, exit_code: int = 0) -> None:
        self.output = output
        self.exit_code = exit_code
        self.runs = 0
