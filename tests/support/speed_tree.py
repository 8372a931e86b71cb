"""A small tree with every shape the speed work must keep exact (imported by the cache, shard
and group tests): roots calling a shared module, a module repository whose example calls
`../../`, a module outside the scanned PATH, a module in a hidden directory, a syntax error,
an inline skip, and a YAML file only checkov's secrets framework reads."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from support.validate import checkov_or_skip, shared_json, write_tree

from tfgen.validate import ValidateOptions, mirror, validate_paths
from tfgen.validate.model import Report

BUCKET = '''resource "aws_s3_bucket" "{name}" {{
  bucket = "${{var.name}}-{name}"
}}

resource "aws_s3_bucket_server_side_encryption_configuration" "{name}" {{
  bucket = aws_s3_bucket.{name}.id
  rule {{
    apply_server_side_encryption_by_default {{
      sse_algorithm = "AES256"
    }}
  }}
}}
'''

VARIABLE = 'variable "name" {\n  type    = string\n  default = "x"\n}\n'


def call(name: str, source: str) -> str:
    return f'module "{name}" {{\n  source = "{source}"\n  name   = "{name}"\n}}\n'


TREE: dict[str, str] = {
    "infra/live/a/main.tf": call("shared", "../../modules/shared") + VARIABLE,
    "infra/live/b/main.tf": call("shared", "../../modules/shared") + call("outside", "../../../outside/logs") + VARIABLE,
    "infra/live/c/main.tf": (
        'resource "aws_kms_key" "c" {\n  # checkov:skip=CKV_AWS_7:rotation is handled by the external key store\n'
        '  description = "c"\n}\n' + BUCKET.format(name="c") + VARIABLE
    ),
    "infra/live/d/main.tf": call("hidden", "../../.modules/hidden") + VARIABLE,
    "infra/modules/shared/main.tf": BUCKET.format(name="shared") + VARIABLE,
    "infra/.modules/hidden/main.tf": 'resource "aws_kms_key" "hidden" {\n  description = "h"\n}\n' + VARIABLE,
    "infra/repo/main.tf": BUCKET.format(name="repo") + VARIABLE,
    "infra/repo/examples/basic/main.tf": call("this", "../../"),
    "infra/broken/main.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = \n}\n',
    "infra/config/app.yaml": "aws:\n  access_key_id: AKIAZ4OXTRQ7D2EXJ3MB\n  secret_access_key: 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\n",
    "outside/logs/main.tf": 'resource "aws_cloudwatch_log_group" "logs" {\n  name = "logs"\n}\n' + VARIABLE,
}


def write_speed_tree(base: Path) -> Path:
    """Write TREE under `base`; returns the directory to scan (`base/infra`)."""
    return write_tree(base, TREE) / "infra"


def comparable(report: Report, base: Path) -> list[str]:
    """Every field of every finding (abs_path too, `base` replaced), sorted: equal lists, equal reports."""
    out = []
    for finding in report.findings:
        data: dict[str, Any] = finding.to_json()
        data["abs_path"] = finding.abs_path
        data["message"] = finding.message
        out.append(json.dumps(data, sort_keys=True).replace(str(base), "<base>"))
    return sorted(out)


def one_run_reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The tree checked the way tfgen did before grouping (one checkov run over the PATH, in place,
    no cache), once per test session even across pytest-xdist workers."""
    checkov_or_skip()

    def compute() -> dict[str, Any]:
        base = Path(tempfile.mkdtemp(prefix="tfgen-speed-reference-"))
        try:
            report = validate_paths([str(write_speed_tree(base))], ValidateOptions(group_checkov=False, checkov_timeout=300))
            return {"findings": comparable(report, base), "files": report.summary.files, "errors": report.summary.errors}
        finally:
            shutil.rmtree(base, ignore_errors=True)

    return shared_json(tmp_path_factory, "tfgen-speed-one-run", compute)


def record_checkov_batches(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Let checkov run as usual; the returned list gets each started batch's group names."""
    started: list[list[str]] = []
    real_start = mirror.start

    def recording_start(executable, groups, contents, **kwargs):  # type: ignore[no-untyped-def]
        started.append([g.name for g in groups])
        return real_start(executable, groups, contents, **kwargs)

    monkeypatch.setattr(mirror, "start", recording_start)
    return started
