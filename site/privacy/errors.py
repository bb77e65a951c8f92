class PrivacyError(Exception):
    """A refused export or removal, with a message for the person who asked."""

    def __init__(self, message: str, *, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
