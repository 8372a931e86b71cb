"""A TFGEN_SYNTAX message quotes a short excerpt of the file, never a credential."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support.in_process_cli import json_findings, reports_in_every_format
from support.validate import ROOT
from typer.testing import CliRunner

CASES = ROOT / "tests" / "cases" / "trust"
ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
runner = CliRunner()


def syntax_findings(tree: Path) -> dict[str, dict[str, object]]:
    return {f["file"]: f for f in json_findings(tree, "--skip-checkov") if f["id"] == "TFGEN_SYNTAX"}


@pytest.mark.parametrize("case", ["aws_credentials", "credential_token.tf", "secret_key_token.tf"])
def test_no_credential_in_any_format(tmp_path: Path, case: str) -> None:
    """An AWS credentials file named like Terraform, and credentials as the parser's unexpected token."""
    shutil.copy(CASES / case, tmp_path / "creds.tf")
    [finding] = syntax_findings(tmp_path).values()
    assert finding["status"] == "failed" and finding["file"] == "creds.tf"
    for fmt, text in reports_in_every_format(tmp_path, "--skip-checkov").items():
        assert "creds.tf" in text, fmt
        assert ACCESS_KEY_ID not in text and SECRET_KEY not in text, fmt
        assert "wJalrXUtnFEMI" not in text and "AKIAIOSFODNN7" not in text, fmt  # nor a part of one


def test_the_masked_token_says_what_was_there(tmp_path: Path) -> None:
    shutil.copy(CASES / "credential_token.tf", tmp_path / "main.tf")
    finding = syntax_findings(tmp_path)["main.tf"]
    assert finding["line"] == 3
    assert finding["message"].startswith("unexpected '[redacted AWS access key id]'"), finding["message"]


def test_unterminated_heredoc_quotes_a_short_excerpt(tmp_path: Path) -> None:
    """The lexer takes the rest of the file as one token: its 45 KB never go into one message."""
    header = (CASES / "unterminated_heredoc.tf").read_text()
    (tmp_path / "main.tf").write_text(header + ("y" * 99 + "\n") * 450)
    finding = syntax_findings(tmp_path)["main.tf"]
    assert finding["line"] == 5
    assert finding["message"].startswith("unexpected '<<EOT'"), finding["message"]
    assert len(finding["message"]) <= 200, len(finding["message"])
    for fmt, text in reports_in_every_format(tmp_path, "--skip-checkov").items():
        assert "y" * 50 not in text, fmt
        assert len(text) < 8000, (fmt, len(text))
