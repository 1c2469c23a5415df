"""Asset-tag scanning: frame sources, decoders, tag rules, debounce (no Qt)."""
