# One operation of a commit's update request: move the staging graph ?staging onto the
# document graph ?graph, replacing what ?graph held.  A template, rendered by
# sparql_client.render_update (see drop_graph.ru).
MOVE SILENT GRAPH ?staging TO ?graph
