# One operation of a commit's update request: drop the named graph ?graph.
# A template: SPARQL Update takes no variables in graph management, so
# sparql_client.render_update writes the bound IRI in place of ?graph, serialised by
# pyoxigraph (an IRI that could break the request is refused by it).
DROP SILENT GRAPH ?graph
