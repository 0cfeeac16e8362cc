#!/usr/bin/env python3
"""Holds the search index's write lock, so that a CLI write leaves the index alone (as when a
server runs): the benchmark times `opennos import` without its index step this way when the
binary has no `import --no-index`.

    python3 bench/search_lock.py DATA/index    # prints "locked", holds it until killed

The sharded index (a manifest and shards) is locked with flock() on DATA/index/lock; the older
single-database index with Xapian's fcntl() lock on DATA/index/flintlock. Taking it here makes
the CLI's attempt fail as "being written by another process". The index must exist.
"""
import fcntl
import os
import signal
import sys

if os.path.exists(os.path.join(sys.argv[1], "lock")):
    fd = os.open(os.path.join(sys.argv[1], "lock"), os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
else:
    fd = os.open(os.path.join(sys.argv[1], "flintlock"), os.O_RDWR)
    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
print("locked", flush=True)
while True:
    signal.pause()
