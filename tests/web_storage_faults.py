"""An in-process fault seam for the phone page's storage: every file write, fsync, rename and
link (through `os`) and every SQLite write statement on a file (through `sqlite3.connect`) is counted,
and the Nth can be made to fail with EIO or ENOSPC, as a failing SD card would."""

from __future__ import annotations

import errno
import os
import sqlite3

SQL_WRITES = ("INSERT", "DELETE", "UPDATE", "COMMIT")


class InjectedFault(OSError):
    pass


class Faults:
    """Install with `Faults(monkeypatch, fail_at=n, code=errno.EIO)`; `ops` lists what was counted."""

    def __init__(self, monkeypatch, fail_at: int | None = None, code: int = errno.EIO):
        self.fail_at, self.code, self.ops = fail_at, code, []
        real = {name: getattr(os, name) for name in ("fsync", "replace", "rename", "link", "fdopen")}
        real_connect = sqlite3.connect
        faults = self

        def counted(name, function):
            def wrapper(*args, **kwargs):
                faults.op(name)
                return function(*args, **kwargs)
            return wrapper

        class File:
            def __init__(self, inner):
                self.inner = inner

            def write(self, data):
                faults.op("write")
                return self.inner.write(data)

            def __getattr__(self, name):
                return getattr(self.inner, name)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.inner.close()

        class Connection(sqlite3.Connection):
            def execute(self, sql, *args):
                self._count(sql)
                return super().execute(sql, *args)

            def executemany(self, sql, *args):
                self._count(sql)
                return super().executemany(sql, *args)

            def _count(self, sql):
                verb = sql.lstrip().split(" ", 1)[0].upper()
                if verb in SQL_WRITES:
                    try:
                        faults.op(f"sqlite {verb}")
                    except InjectedFault as error:
                        raise sqlite3.OperationalError(os.strerror(error.errno)) from None

        for name in ("fsync", "replace", "rename", "link"):
            monkeypatch.setattr(os, name, counted(name, real[name]))
        monkeypatch.setattr(os, "fdopen", lambda *a, **k: File(real["fdopen"](*a, **k)))
        def connect(database, *args, **kwargs):  # a database in memory is not storage
            if str(database) != ":memory:":
                kwargs.setdefault("factory", Connection)
            return real_connect(database, *args, **kwargs)

        monkeypatch.setattr(sqlite3, "connect", connect)

    def op(self, name: str) -> None:
        self.ops.append(name)
        if len(self.ops) == self.fail_at:
            raise InjectedFault(self.code, os.strerror(self.code))
