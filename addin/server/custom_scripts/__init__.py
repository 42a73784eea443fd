from .skr import *  # noqa: F401,F403
