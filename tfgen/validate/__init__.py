"""`tfgen validate`: one CI verdict for any Terraform tree, every finding tagged by practice.

    from tfgen.validate import ValidateOptions, validate_paths
    report = validate_paths(["infra"], ValidateOptions(checkov=None))
    report.exit_code, report.summary, report.findings

Output formats live in `tfgen.validate.formats` (text, json, sarif, junit).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tfgen.validate.pipeline import ValidateOptions, validate_paths
    from tfgen.validate.report import Finding, Report, Summary

__all__ = ["Finding", "Report", "Summary", "ValidateOptions", "validate_paths"]

_HOMES = {
    "ValidateOptions": "pipeline",
    "validate_paths": "pipeline",
    "Finding": "report",
    "Report": "report",
    "Summary": "report",
}


def __getattr__(name: str) -> Any:
    # Lazy, so importing one module of the package (formats, registry, settings for the CLI)
    # does not import the pipeline, its rules and checkov's runner: that import alone costs ~0.1 s.
    if name in _HOMES:
        from importlib import import_module

        return getattr(import_module(f"tfgen.validate.{_HOMES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
