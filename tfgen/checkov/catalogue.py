"""checkov's checks as tfgen knows them: `data/catalogue.json`, written from checkov's own metadata.

`data/generate_catalogue.py` writes it with the interpreter of tfgen's checkov environment (checkov
cannot be imported next to python-hcl2). The validate registry derives its checkov checks from it;
the "nothing evaluated" guard (`empty_report`) reads the entity types each check applies to.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def checkov_data() -> dict[str, Any]:
    """catalogue.json as written by data/generate_catalogue.py."""
    from importlib.resources import files  # ~4 ms to import: only runs that report checkov's ids pay it

    return json.loads(files(__package__).joinpath("data").joinpath("catalogue.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def checkov_entities() -> dict[str, tuple[str, ...]]:
    """ "kind type" (resource, data, provider) -> the checkov ids checkov lists for it."""
    out: dict[str, list[str]] = {}
    for entry in checkov_data()["checks"]:
        for entity in entry["entities"]:
            out.setdefault(entity, []).append(entry["id"])
    return {entity: tuple(ids) for entity, ids in out.items()}
