"""A repository's settings file is trusted only as far as it cannot hurt the one who runs tfgen.

`cd cloned-repo && tfgen validate` reads the repository's `.tfgen.toml` / `[tool.tfgen]`. A setting
that runs a program (`checkov`) or writes outside the repository (`output`, `create-baseline`,
`cache-dir` pointing out of the settings file's directory) is honoured only from a file the user
has allowed with `tfgen allow` (its path and sha256: an edit needs a new allow), or from a flag;
otherwise one line naming the file and line, exit 2, and the program never runs. A setting that
weakens the verdict (`skip-check`, `check`, `fail-on`, `soft-fail`, `baseline`, `skip-checkov`,
`shard`) is honoured and shown in every report: the summary line, the JSON report with its file
and line, SARIF's run properties.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from support import in_process_cli
from support.validate import write_tree

FAILING = {"repo/main.tf": 'variable "db_password" {\n  default = "literal-password"\n}\n'}


def tfgen(cwd: Path, *args: str, config: Path) -> subprocess.CompletedProcess[str]:
    """The entry point in this process, with `config` as the user's configuration directory (the allow list's home)."""
    return in_process_cli.tfgen(*args, cwd=cwd, env={"XDG_CONFIG_HOME": str(config)})


def _repo(tmp_path: Path, settings: str) -> Path:
    write_tree(tmp_path, FAILING)
    repo = tmp_path / "repo"
    (repo / ".tfgen.toml").write_text(settings)
    return repo


def _planted_program(repo: Path) -> Path:
    """A 'checkov' the repository ships: it leaves a mark when it runs."""
    program = repo / "x"
    program.write_text(f"#!/bin/sh\ntouch {repo / 'RAN'}\nexit 0\n")
    program.chmod(0o755)
    return repo / "RAN"


@pytest.mark.parametrize(
    ("settings", "key"),
    [
        ('[validate]\nskip-checkov = false\ncheckov = "./x"\n', "checkov"),
        ('[validate]\nskip-checkov = true\n\noutput = "{outside}/report.txt"\n', "output"),
        ('[validate]\nskip-checkov = true\ncreate-baseline = "../outside/b.json"\n', "create-baseline"),
        ('[validate]\nskip-checkov = true\ncache-dir = "{outside}/cache"\n', "cache-dir"),
    ],
)
def test_a_setting_that_runs_a_program_or_writes_outside_needs_an_allowed_file(
    tmp_path: Path, settings: str, key: str
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    repo = _repo(tmp_path, settings.replace("{outside}", str(outside)))
    ran = _planted_program(repo)
    config = tmp_path / "config"
    refused = tfgen(repo, "validate", "--no-cache", config=config)
    assert refused.returncode == 2, refused.stderr
    errors = [line for line in refused.stderr.splitlines() if line.startswith("tfgen: error:")]
    assert len(errors) == 1 and "Traceback" not in refused.stderr, refused.stderr
    line = (
        settings.replace("{outside}", str(outside))
        .splitlines()
        .index(next(x for x in settings.replace("{outside}", str(outside)).splitlines() if x.startswith(key)))
    )
    assert f".tfgen.toml:{line + 1}: {key}" in errors[0] and "tfgen allow" in errors[0], errors[0]
    assert not ran.exists() and list(outside.iterdir()) == []

    allowed = tfgen(repo, "allow", config=config)
    assert allowed.returncode == 0, allowed.stderr
    honoured = tfgen(repo, "validate", *(() if key == "cache-dir" else ("--no-cache",)), config=config)
    assert "tfgen allow" not in honoured.stderr, honoured.stderr
    if key == "checkov":
        assert ran.exists()
    else:
        assert list(outside.iterdir()) != []

    # an edit after the allow needs a new allow
    (repo / ".tfgen.toml").write_text((repo / ".tfgen.toml").read_text() + "# edited\n")
    assert tfgen(repo, "validate", "--no-cache", config=config).returncode == 2


def test_a_flag_overrides_an_untrusted_setting_without_asking(tmp_path: Path) -> None:
    repo = _repo(tmp_path, '[validate]\ncheckov = "./x"\n')
    ran = _planted_program(repo)
    run = tfgen(repo, "validate", "--no-cache", "--skip-checkov", "--checkov", "checkov", config=tmp_path / "c")
    assert run.returncode == 1, run.stderr
    assert not ran.exists()


def test_paths_inside_the_repository_need_no_allow(tmp_path: Path) -> None:
    repo = _repo(tmp_path, '[validate]\nskip-checkov = true\noutput = "out/report.txt"\n')
    (repo / "out").mkdir()
    run = tfgen(repo, "validate", "--no-cache", config=tmp_path / "c")
    assert run.returncode == 1, run.stderr
    assert (repo / "out/report.txt").exists()


WEAKENING = (
    "[validate]\n"
    "skip-checkov = true\n"
    'skip-check = ["TFGEN_SECRETS_2"]\n'
    'fail-on = "critical"\n'
    "soft-fail = true\n"
    'baseline = "b.json"\n'
)


def test_settings_that_weaken_the_verdict_are_shown_in_every_report(tmp_path: Path) -> None:
    repo = _repo(tmp_path, WEAKENING)
    (repo / "b.json").write_text('{"findings": []}\n')
    config = tmp_path / "c"
    text = tfgen(repo, "validate", "--no-cache", config=config)
    assert text.returncode == 0, text.stderr
    summary = text.stdout.strip().splitlines()[-1]
    for shown in (
        'skip-check = ["TFGEN_SECRETS_2"] (.tfgen.toml:3)',
        'fail-on = "critical" (.tfgen.toml:4)',
        "soft-fail = true (.tfgen.toml:5)",
        'baseline = "b.json" (.tfgen.toml:6)',
        "skip-checkov = true (.tfgen.toml:2)",
    ):
        assert shown in summary, summary

    report = json.loads(tfgen(repo, "validate", "--no-cache", "--format", "json", config=config).stdout)
    settings = {s["key"]: s for s in report["settings"]}
    assert settings["soft-fail"] == {"key": "soft-fail", "value": True, "file": ".tfgen.toml", "line": 5}
    assert settings["skip-check"]["value"] == ["TFGEN_SECRETS_2"] and settings["skip-check"]["line"] == 3
    assert set(settings) == {"skip-checkov", "skip-check", "fail-on", "soft-fail", "baseline"}

    sarif = json.loads(tfgen(repo, "validate", "--no-cache", "--format", "sarif", config=config).stdout)
    assert sarif["runs"][0]["properties"]["tfgenSettings"] == report["settings"]

    flagged = tfgen(repo, "validate", "--no-cache", "--format", "json", "--fail-on", "low", config=config)
    assert "fail-on" not in {s["key"] for s in json.loads(flagged.stdout)["settings"]}  # a flag is the user's own
