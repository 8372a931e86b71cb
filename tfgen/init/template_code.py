"""Jinja's Python code for the blueprints' templates, generated ahead and shipped.

Jinja compiles a template in two steps: its own code generation (Python source), then Python's
`compile`. For the 9 templates the first was ~17 ms of a first `tfgen init` and the second ~5 ms
(measured with perf_counter on the 2-core VM, load ~1.4; `README.md.j2` alone 8 ms). Jinja's code
for a template depends only on the template's source, Jinja's version and the environment's
options, so `blueprints/template-code.json` holds it, keyed by the template's name and the
SHA-256 of its source, under the identity of the Jinja and options that made it. A template
whose source differs, or a table made by another Jinja or other options, is compiled as before:
the table can make init slower when stale, never different. Nothing is ever written at run time
(`Shipped.dump_bytecode` does nothing); every rendered file is still parsed back and proved.

    .venv/bin/python -m tfgen.init.template_code --write    # after changing a template or Jinja

tests/test_init_template_code.py regenerates the table and compares it with the shipped one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket

TABLE = "template-code.json"


def identity(env: jinja2.Environment) -> str:
    """What Jinja's code for a template depends on besides the template's source."""
    options = (
        jinja2.__version__,
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        env.autoescape,
        env.is_async,
        sorted(env.filters),
        sorted(env.tests),
        sorted(env.extensions),
        env.undefined.__name__,
    )
    return hashlib.sha256(repr(options).encode("utf-8")).hexdigest()


def source_digest(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


class Shipped(jinja2.BytecodeCache):
    """A read-only bytecode cache over the shipped table: a hit is compiled from Jinja's own code."""

    def __init__(self, templates: Mapping[str, Mapping[str, str]]) -> None:
        self._templates = templates

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return name  # the table is keyed by name; the source checksum says whether it still fits

    def get_source_checksum(self, source: str) -> str:
        return source_digest(source)

    def load_bytecode(self, bucket: Bucket) -> None:
        entry = self._templates.get(bucket.key)
        if entry is not None and entry.get("source_sha256") == bucket.checksum and isinstance(entry.get("code"), str):
            # what Environment.compile does with the code it generates (filename: the loader's path)
            filename = getattr(bucket, "filename", None) or "<template>"
            bucket.code = compile(entry["code"], filename, "exec")

    def dump_bytecode(self, bucket: Bucket) -> None:
        pass  # never written: the table changes only with --write

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None, source: str) -> Bucket:
        bucket = Bucket(environment, self.get_cache_key(name, filename), self.get_source_checksum(source))
        bucket.filename = filename  # type: ignore[attr-defined]  # for compile(), as Jinja names the code
        self.load_bytecode(bucket)
        return bucket


def table_path() -> Path:
    from tfgen.init.render import blueprint_root

    return blueprint_root() / TABLE


def shipped(env: jinja2.Environment) -> Shipped:
    """The shipped table as a bytecode cache for `env`; empty if made by another Jinja or options."""
    try:
        data = json.loads(table_path().read_bytes())
    except (OSError, ValueError):
        data = None
    ok = isinstance(data, dict) and data.get("identity") == identity(env) and isinstance(data.get("templates"), dict)
    return Shipped(data["templates"] if ok else {})


def generate() -> dict[str, Any]:
    """The table for the templates, Jinja and environment at hand."""
    from tfgen.init.render import make_environment, template_names

    env = make_environment()
    templates: dict[str, dict[str, str]] = {}
    for name in template_names():
        source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]  # make_environment sets a loader
        templates[name] = {"source_sha256": source_digest(source), "code": env.compile(source, name, None, raw=True)}
    return {"identity": identity(env), "templates": templates}


def text() -> str:
    return json.dumps(generate(), sort_keys=True, indent=0) + "\n"


def main(argv: list[str] | None = None) -> int:
    from tfgen.init.static_parses import write_or_print

    return write_or_print(argv, "Write (or print) Jinja's code for the blueprints' templates.", table_path(), text)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
