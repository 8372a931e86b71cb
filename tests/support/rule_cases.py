"""Cases of tfgen's rule tests, read from `.tf` files under tests/cases/rules/ (not escaped strings).

A case is a directory: its Terraform files (`.tf`, `.tf.json`, `.tfvars`) form the module the rules
see, under their own names (a backend in `backend.tf`, variables in `terraform.tfvars`); any other
file (a policy `trust.json` read with `file()`) stays on disk beside them, as in a real module.
`tests/cases/rules/<practice>/<case>` for one case, `<practice>/<group>/<case>` for a parametrized set.
"""

from __future__ import annotations

from pathlib import Path

from support.validate import module_from
from tfgen.validate.groups import local_sources
from tfgen.validate.module import Module, link_calls
from tfgen.validate.rules import Result, run_rules

RULE_CASES = Path(__file__).resolve().parents[1] / "cases" / "rules"
MODULE_SUFFIXES = (".tf", ".tf.json", ".tfvars")


def case_dir(*parts: str) -> Path:
    path = RULE_CASES.joinpath(*parts)
    assert path.is_dir(), f"no rule case {path}"
    return path


def case_names(*parts: str) -> list[str]:
    """The cases of a parametrized set, sorted (the ids of a parametrize); `_modules` holds the modules
    several cases of the set call."""
    return sorted(p.name for p in case_dir(*parts).iterdir() if p.is_dir() and p.name != "_modules")


def case_text(*parts: str, name: str = "main.tf") -> str:
    return (case_dir(*parts) / name).read_text(encoding="utf-8")


def case_module(*parts: str) -> Module:
    directory = case_dir(*parts)
    files = {
        p.name: p.read_text(encoding="utf-8") for p in sorted(directory.iterdir()) if p.name.endswith(MODULE_SUFFIXES)
    }
    assert files, f"rule case {directory} holds no Terraform file"
    return module_from(files, directory)


def case_results(*parts: str) -> list[Result]:
    """Every rule's results on the case's module."""
    return list(run_rules(case_module(*parts)))


def case_tree_results(*parts: str) -> list[Result]:
    """Every rule's results on each module of a case holding several: the case's directories and the
    directories their local `source`s lead to (a set's shared `../_modules/x`), transitively."""
    root = case_dir(*parts)
    directories = {p.parent for p in root.rglob("*") if p.name.endswith(MODULE_SUFFIXES)}
    todo = sorted(directories)
    while todo:
        for path in sorted(todo.pop().iterdir()):
            if path.name.endswith(MODULE_SUFFIXES):
                for source in local_sources(path.read_bytes()):
                    called = (path.parent / source).resolve()
                    if called not in directories and called.is_dir():
                        directories.add(called)
                        todo.append(called)
    modules: dict[str, Module] = {}
    for directory in sorted(directories):
        files = {
            p.name: p.read_text(encoding="utf-8")
            for p in sorted(directory.iterdir())
            if p.name.endswith(MODULE_SUFFIXES)
        }
        modules[str(directory)] = module_from(files, directory)
    link_calls(modules)
    return [result for module in modules.values() for result in run_rules(module)]
