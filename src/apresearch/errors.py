"""One family of errors: every mistake a user can make raises an :class:`ApresearchError`.

The command line prints such an error as one line and exits with status 1; anything else is
a bug. The subclasses say what kind of mistake it was:

* :class:`DataValidationError` — a data folder or table breaks the data contract (it lists
  every problem with its file, line, column and value);
* :class:`ParameterError` — a function or notebook parameter outside what is valid (the
  message names the parameter and what is valid);
* :class:`ImportFormatError` — a publisher's file is not in the format an importer reads;
* :class:`RenderError` — a bad render request (unknown notebook, manifest key, output path).

Each also derives from :class:`ValueError`, so ``except ValueError`` keeps working.
"""

from __future__ import annotations

__all__ = ["ApresearchError", "DataValidationError", "ParameterError", "ImportFormatError",
           "RenderError"]


class ApresearchError(Exception):
    """Base of every error the package raises for a user's mistake."""


class ParameterError(ApresearchError, ValueError):
    """A parameter value outside what the data or the function supports."""


class ImportFormatError(ApresearchError, ValueError):
    """A file is not in the format the importer reads; the message says what was expected."""


class RenderError(ApresearchError, ValueError):
    """A bad render request: unknown notebook, parameter or manifest key, or an unusable
    output path."""


class DataValidationError(ApresearchError, ValueError):
    """A data folder breaks the data contract; lists every problem found."""

    def __init__(self, problems, folder):
        self.problems = list(problems)
        self.folder = str(folder)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in data folder {self.folder}:"
        super().__init__("\n".join([head, *(f"  - {p}" for p in self.problems)]))
