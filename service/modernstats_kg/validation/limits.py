"""The bounds of one validation run: how big a file may be, how many results a report shows."""

from __future__ import annotations

# Far above the largest content file (under 1 MB); a 32 MB Turtle file already takes about 1 GB once parsed.
MAX_FILE_BYTES = 32 * 1024 * 1024
# Results a report shows by default, the most severe first; all of them are counted.
MAX_RESULTS = 1000

__all__ = ["MAX_FILE_BYTES", "MAX_RESULTS"]
