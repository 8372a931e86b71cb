"""Render the blueprints into text: a pure function of the answers, byte-identical every time.

Only the files that depend on the answers (or on `tfgen.init.facts`) are Jinja templates (`.j2`);
the modules (blueprints/modules/*) are plain Terraform and Markdown, copied verbatim, so
`terraform fmt`, editors and linters read them where they are. `versions.tf.j2` is rendered once
and written to the root and into every module: each pins the same versions.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2 import meta

from tfgen.hcl.quote import quote_key, to_hcl
from tfgen.init import facts
from tfgen.init.config import BaselineConfig

# Bump when a blueprint change alters generated output; recorded in the manifest.
# 2: .gitignore, terraform-docs tables in module READMEs, Proton pipeline/CodeBuild roles opt-in;
# 3: the CIS account baseline (account_iam, account_encryption, account_audit) in every answered region.
BLUEPRINT_VERSION = "3"
TEMPLATE_SUFFIX = ".j2"
# A template named `dot-x.j2` renders `.x`: setuptools' package-data globs (`*.j2`) skip
# names that start with a dot, so a `.gitignore.j2` would be missing from the wheel.
DOTFILE_PREFIX = "dot-"
MODULES_DIR = "modules"
STATIC_SUFFIXES = (".tf", ".md")  # what a module holds
VERSIONS = "versions.tf"
ANSWERS = "cfg"  # the name a template reads the answers by


def blueprint_root() -> Path:
    # The package's directory, as importlib.resources.files gives it for a package on disk (the
    # only kind: templates and modules are read as files), without importing importlib.resources
    # and zipfile (~2 ms of a first init).
    import tfgen.blueprints

    return Path(next(iter(tfgen.blueprints.__path__)))


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The one Environment renders use."""
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


@lru_cache(maxsize=1)
def answer_paths() -> frozenset[str]:
    """The paths of a render whose bytes depend on the answers: those of the templates that read `cfg`.

    A template renders from `cfg`, `facts` and `blueprint_version` only, so one that never names
    `cfg` (Jinja's own analysis of its source) renders the same bytes for every answer, as the
    modules, copied verbatim, do. `tfgen init` proves these paths at every run; the rest once, in
    the tests (tests/test_init_blueprints.py).
    """
    env = environment()
    reading = [
        name
        for name in template_names()
        if ANSWERS in meta.find_undeclared_variables(env.parse(env.loader.get_source(env, name)[0]))  # type: ignore[union-attr]  # make_environment sets a loader
    ]
    return frozenset(path for name in reading for path in output_paths(name))


@lru_cache(maxsize=1)
def module_names() -> tuple[str, ...]:
    """The modules, one directory each under blueprints/modules/."""
    return tuple(
        sorted(p.name for p in (blueprint_root() / MODULES_DIR).iterdir() if p.is_dir() and not p.name.startswith("_"))
    )


def static_names() -> list[str]:
    """The modules' files, copied as they are (relative POSIX paths, sorted)."""
    root = blueprint_root()
    return sorted(
        p.relative_to(root).as_posix()
        for p in (root / MODULES_DIR).rglob("*")
        if p.is_file() and p.name.endswith(STATIC_SUFFIXES)
    )


def static_text(name: str) -> str:
    """A static file as the render writes it (what Jinja's loader would make of it: newlines as "\n")."""
    text = (blueprint_root() / name).read_text(encoding="utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def output_paths(template: str) -> list[str]:
    """Every path a template renders to: versions.tf also into each module."""
    path = output_path(template)
    if path == VERSIONS:
        return [path, *(f"{MODULES_DIR}/{module}/{VERSIONS}" for module in module_names())]
    return [path]


def output_path(template: str) -> str:
    """The path a template renders to: `.j2` dropped, a `dot-` name prefix made a dot."""
    parent, _, name = template[: -len(TEMPLATE_SUFFIX)].rpartition("/")
    if name.startswith(DOTFILE_PREFIX):
        name = "." + name[len(DOTFILE_PREFIX) :]
    return f"{parent}/{name}" if parent else name


def render_baseline(config: BaselineConfig) -> dict[str, str]:
    """Relative POSIX path -> file text, for every blueprint, in sorted order."""
    env = environment()
    context = {ANSWERS: config, "blueprint_version": BLUEPRINT_VERSION, "facts": facts}
    rendered: dict[str, str] = {}
    for name in template_names():
        text = env.get_template(name).render(context)
        for path in output_paths(name):
            rendered[path] = text
    for name in static_names():
        rendered[name] = static_text(name)
    return {path: text if text.endswith("\n") else text + "\n" for path, text in sorted(rendered.items())}
