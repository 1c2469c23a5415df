"""Entry point of the bundled `kiosk` program (PyInstaller): the same command the wheel installs."""

import sys

from kiosk.cli import main

if __name__ == "__main__":
    sys.exit(main())
