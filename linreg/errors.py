"""The project's own errors: each carries a message written for the person at the screen."""


class LinregError(ValueError):
    """Base class: the message is safe and meant to be shown as-is in the page."""


class DataError(LinregError):
    """Input data (a CSV, a column choice, a dataset) cannot be used, and why."""


class SettingsError(LinregError):
    """A setting is missing, of the wrong type or out of its range, and which one."""
