"""`python -m builder` runs the `claims` command."""

import sys

from builder.cli import main

sys.exit(main())
