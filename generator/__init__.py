"""Deep-learning model reengineering knowledge base: the generator.

The pipeline is split by stage, one sub-package or module each::

    load (files, strict YAML, BibTeX, git)  -> load/
    validate (schema, rules, lint)          -> validate/, models.py
    link (typed graph, coverage)            -> graph.py
    the three in one call                   -> pipeline.py (returns kb.Checked)
    render (pages, diagrams, downloads)     -> render/
    write / hand to MkDocs                  -> write/

beside them the products and tools ``checklist/``, ``history/``,
``contrib/`` and the command line ``cli/``. Only load and write touch the
disk. ``generator/README.md`` is the maintainer's map: the layers, the
types passed between stages, and where to add an entity type, a rule, a
page or an export.
"""

__version__ = "0.1.0"
