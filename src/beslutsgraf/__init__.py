"""beslutsgraf: a knowledge graph and search engine over Swedish municipal decision documents."""

__version__ = "0.3.0"
