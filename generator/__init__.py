"""Deep-learning model reengineering knowledge base: the generator.

The pipeline is split by stage, one module each::

    load (strict YAML + BibTeX)  -> loader.py, yamlstrict.py, bibliography.py
    validate (schema, then rules) -> schema.py, models.py, rules.py
    link (typed graph)            -> graph.py
    render (pages, diagrams)      -> render/, diagrams.py
    write / hand to MkDocs        -> writer.py, mkdocs_hooks.py

Only the first and the last stage touch the disk.
"""

__version__ = "0.1.0"
