"""Extraction: spaCy (blank Swedish) with rule components and gazetteers, from text to typed facts with spans."""
