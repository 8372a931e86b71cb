"""Read a Proton template bundle: which kind it is, its schema, its parts and their files.

A template version directory as Proton stores it: `schema/schema.yaml` plus `infrastructure/`
(an environment template) or `instance_infrastructure/` and optionally
`pipeline_infrastructure/` (a service template), each with a `manifest.yaml` naming the
template language. Only Terraform bundles are converted; every file is read through
`safe_read.read_regular` and symlinks are refused, so nothing outside the bundle is read.
"""

from __future__ import annotations

import errno
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tfgen.migrate.proton import yamlfile
from tfgen.migrate.proton.rewrite import ENVIRONMENT, INSTANCE, PIPELINE
from tfgen.migrate.proton.yamlfile import BundleError, Located, line_in
from tfgen.safe_read import read_regular

PART_DIRS = {ENVIRONMENT: "infrastructure", INSTANCE: "instance_infrastructure", PIPELINE: "pipeline_infrastructure"}
SCHEMA = "schema/schema.yaml"
MANIFEST = "manifest.yaml"
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_FILES = 2000
SUPPORTED = (
    "tfgen migrate proton converts Terraform bundles only (template_language: terraform, rendering_engine: hcl, "
    "or rendering_engine: codebuild running terraform)"
)
# CodeBuild provisioning runs whatever the manifest's commands say; a bundle is Terraform when they run it.
TERRAFORM_COMMAND = re.compile(r"(^|[\s;&|/(])(terraform|tofu)(\s|$)")
OTHER_TOOLS = (("cdk", re.compile(r"(^|[\s;&|/(])(cdk|npx\s+cdk|aws-cdk)(\s|$)")), ("pulumi", re.compile(r"pulumi")))


@dataclass
class Part:
    kind: str  # environment | instance | pipeline
    directory: Path
    files: dict[str, bytes] = field(default_factory=dict)  # path relative to the part -> bytes
    # CodeBuild provisioning: the manifest's provision / deprovision commands, for the README.
    commands: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Bundle:
    path: Path
    kind: str  # "environment" or "service"
    schema: Any
    parts: list[Part]

    def shown(self, rel: str) -> str:
        return str(self.path / rel)


def _read(path: Path, shown: str) -> bytes:
    try:
        return read_regular(path, MAX_FILE_BYTES, follow_symlinks=False)
    except OSError as exc:
        problem = exc.strerror or str(exc)
        if exc.errno == errno.ELOOP or path.is_symlink():  # O_NOFOLLOW on a link
            problem = "a symlink; tfgen reads nothing outside the bundle"
        raise BundleError(shown, None, f"cannot read: {problem}") from None


