"""Settings read from the environment (each read is a boundary)."""

import os
import tempfile

DEFAULT_CARD_LIMIT = 100


def data_dir(argv):
    """Where the sample keeps its files.

    argv[1], else $CURRANT_SAMPLE_DIR, else a new temporary directory.
    """
    if len(argv) > 1:
        path = argv[1]
    elif "CURRANT_SAMPLE_DIR" in os.environ:
        path = os.environ["CURRANT_SAMPLE_DIR"]
    else:
        path = tempfile.mkdtemp(prefix="currant-sample-")
    os.makedirs(path, exist_ok=True)
    return path


def card_limit():
    """Largest amount (in cents) a card may be charged in one order."""
    raw = os.getenv("CURRANT_SAMPLE_CARD_LIMIT")
    return int(raw) * 100 if raw else DEFAULT_CARD_LIMIT * 100


def pace():
    """Seconds to wait between orders (the demo slows a run down with it)."""
    return float(os.getenv("CURRANT_SAMPLE_PACE", "0.01"))


def currency():
    return os.environ.get("CURRANT_SAMPLE_CURRENCY", "EUR")
