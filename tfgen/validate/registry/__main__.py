import sys

from tfgen.validate.registry.render import main

raise SystemExit(main(sys.argv[1:]))
