"""You May Also Like: up to four related articles at the end of every article page.

The ranking core (core.py, settings.py, tags.py) needs no Pelican; the Pelican
adapter (plugin.py) is imported only when Pelican loads the plugin.
"""


def register() -> None:
    """Connect the plugin to Pelican's signals (Pelican's plugin entry point)."""
    from .plugin import register as register_plugin

    register_plugin()