def decode_text(data: bytes, shown: str) -> str:
    """A bundle file's text (UTF-8, a BOM dropped); BundleError naming the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BundleError(shown, data[: exc.start].count(b"\n") + 1, "not valid UTF-8") from None


def read_yaml(path: Path, shown: str) -> Any:
    return yamlfile.load(decode_text(_read(path, shown), shown), shown)


def _codebuild_commands(entry: Located, shown: str) -> dict[str, list[str]]:
    """The provision/deprovision commands of a CodeBuild-provisioned template; refused in one line
    unless they run Terraform (a CDK or Pulumi bundle has no .tf to migrate)."""
    settings = entry.get("settings")
    commands: dict[str, list[str]] = {}
    if isinstance(settings, Located):
        for phase in ("provision", "deprovision"):
            listed = settings.get(phase)
            if isinstance(listed, list):
                commands[phase] = [str(c) for c in listed if isinstance(c, (str, int, float))]
    every = [c for listed in commands.values() for c in listed]
    if any(TERRAFORM_COMMAND.search(c) for c in every):
        return commands
    line = settings.line_of("provision") if isinstance(settings, Located) else entry.line_of("rendering_engine")
    tool = next((name for name, pattern in OTHER_TOOLS if any(pattern.search(c) for c in every)), None)
    what = f"runs {tool}, not Terraform" if tool else "runs no terraform command"
    raise BundleError(shown, line, f"a CodeBuild-provisioned bundle that {what}: {SUPPORTED}")


def check_manifest(path: Path, shown: str) -> dict[str, list[str]]:
    """Refuse CloudFormation, CDK and Pulumi bundles in one line (what is supported); the
    provisioning commands of a CodeBuild-provisioned Terraform bundle."""
    if not path.is_file() and not path.is_symlink():
        raise BundleError(shown, None, f"missing: each template directory needs a {MANIFEST}")
    doc = read_yaml(path, shown)
    infrastructure = doc.get("infrastructure") if isinstance(doc, Located) else None
    templates = infrastructure.get("templates") if isinstance(infrastructure, Located) else None
    if not isinstance(templates, list) or not templates:
        raise BundleError(shown, line_in(doc), "not a Proton manifest: no infrastructure.templates list")
    for entry in templates:
        if not isinstance(entry, Located):
            raise BundleError(shown, line_in(doc), "not a Proton manifest: a template entry must be a mapping")
        language = str(entry.get("template_language", "")).lower()
        engine = str(entry.get("rendering_engine", "")).lower()
        if language == "cloudformation" or engine == "jinja":
            raise BundleError(
                shown, entry.line_of("template_language"), f"a CloudFormation bundle (Jinja-rendered YAML): {SUPPORTED}"
            )
        if engine == "codebuild" or "provisioning" in entry:
            return _codebuild_commands(entry, shown)
        if language not in ("terraform", "hcl") or engine not in ("hcl", ""):
            raise BundleError(
                shown, entry.line_of("template_language"), f"template_language {language or 'missing'!r}: {SUPPORTED}"
            )
    return {}


def _walk(part: Part, shown_root: str) -> None:
    root = part.directory
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        base = Path(dirpath)
        for name in sorted(dirnames):
            if (base / name).is_symlink():
                raise BundleError(
                    str(Path(shown_root) / (base / name).relative_to(root)),
                    None,
                    "a symlinked directory; tfgen reads nothing outside the bundle",
                )
        # `.tfgen/` holds tfgen's own records (a manifest, a transaction): a bundle's copy is never module files.
        dirnames[:] = sorted(d for d in dirnames if d not in (".terraform", ".git", ".tfgen"))
        for name in sorted(filenames):
            rel = (base / name).relative_to(root).as_posix()
            if rel == MANIFEST or rel.startswith(".terraform") or name == ".tfgen":
                continue
            if len(part.files) >= MAX_FILES:
                raise BundleError(shown_root, None, f"more than {MAX_FILES} files")
            part.files[rel] = _read(base / name, f"{shown_root}/{rel}")


def read_bundle(path: Path) -> Bundle:
    if not path.is_dir():
        raise BundleError(
            str(path),
            None,
            "not a directory (BUNDLE is a template version directory: schema/ plus infrastructure/ or "
            "instance_infrastructure/)",
        )
    present = {kind: path / d for kind, d in PART_DIRS.items() if (path / d).is_dir()}
    if ENVIRONMENT in present and (INSTANCE in present or PIPELINE in present):
        raise BundleError(
            str(path),
            None,
            "holds both infrastructure/ and instance_infrastructure/ (an environment and a service template)",
        )
    if not present:
        raise BundleError(
            str(path),
            None,
            "missing directory: a Proton bundle has infrastructure/ (environment) or instance_infrastructure/ "
            "(service)",
        )
    if PIPELINE in present and INSTANCE not in present:
        raise BundleError(
            str(path / PART_DIRS[INSTANCE]), None, "missing directory: a service bundle needs instance_infrastructure/"
        )
    commands: dict[str, dict[str, list[str]]] = {}
    for kind, directory in present.items():
        if directory.is_symlink():
            raise BundleError(str(directory), None, "a symlinked directory; tfgen reads nothing outside the bundle")
        commands[kind] = check_manifest(directory / MANIFEST, str(directory / MANIFEST))
    schema_path = path / SCHEMA
    if not schema_path.exists() and not schema_path.is_symlink():
        raise BundleError(str(schema_path), None, "missing: a Proton bundle has schema/schema.yaml")
    schema = read_yaml(schema_path, str(schema_path))
    parts = []
    for kind in (ENVIRONMENT, INSTANCE, PIPELINE):
        if kind in present:
            part = Part(kind, present[kind], commands=commands[kind])
            _walk(part, str(present[kind]))
            if not any(rel.endswith((".tf", ".tf.json")) for rel in part.files):
                raise BundleError(str(present[kind]), None, "holds no .tf file")
            parts.append(part)
    return Bundle(path, ENVIRONMENT if ENVIRONMENT in present else "service", schema, parts)
