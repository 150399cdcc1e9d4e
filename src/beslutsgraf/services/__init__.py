"""Services: search, lineage, entity views and SPARQL, as plain Python (no web or CLI types)."""
