import sys

from tfgen.validate.registry import main

raise SystemExit(main(sys.argv[1:]))
