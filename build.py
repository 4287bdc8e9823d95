"""Build the clinic's website: ``python build.py --help`` lists the commands."""

import sys

from sitegen.bootstrap import ensure_environment

ensure_environment()

from sitegen.cli import main  # noqa: E402  (needs the environment set up above)

sys.exit(main())
