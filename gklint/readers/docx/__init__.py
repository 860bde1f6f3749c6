"""Word .docx: everything that works on its XML — reading (reader), bringing drafts to what Word shows
(normalise), auto-numbering (numbering), and finding the element behind a paragraph or cell (locate)."""
