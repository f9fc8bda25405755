"""Load stage: read a knowledge-base folder (or a git tree) and parse strict YAML and BibTeX."""
