"""Text: reading source files, normalising their text and finding its sections."""
