"""Writing themed quote collections: Markdown, HTML, CSV, JSON (and more formats).

``quotes.py`` turns retrieval results into pseudonymised, attributed quotes grouped by
theme and refuses to write any that still contain a listed name; one module per format
writes them, always atomically.
"""
