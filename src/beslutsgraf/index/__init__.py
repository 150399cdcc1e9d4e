"""Index: search passages, the BM25 index and the dense vectors, on disk."""
