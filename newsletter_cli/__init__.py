"""newsletter: build, preview and send the Regional Update email newsletter."""

__version__ = "0.1.0"
