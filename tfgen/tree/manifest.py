"""`.tfgen/manifest.json`: blueprint version, the answers, a sha256 and the text of each generated file.

It is what lets a later `tfgen init` re-render the same baseline, leave identical files alone,
and tell a user's edit from tfgen's own output; the texts (`rendered`) are the base `tfgen
update` merges the team's edits and a new render against. A manifest written before tfgen kept
them has none: update then merges such a file two ways (`tfgen.update`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tfgen import __version__
from tfgen.errors import UsageError
from tfgen.safe_read import read_regular
from tfgen.tree import paths

MANIFEST_PATH = ".tfgen/manifest.json"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Manifest:
    blueprint_version: str
    inputs: Mapping[str, Any]
    files: Mapping[str, str]  # relative path -> sha256 of the bytes tfgen wrote
    tool_version: str = __version__
    rendered: Mapping[str, str] = field(default_factory=dict)  # relative path -> the text tfgen wrote

    def to_text(self) -> str:
        # No timestamps: identical answers must give a byte-identical manifest.
        document = {
            "tool": "tfgen",
            "version": self.tool_version,
            "blueprint_version": self.blueprint_version,
            "inputs": dict(self.inputs),
            "files": dict(sorted(self.files.items())),
            # A list of lines per file, one JSON line each: in a review, a blueprint's one-line change
            # is a one-line change here too.
            "rendered": {path: text.split("\n") for path, text in sorted(self.rendered.items())},
        }
        return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def build(blueprint_version: str, inputs: Mapping[str, Any], files: Mapping[str, bytes]) -> Manifest:
    """The manifest of a render: each file's hash, and its text when it is UTF-8 (every file init renders is)."""
    rendered: dict[str, str] = {}
    for path, data in files.items():
        try:
            rendered[path] = data.decode("utf-8")
        except UnicodeDecodeError:  # e.g. a binary file a Proton bundle carries: merged as a whole
            pass
    return Manifest(blueprint_version, inputs, {path: sha256(data) for path, data in files.items()}, rendered=rendered)


def written_by(record: Manifest) -> str:
    """The command that wrote `record`, told by its blueprint version: tfgen init's is a number (`3`),
    tfgen migrate proton's `proton-migrate/1`."""
    version = record.blueprint_version
    if version.isdigit() or not version:
        return "tfgen init"
    if version.startswith("proton-migrate/"):
        return "tfgen migrate proton"
    return f"a tfgen command this tfgen does not know (blueprint {short_repr(version)})"


SHA256_RE = re.compile(r"[0-9a-f]{64}")


def load(out: Path, rel: str = MANIFEST_PATH) -> Manifest | None:
    """The manifest of an earlier render in `out` (at `rel`), or None when there is none.

    Every entry is checked before anything trusts it: a path must be relative, normalised and
    inside `out` (`paths.entry_problem`), a hash must be a sha256, and the manifest is
    read only when no component of `rel` is a symlink. Anything else is a UsageError (exit 2).
    """
    if not paths.out_exists(out):
        return None
    path = paths.checked(out, rel)
    try:
        data = read_regular(path, follow_symlinks=False)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return load_text(data, path)


def load_text(data: bytes, path: Path | str = MANIFEST_PATH) -> Manifest:
    """A manifest from its bytes, checked as `load` checks it (`path` names it in errors)."""
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not valid UTF-8") from None
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{path}:{exc.lineno}: invalid JSON ({exc.msg}); restore it from version control or remove it"
        ) from None
    if not isinstance(document, dict) or document.get("tool") != "tfgen" or not isinstance(document.get("files"), dict):
        raise UsageError(f"{path}: not a tfgen manifest")
    files: dict[str, str] = {}
    for entry, digest in document["files"].items():
        problem = paths.entry_problem(entry)
        if problem is None and (entry == MANIFEST_PATH or entry.split("/")[0] == ".tfgen"):
            problem = "inside .tfgen/, which holds tfgen's own records"
        if problem is not None:
            raise UsageError(
                f"{path}: files: {short_repr(entry)} is {problem}; every entry must be a normalised path inside --out "
                "(restore the manifest from version control)"
            )
        if not isinstance(digest, str) or not SHA256_RE.fullmatch(digest):
            raise UsageError(
                f"{path}: files: {short_repr(entry)}: {short_repr(digest)} is not a sha256 (restore the manifest from "
                "version control)"
            )
        files[entry] = digest
    rendered = document.get("rendered", {})
    if not isinstance(rendered, dict):
        raise UsageError(f"{path}: rendered is not an object (restore the manifest from version control)")
    texts: dict[str, str] = {}
    for entry, text_lines in rendered.items():
        text = (
            "\n".join(text_lines)
            if isinstance(text_lines, list) and all(isinstance(x, str) for x in text_lines)
            else None
        )
        if text is None or entry not in files or sha256(text.encode("utf-8", "surrogatepass")) != files[entry]:
            raise UsageError(
                f"{path}: rendered: {short_repr(entry)} is not the text whose sha256 files records "
                "(restore the manifest from version control)"
            )
        texts[entry] = text
    inputs = document.get("inputs")
    return Manifest(
        blueprint_version=str(document.get("blueprint_version", "")),
        inputs=inputs if isinstance(inputs, dict) else {},
        files=files,
        tool_version=str(document.get("version", "")),
        rendered=texts,
    )


def short_repr(value: Any) -> str:
    """A value from a file, quoted and cut to 80 characters for a one-line message."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
