"""A parsing worker: a pickled list of (name, display, bytes) on stdin, their parses on stdout.

Started by `parsing.parse_all` as `python -m tfgen.hcl.parse_worker`; it imports only what
parsing needs, and never the caller's main module.
"""

from __future__ import annotations

import pickle
import sys

from tfgen.hcl.parsing import parse_to_json


def main() -> None:
    items = pickle.loads(sys.stdin.buffer.read())
    pickle.dump([parse_to_json(item) for item in items], sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)


if __name__ == "__main__":
    main()
