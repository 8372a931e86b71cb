"""python-hcl2's parses of the render's answer-independent files, computed ahead and shipped.

Every file under `modules/` of a render is the same for every set of answers (the modules are
copied verbatim; their versions.tf is rendered from `tfgen.init.facts` alone), and they are most
of what a first `tfgen init` parsed: 16 of its 22 distinct HCL files, 0.17 s of python-hcl2 of
0.22 s (measured on the bench render). The root's main.tf, outputs.tf and providers.tf read the
answers only through variables, so they name none either (40, 15 and 6 ms of python-hcl2 of the
~100 ms the root's files took, measured on a loaded 2-core machine): a file ships when two
renders whose every answer differs (`DIFFERENT_ANSWERS`) make the same bytes of it. So their
parses ship in `blueprints/static-parses.json`, keyed by the SHA-256 of the bytes they were parsed
from, under the identity of the parser that made them (python-hcl2's and lark's versions,
tfgen/hcl/read.py and parsing.py). A file whose bytes are not in the table, or a table made by
another parser, is parsed as before: the table can make init slower when stale, never different.
The proof still compares every parse with the model.

    .venv/bin/python -m tfgen.init.static_parses --write    # after changing a module or the parser

tests/test_init_static_parses.py regenerates the table and compares it with the shipped one.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

TABLE = "static-parses.json"
# Two sets of answers that differ in every answer (partition, Proton roles and tags included):
# a file rendered alike from both depends on no answer. The table is keyed by the bytes, so a
# file that did depend on one would only miss the table, never be read wrongly.
DIFFERENT_ANSWERS: tuple[dict[str, Any], ...] = (
    {"account_id": "123456789012", "region": "eu-west-1", "name": "acme"},
    {
        "account_id": "210987654321",
        "region": "cn-north-1",
        "name": "other-name",
        "create_pipeline_role": True,
        "create_codebuild_role": True,
        "create_component_role": True,
        "environment_account_ids": ["111111111111"],
        "key_administrator_arns": ["arn:aws-cn:iam::210987654321:role/admin"],
        "key_user_arns": ["arn:aws-cn:iam::210987654321:role/user"],
        "log_retention_days": 400,
        "noncurrent_version_retention_days": 400,
        "enable_s3_data_events": True,
        "provisioned_services": ["ecs"],
        "secret_names": ["s/x"],
        "secure_parameter_names": ["/p/x"],
        "state_key": "other/terraform.tfstate",
        "tags": {"Team": "x"},
    },
)
# tfgen/hcl's modules that shape a parse (`parsing.parse_to_json` over `read.parse_text`).
PARSER_SOURCES = ("read.py", "parsing.py")


@functools.lru_cache(maxsize=1)
def parser_identity() -> str:
    """What a parse depends on besides the bytes."""
    import hcl2
    import lark

    import tfgen.hcl

    sha = hashlib.sha256(f"python-hcl2 {getattr(hcl2, '__version__', '')} lark {lark.__version__}\0".encode())
    package = Path(tfgen.hcl.__file__).resolve().parent
    for source in PARSER_SOURCES:
        sha.update(source.encode() + b"\0" + (package / source).read_bytes() + b"\0")
    return sha.hexdigest()


def table_path() -> Path:
    from tfgen.init.render import blueprint_root

    return blueprint_root() / TABLE


def table() -> Mapping[str, dict[str, Any]]:
    """SHA-256 of a file's bytes -> its parse (`tfgen.hcl.parsing.parse_to_json`); empty if made by another parser.

    Read afresh on each call (~3 ms): a caller may change the parses it is handed."""
    try:
        shipped = json.loads(table_path().read_bytes())
    except (OSError, ValueError):
        return {}
    if (
        not isinstance(shipped, dict)
        or shipped.get("parser") != parser_identity()
        or not isinstance(shipped.get("parses"), dict)
    ):
        return {}
    return shipped["parses"]


def generate() -> dict[str, Any]:
    """The table for the blueprints and parser at hand."""
    from tfgen.hcl.cachekeys import file_digest
    from tfgen.hcl.parsing import parse_to_json
    from tfgen.init.config import build_config
    from tfgen.init.render import render_baseline
    from tfgen.init.verify import is_hcl

    files, *others = [render_baseline(build_config(answers)) for answers in DIFFERENT_ANSWERS]
    parses: dict[str, Any] = {}
    for path, text in sorted(files.items()):
        if is_hcl(path) and all(other.get(path) == text for other in others):
            data = text.encode("utf-8")
            parses[file_digest(data)] = parse_to_json((path.rsplit("/", 1)[-1], path, data))
    return {"parser": parser_identity(), "parses": dict(sorted(parses.items()))}


def text() -> str:
    return json.dumps(generate(), sort_keys=True, separators=(",", ":")) + "\n"


def write_or_print(argv: list[str] | None, description: str, path: Path, make_text: Callable[[], str]) -> int:
    """The command line of a table shipped with the blueprints: `--write` it to `path`, else print it."""
    import argparse  # here: init reads the tables and needs none of it (~1 ms to import)

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--write", action="store_true", help=f"write blueprints/{path.name}")
    args = parser.parse_args(argv)
    if args.write:
        path.write_text(make_text(), encoding="utf-8")
    else:
        print(make_text(), end="")
    return 0


def main(argv: list[str] | None = None) -> int:
    return write_or_print(
        argv, "Write (or print) the shipped parses of the blueprints' static files.", table_path(), text
    )


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
