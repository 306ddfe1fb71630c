#!/usr/bin/env bash
# Render report.xlsx / report.pptx (or any office file) to PNG pages to look at.
#   scripts/render_office.sh innsatstrapp-demo/rapport/report.pptx shots/
# Needs: apt-get install -y --no-install-recommends libreoffice-calc libreoffice-impress poppler-utils
set -euo pipefail
file=$1; out=${2:-shots}
mkdir -p "$out"
tmp=$(mktemp -d)
soffice --headless --convert-to pdf --outdir "$tmp" "$file" >/dev/null
stem=$(basename "${file%.*}")
ext=${file##*.}
pdftoppm -png -r 60 "$tmp/$stem.pdf" "$out/$stem-$ext"
rm -rf "$tmp"
ls "$out"/"$stem-$ext"*
