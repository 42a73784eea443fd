"""Errors the product reports to people, with Swedish messages.

Each error knows which Excel error value a cell should show for it, so the
Excel shells need no table of their own.
"""


class SkrFeeError(Exception):
    """An error with a message meant for the user (in Swedish)."""

    excel_error = "#VALUE!"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UnknownMunicipality(SkrFeeError, LookupError):
    """A name or code that matches no municipality."""

    excel_error = "#N/A"

    def __init__(self, message: str, query: object = None, suggestions: tuple = ()):
        super().__init__(message)
        self.query = query
        self.suggestions = tuple(suggestions)


class NotParticipating(SkrFeeError):
    """The municipality has not joined the recommendation for that period."""

    excel_error = "#N/A"


class InvalidArgument(SkrFeeError, ValueError):
    """An argument of the wrong kind or out of range."""


class MissingData(SkrFeeError):
    """Population or participation data the computation needs is not available."""

    excel_error = "#N/A"
