#!/usr/bin/env bash
# Set up, then build the graph from corpus/ and show what is in it.
# Usage: bash scripts/run.sh [CORPUS_DIR]   (BESLUTSGRAF_DATA_DIR chooses the data folder)
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
