"""The command line: thin click commands over the pipeline, mapping results to exit codes 0/1/2.

``run`` is the console script (``reengineering-kb``) and ``python -m generator``.
"""

from generator.cli.main import run

__all__ = ["run"]
