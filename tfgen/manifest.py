"""`.tfgen/manifest.json`: blueprint version, the answers, and a sha256 per generated file.

It is what lets a later `tfgen init` re-render the same baseline, leave identical files alone,
and tell a user's edit from tfgen's own output.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tfgen import __version__
from tfgen.errors import UsageError

MANIFEST_PATH = ".tfgen/manifest.json"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Manifest:
    blueprint_version: str
    inputs: Mapping[str, Any]
    files: Mapping[str, str]  # relative path -> sha256 of the bytes tfgen wrote
    tool_version: str = __version__

    def to_text(self) -> str:
        # No timestamps: identical answers must give a byte-identical manifest.
        document = {
            "tool": "tfgen",
            "version": self.tool_version,
            "blueprint_version": self.blueprint_version,
            "inputs": dict(self.inputs),
            "files": dict(sorted(self.files.items())),
        }
        return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def build(blueprint_version: str, inputs: Mapping[str, Any], files: Mapping[str, bytes]) -> Manifest:
    return Manifest(blueprint_version, inputs, {path: sha256(data) for path, data in files.items()})


def load(out: Path) -> Manifest | None:
    """The manifest of an earlier render in `out`, or None when there is none."""
    path = out / MANIFEST_PATH
    if not path.is_file():
        return None
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not valid UTF-8") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}:{exc.lineno}: invalid JSON ({exc.msg}); restore it from version control or remove it") from None
    if not isinstance(document, dict) or document.get("tool") != "tfgen" or not isinstance(document.get("files"), dict):
        raise UsageError(f"{path}: not a tfgen manifest")
    inputs = document.get("inputs")
    return Manifest(
        blueprint_version=str(document.get("blueprint_version", "")),
        inputs=inputs if isinstance(inputs, dict) else {},
        files={str(k): str(v) for k, v in document["files"].items()},
        tool_version=str(document.get("version", "")),
    )
