"""Graph: IRIs, facts as RDF with the ontology, validation, and the Oxigraph store."""
