"""Render the blueprints into text: a pure function of the answers, byte-identical every time."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import jinja2

from tfgen.init.config import BaselineConfig
from tfgen.hcl.quote import quote_key, to_hcl

# Bump when a blueprint change alters generated output; recorded in the manifest.
BLUEPRINT_VERSION = "2"  # 2: .gitignore, terraform-docs tables in module READMEs, Proton pipeline/CodeBuild roles opt-in
TEMPLATE_SUFFIX = ".j2"
# A template named `dot-x.j2` renders `.x`: setuptools' package-data globs (`*.j2`) skip
# names that start with a dot, so a `.gitignore.j2` would be missing from the wheel.
DOTFILE_PREFIX = "dot-"


def blueprint_root() -> Path:
    return Path(str(resources.files("tfgen.blueprints")))


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(blueprint_root())),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["hcl"] = to_hcl
    env.filters["hcl_key"] = quote_key  # a user value that becomes an object key or name
    return env


def template_names() -> list[str]:
    root = blueprint_root()
    return sorted(p.relative_to(root).as_posix() for p in root.rglob(f"*{TEMPLATE_SUFFIX}") if p.is_file())


def output_path(template: str) -> str:
    """The path a template renders to: `.j2` dropped, a `dot-` name prefix made a dot."""
    parent, _, name = template[: -len(TEMPLATE_SUFFIX)].rpartition("/")
    if name.startswith(DOTFILE_PREFIX):
        name = "." + name[len(DOTFILE_PREFIX):]
    return f"{parent}/{name}" if parent else name


def render_baseline(config: BaselineConfig) -> dict[str, str]:
    """Relative POSIX path -> file text, for every blueprint, in sorted order."""
    env = environment()
    context = {"cfg": config, "blueprint_version": BLUEPRINT_VERSION}
    rendered: dict[str, str] = {}
    for name in template_names():
        text = env.get_template(name).render(context)
        if not text.endswith("\n"):
            text += "\n"
        rendered[output_path(name)] = text
    return rendered
