#!/usr/bin/env python
"""Django's command-line utility; the ``gongkai`` console script does the same."""

from gongkai.cli import main

if __name__ == "__main__":
    main()
