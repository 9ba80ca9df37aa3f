"""The package's error: DatasetError, for data that is missing, corrupted or unavailable."""


class DatasetError(RuntimeError):
    """The data set is missing, corrupted or unavailable; the message says what to do."""
