"""Read a bundle's YAML (schema, manifests, spec) with the line of every mapping key.

Errors in a bundle must name the file and line, so mappings are built as `Located` dicts that
remember where each key was written.
"""

from __future__ import annotations

from typing import Any

import yaml

from tfgen.errors import EXIT_USAGE, InputFileError


class BundleError(InputFileError):
    """A bundle (or --inputs file) tfgen cannot convert: one line, exit 2, nothing written."""

    exit_code = EXIT_USAGE


class Located(dict[Any, Any]):
    """A YAML mapping that knows its own line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line) if hasattr(self, "key_lines") else self.line


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Any:
    data = Located()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) or key is None:
            raise yaml.constructor.ConstructorError(None, None, "a mapping key must be a scalar", key_node.start_mark)
        data[str(key)] = loader.construct_object(value_node, deep=True)
        data.key_lines[str(key)] = key_node.start_mark.line + 1


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def load(text: str, path: str) -> Any:
    """The document in `text`; BundleError naming `path` and the line for invalid YAML."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise BundleError(path, line, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise BundleError(path, None, f"invalid YAML: {str(exc).splitlines()[0]}") from None
    except RecursionError:
        raise BundleError(path, None, "invalid YAML: nested too deeply") from None


def line_in(value: Any, key: str | None = None) -> int | None:
    if isinstance(value, Located):
        return value.line_of(key) if key is not None else value.line
    return None
