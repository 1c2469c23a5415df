"""Data model and the services that change it (no Qt, no OpenCV)."""
