"""The command groups of ``qualcode``: one module per area, each with ``register(sub)``.

A module here imports only the standard library at load time; its handlers import the
services they call, so ``qualcode --help`` loads no Qt, spaCy, pandas or numpy.
"""

MODULES = ["project", "documents", "codebook", "codings", "agreement", "stories", "search", "reports", "gui", "refi", "maintenance"]
