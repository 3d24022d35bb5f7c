"""Entry point of the bundled program (PyInstaller): the same ``ffdesk`` as the installed script."""

import sys

from desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
