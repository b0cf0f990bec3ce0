"""The delivery backends, one module each, and the registry from name to class."""
