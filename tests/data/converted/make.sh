#!/usr/bin/env bash
# Rebuild the converted fixtures from the real corpus, exactly as committed (see SOURCES.md).
# Needs: pdf2docx 0.5.13 (pip install pdf2docx) in the venv, LibreOffice (soffice), pandoc 2.17.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=../../..
PY=${PY:-$ROOT/.venv/bin/python}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in ../pdf/*.pdf; do  # "edit the PDF in Word": pdf2docx, as offices do
  b=$(basename "$f" .pdf)
  "$PY" -c 'import sys; from pdf2docx import Converter; c = Converter(sys.argv[1]); c.convert(sys.argv[2]); c.close()' \
    "$f" "$b.pdf2docx.docx" >/dev/null 2>&1
done
for f in ../real/*.html; do  # a web page opened in LibreOffice Writer and saved as Word
  b=$(basename "$f" .html)
  timeout 180 soffice -env:UserInstallation="file://$tmp/profile" --headless --infilter="HTML (StarWriter)" \
    --convert-to "docx:MS Word 2007 XML" --outdir "$tmp" "$f" >/dev/null 2>&1
  mv "$tmp/$b.docx" "$b.libreoffice.docx"
  # pandoc: the page's pictures (site logos, not reachable offline) left out first, as pandoc stops on them
  sed -E 's/<img[^>]*>//g' "$f" > "$tmp/$b.html"
  pandoc -f html -t docx -o "$b.pandoc.docx" "$tmp/$b.html" 2>/dev/null
done
for f in ../real/*_source.md; do  # Markdown extractions converted with pandoc
  b=$(basename "$f" .md)
  pandoc -f markdown -t docx -o "$b.pandoc.docx" "$f"
done
