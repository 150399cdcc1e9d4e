#!/usr/bin/env bash
# Set up, build the graph and search index from corpus/, show what is in it, then
# serve the web application on http://localhost:8000/ (Ctrl-C stops it).
# Usage: bash scripts/run.sh [CORPUS_DIR]
#   BESLUTSGRAF_DATA_DIR chooses the data folder, PORT the port (default 8000).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
# shellcheck disable=SC1091
. .venv/bin/activate

corpus=${1:-corpus}
beslutsgraf build "$corpus"
echo
beslutsgraf stats
echo
echo "example query: documents with their kind, date and case number"
beslutsgraf sparql '
PREFIX bg: <https://beslutsgraf.se/ontology#>
SELECT ?source ?kind ?date ?case WHERE {
  ?doc a bg:Document ; bg:sourceFile ?source .
  OPTIONAL { ?doc bg:documentType ?kind }
  OPTIONAL { ?doc bg:date ?date }
  OPTIONAL { ?doc bg:case/bg:caseNumber ?case }
} ORDER BY ?source'
echo
echo "example search: beslutsgraf search \"våldsbejakande extremism\" --limit 3"
beslutsgraf search "våldsbejakande extremism" --limit 3
echo
echo "example lineage: beslutsgraf lineage STK-2024-351"
beslutsgraf lineage STK-2024-351 --depth 1
echo
port=${PORT:-8000}
echo "open http://localhost:${port}/ : search for CTC, open a document, follow STK-2024-351"
echo "  SPARQL endpoint http://localhost:${port}/sparql · API http://localhost:${port}/api/docs"
exec beslutsgraf serve --host 127.0.0.1 --port "$port"
