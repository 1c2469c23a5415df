"""Qt widgets, models and adapters: the only package that imports PySide6."""
