"""Per-process plumbing of a long-lived server: the buffered audit writer, the cached network view, compute threads."""
