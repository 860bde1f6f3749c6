"""What is shown: in-document directives, configuration (select, ignore, per-file-ignores), the baseline and
the display threshold."""
