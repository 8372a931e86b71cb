"""A small tree with every shape the speed work must keep exact (imported by the cache, shard
and group tests): roots calling a shared module, a module repository whose example calls
`../../`, a module outside the scanned PATH, a module in a hidden directory, a syntax error,
an inline skip, and a YAML file only checkov's secrets framework reads."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

from support.validate import checkov_or_skip, shared_json, write_tree
from tfgen.checkov.run import run_checkov_on_dir
from tfgen.validate import ValidateOptions, checkov_batches, validate_paths
from tfgen.validate.report import Report

BUCKET = """resource "aws_s3_bucket" "{name}" {{
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
"""

VARIABLE = 'variable "name" {\n  type    = string\n  default = "x"\n}\n'


def call(name: str, source: str) -> str:
    return f'module "{name}" {{\n  source = "{source}"\n  name   = "{name}"\n}}\n'


TREE: dict[str, str] = {
    "infra/live/a/main.tf": call("shared", "../../modules/shared") + VARIABLE,
    "infra/live/b/main.tf": call("shared", "../../modules/shared")
    + call("outside", "../../../outside/logs")
    + VARIABLE,
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
    "infra/config/app.yaml": "aws:\n  access_key_id: AKIAZ4OXTRQ7D2EXJ3MB\n  secret_access_key: "
    "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\n",
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


def checkov_part(report: Report) -> set[tuple[object, ...]]:
    """What checkov said, as the report holds it: (id, file, line, resource, status) of its results."""
    return {
        (f.id, f.file, f.line, f.resource, f.status)
        for f in report.findings
        if f.engine == "checkov" and f.id != "TFGEN_SYNTAX"
    }


def checkov_alone(scan: Path) -> set[tuple[object, ...]]:
    """checkov's own results over the PATH in place (tfgen.checkov's public run API, no groups, no
    copy), about files inside it, in `checkov_part`'s shape."""
    output = run_checkov_on_dir(scan, timeout=300)
    inside = str(scan.resolve()) + os.sep
    return {
        (r.check_id, r.file_path, r.line, r.resource, r.status)
        for r in output.results
        if os.path.realpath(r.abs_path).startswith(inside)
    }


def one_run_reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The tree checked by one checkov process over one copy of the whole PATH (`checkov_jobs=1`: its
    groups in one batch), no cache, no shard; once per test session even across pytest-xdist workers.

    Its checkov findings are first proved equal to checkov alone over the PATH, so the reference
    does not rest on tfgen's grouping: what each test compares with it (parallel batches, shards,
    the cache) gives exactly what checkov says about the tree, with tfgen's findings beside it.
    """
    checkov_or_skip()

    def compute() -> dict[str, Any]:
        base = Path(tempfile.mkdtemp(prefix="tfgen-speed-reference-"))
        try:
            scan = write_speed_tree(base)
            report = validate_paths([str(scan)], ValidateOptions(checkov_jobs=1, checkov_timeout=300))
            alone = checkov_alone(scan)
            assert alone and checkov_part(report) == alone, sorted(checkov_part(report) ^ alone)
            return {
                "findings": comparable(report, base),
                "files": report.summary.files,
                "errors": report.summary.errors,
            }
        finally:
            shutil.rmtree(base, ignore_errors=True)

    return shared_json(tmp_path_factory, "tfgen-speed-one-run", compute)


def record_checkov_batches(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Let checkov run as usual; the returned list gets each started batch's group names."""
    started: list[list[str]] = []
    real_start = checkov_batches.start

    def recording_start(executable, groups, contents, **kwargs):  # type: ignore[no-untyped-def]
        started.append([g.name for g in groups])
        return real_start(executable, groups, contents, **kwargs)

    monkeypatch.setattr(checkov_batches, "start", recording_start)
    return started
