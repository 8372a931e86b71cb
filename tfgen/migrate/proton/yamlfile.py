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


# A bundle's YAML comes from anyone. Aliases make a few hundred bytes a graph that expands to
# billions of nodes (every walk of it, ours or a later step's, would never end), so the composed
# graph is measured before anything is built from it: nodes as expanded, and depth. Proton
# schemas and specs hold hundreds of nodes, a few levels deep.
MAX_EXPANDED_NODES = 1_000_000
MAX_DEPTH = 100


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_bounds(root: yaml.Node, path: str) -> None:
    """BundleError unless `root` expands to at most MAX_EXPANDED_NODES nodes, MAX_DEPTH deep (no recursion)."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        key = id(node)
        line = node.start_mark.line + 1
        if closing:
            open_nodes.discard(key)
            children = _children(node)
            size[key] = 1 + sum(size[id(c)] for c in children)
            depth[key] = 1 + max((depth[id(c)] for c in children), default=0)
            if size[key] > MAX_EXPANDED_NODES:
                raise BundleError(
                    path,
                    line,
                    f"invalid YAML: its aliases expand to more than {MAX_EXPANDED_NODES:,} nodes (an alias bomb?)",
                )
            if depth[key] > MAX_DEPTH:
                raise BundleError(path, line, f"invalid YAML: nested too deeply (more than {MAX_DEPTH} levels)")
            continue
        if key in size:
            continue
        if key in open_nodes:
            raise BundleError(path, line, "invalid YAML: an alias inside its own anchor expands without end")
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in size)


def check_depth(value: Any, path: str) -> None:
    """BundleError when a parsed value (JSON's) nests more than MAX_DEPTH levels (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if level > MAX_DEPTH:
            raise BundleError(path, None, f"nested too deeply (more than {MAX_DEPTH} levels)")
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)


def load(text: str, path: str) -> Any:
    """The document in `text`; BundleError naming `path` and the line for invalid YAML, and for a
    document past the bounds (MAX_EXPANDED_NODES, MAX_DEPTH) before anything is built from it."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_bounds(node, path)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise BundleError(path, line, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise BundleError(path, None, f"invalid YAML: {str(exc).splitlines()[0]}") from None
    except RecursionError:
        raise BundleError(path, None, "invalid YAML: nested too deeply") from None
    finally:
        loader.dispose()


def line_in(value: Any, key: str | None = None) -> int | None:
    if isinstance(value, Located):
        return value.line_of(key) if key is not None else value.line
    return None
