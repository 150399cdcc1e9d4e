"""The web interface: one FastAPI application assembled from routers (see ``app.create_app``)."""
