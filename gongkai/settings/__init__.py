"""Default settings: everything from the environment (see base.py)."""

from gongkai.settings.base import *  # noqa: F403
