"""Text processing with spaCy: pipeline loading, sentences, named entities.

The only package that imports spaCy, and only inside functions, so that importing
``qualcode`` (and running the CLI) never pays spaCy's start-up time unless it is used.
"""
