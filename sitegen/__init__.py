"""Static-site generator for the clinic's bilingual website.

The stages run one way: config -> sources -> validated pages -> site model ->
rendered outputs in memory -> site/.  This module imports nothing beyond the
standard library so that ``build.py`` can bootstrap the environment first.
"""

__version__ = "0.1.0"
