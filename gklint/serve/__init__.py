"""`gklint serve`: a web application (Starlette on uvicorn) for the clerks who draft the reports: the page
(static/), its API (app.py), uploads read while streaming (upload.py), checks in worker processes with a time
limit per file (worker.py), and the check itself as `gklint check` does it (checking.py)."""
