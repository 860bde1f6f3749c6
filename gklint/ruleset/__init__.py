"""Rule sets: TOML templates (sections, tables, rows, columns, rules), loaded, merged and validated; the
expression language their identities are written in."""
