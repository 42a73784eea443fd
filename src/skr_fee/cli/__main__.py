"""``python -m skr_fee.cli``: the same as the ``skr-fee`` command."""

import sys

from . import main

sys.exit(main())
