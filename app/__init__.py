"""Bureau: a small AI company on your own laptop."""

__version__ = "0.1.0"
