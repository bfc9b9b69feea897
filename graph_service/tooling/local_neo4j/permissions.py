"""The instance's files readable by their owner only: the store, its transaction logs, `auth.ini`
(the hashed password) and the logs hold the graph and its credentials."""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE = ("conf", "data", "logs", "run")
SERVER_UMASK = 0o077  # what the server creates afterwards is its owner's alone too


def owner_only(home: Path) -> None:
    """Take group and other permissions off the home folder and everything under PRIVATE."""
    home.chmod(stat.S_IMODE(home.stat().st_mode) & ~0o077)
    # The launcher appends the server's console output here itself, outside the server's umask.
    (home / "logs").mkdir(parents=True, exist_ok=True)
    (home / "logs" / "console.log").touch(mode=0o600, exist_ok=True)
    for sub in PRIVATE:
        top = home / sub
        if not top.exists():
            continue
        for path in (top, *top.rglob("*")):
            if not path.is_symlink():
                os.chmod(path, stat.S_IMODE(path.lstat().st_mode) & ~0o077)
