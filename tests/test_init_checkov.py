"""Proof 3: checkov (offline, terraform + secrets) finds zero failed checks on a rendered baseline,
and every skip is an inline `#checkov:skip=ID:reason` with a real reason."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.validate import checkov_or_skip
from typer.testing import CliRunner

from tfgen.cli import app

pytestmark = pytest.mark.checkov

_SKIP = re.compile(r"#\s*checkov:skip=(?P<id>[A-Z0-9_]+):(?P<reason>.*)$")


def test_raw_checkov_passes_the_full_baseline_with_reasoned_inline_skips(rendered_full_baseline: Path) -> None:
    checkov_or_skip()
    from tfgen.checkov.run import run_checkov_on_dir

    output = run_checkov_on_dir(rendered_full_baseline)
    assert output.parsing_errors == []
    findings = output.results
    failed = [(f.check_id, f.resource, f"{f.file_path}:{f.line}") for f in findings if f.status == "failed"]
    assert failed == []
    passed = [f for f in findings if f.status == "passed"]
    assert len(passed) > 100, "checkov evaluated the tree"

    skipped = [f for f in findings if f.status == "skipped"]
    assert skipped, "the key-policy wildcard and access-log exceptions are skipped, not hidden"
    inline: dict[str, set[tuple[str, str]]] = {}
    texts = {
        p.relative_to(rendered_full_baseline).as_posix(): p.read_text() for p in rendered_full_baseline.rglob("*.tf")
    }
    for rel, text in texts.items():
        for line in text.splitlines():
            match = _SKIP.search(line.strip())
            if match:
                inline.setdefault(rel, set()).add((match["id"], match["reason"].strip()))
    for finding in skipped:
        reason = (finding.suppress_comment or "").strip()
        assert len(reason.split()) >= 5, f"{finding.check_id} on {finding.resource} needs a real reason, got {reason!r}"
        # A skip for one instance of a shared module sits on the calling `module` block.
        homes = {finding.file_path}
        if finding.resource and finding.resource.startswith("module."):
            caller = finding.resource.split(".")[1]
            homes |= {rel for rel, text in texts.items() if f'module "{caller}"' in text}
        assert any((finding.check_id, reason) in inline.get(home, set()) for home in homes), (
            f"{finding.check_id} skip is not inline in {sorted(homes)}"
        )


def test_init_verifies_with_checkov_before_writing(tmp_path: Path) -> None:
    checkov_or_skip()
    out = tmp_path / "baseline"
    result = CliRunner().invoke(
        app,
        [
            "init",
            "--non-interactive",
            "--account-id",
            "123456789012",
            "--region",
            "eu-west-1",
            "--name",
            "acme",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    match = re.search(r"checkov (\d+) passed, (\d+) failed, (\d+) skipped", result.output)
    assert match, result.output
    assert int(match[1]) > 100 and int(match[2]) == 0
    assert (out / ".tfgen/manifest.json").is_file()


def test_init_without_checkov_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "baseline"
    result = CliRunner().invoke(
        app,
        [
            "init",
            "--non-interactive",
            "--account-id",
            "123456789012",
            "--region",
            "eu-west-1",
            "--name",
            "acme",
            "--out",
            str(out),
            "--checkov",
            str(tmp_path / "no-such-checkov"),
        ],
    )
    assert result.exit_code == 2
    assert "checkov not found" in result.output and "setup-checkov" in result.output
    assert not out.exists()
