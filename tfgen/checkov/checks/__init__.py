"""checkov custom policies shipped with tfgen (loaded with `--external-checks-dir`).

checkov loads Python custom checks only from a directory with an `__init__.py`, hence this
package. tfgen's own rules are python-hcl2 rules today (`tfgen.validate.rules`): they read
policies alike in every form, share the inline-skip handling and run without checkov. A rule
that reads better as a checkov policy goes here as a `.py` or `.yaml` file; `checkov_run`
passes this directory to checkov as soon as it holds one, and `practices.py` must map its id.
"""
