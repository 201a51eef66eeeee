"""What the `bureau` command says about an error: one line that names the fix.

``app.cli.main`` is the one place that prints errors; this module turns any exception into
that line. Bureau's own errors already carry a message and a fix; errors from the filesystem,
from validation libraries and from text decoding are reworded here so that no library wording
("Value error, ...", "[Errno 2]") and no traceback reaches the founder.
"""

from __future__ import annotations

import errno
import os

from app.core.errors import BureauError

BUG_FIX = "This is a bug in Bureau: run the command again with BUREAU_DEBUG=1 to see the details, and report it."


def explain(exc: BaseException) -> str:
    """The founder-readable line for ``exc`` (without the "bureau: error:" prefix)."""
    return str(as_bureau_error(exc))


def as_bureau_error(exc: BaseException) -> BureauError:
    if isinstance(exc, BureauError):
        return exc
    if isinstance(exc, OSError):
        return _os_error(exc)
    if isinstance(exc, UnicodeError):
        return BureauError(f"Some text is not valid UTF-8 ({_reason(exc)}).",
                           fix="Save files as UTF-8 and type arguments as plain text.")
    if type(exc).__name__ == "ValidationError" and hasattr(exc, "errors"):  # pydantic, without importing it
        return BureauError(f"{validation_message(exc)}.", fix="Correct that value; nothing was changed.")
    return BureauError(f"Unexpected error ({type(exc).__name__}): {exc}.", fix=BUG_FIX)


def validation_message(exc: BaseException) -> str:
    """The first problem a pydantic ``ValidationError`` reports, in plain words."""
    errors = exc.errors()  # type: ignore[attr-defined]
    if not errors:
        return "a value is not valid"
    err = errors[0]
    where = ".".join(str(p) for p in err.get("loc", ()) if p != "__root__")
    from app.core.jsonfile import plain_message

    message = plain_message(str(err.get("msg", "")))
    return f"{where}: {message}" if where else message


def _os_error(exc: OSError) -> BureauError:
    name = exc.filename if exc.filename is not None else ""
    where = f" {os.fsdecode(name)!s}" if name != "" else ""
    code = exc.errno
    if isinstance(exc, FileNotFoundError) or code == errno.ENOENT:
        return BureauError(f"There is no file or folder{where}.",
                           fix="Check the path; to write a file there, create its folder first.")
    if isinstance(exc, IsADirectoryError) or code == errno.EISDIR:
        return BureauError(f"{where.strip() or 'That path'} is a folder, not a file.", fix="Give a file's path.")
    if isinstance(exc, NotADirectoryError) or code == errno.ENOTDIR:
        return BureauError(f"A part of the path{where} is a file, not a folder.", fix="Check the path.")
    if isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM):
        return BureauError(f"Bureau may not use{where or ' that path'}.",
                           fix="Check the permissions of that file or folder, or choose another path.")
    if code == errno.ENOSPC:
        return BureauError(f"The disk is full{' at' + where if where else ''}.",
                           fix="Free some disk space; nothing was changed.")
    if code == errno.ENAMETOOLONG:
        return BureauError("A file name is too long.", fix="Use a shorter path.")
    reason = exc.strerror or str(exc) or type(exc).__name__
    return BureauError(f"Could not use{where or ' a file'}: {reason}.", fix="Check the path and the disk, then try again.")


def _reason(exc: UnicodeError) -> str:
    if isinstance(exc, UnicodeDecodeError | UnicodeEncodeError):
        return f"at position {exc.start}"
    return str(exc)
