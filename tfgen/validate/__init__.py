"""`tfgen validate`: one CI verdict for any Terraform tree, every finding tagged by practice.

    from tfgen.validate import ValidateOptions, validate_paths
    report = validate_paths(["infra"], ValidateOptions(checkov=None))
    report.exit_code, report.summary, report.findings

Output formats live in `tfgen.validate.formats` (text, json, sarif, junit).
"""

from __future__ import annotations

from tfgen.validate.engine import ValidateOptions, validate_paths
from tfgen.validate.model import Finding, Report, Summary

__all__ = ["Finding", "Report", "Summary", "ValidateOptions", "validate_paths"]
