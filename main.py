"""Open the QualCode window: ``python main.py [PROJECT]``."""

import sys

from qualcode.app import run_gui

if __name__ == "__main__":
    sys.exit(run_gui(sys.argv[1] if len(sys.argv) > 1 else None))
