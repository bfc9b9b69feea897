"""Domain exceptions; the API maps them to HTTP status codes in one place (api/problems.py)."""


class TrustNetError(Exception):
    """Base class for every error TrustNet raises on purpose."""


class GraphModelError(TrustNetError):
    """A node or relationship type, label or property is unknown or malformed."""


class MappingError(TrustNetError):
    """A mapping file is malformed; the message names the file and the entry."""


class InputFileError(TrustNetError):
    """An input file cannot be read at all (missing, unknown format, no header)."""


class NotFound(TrustNetError):
    """The requested object does not exist (or is not visible to the caller)."""


class StoreUnavailable(TrustNetError):
    """Neo4j cannot be reached or refused our credentials; retry_after_s: when to try again, if known."""

    def __init__(self, message: str, retry_after_s: int | None = None):
        super().__init__(message)
        self.retry_after_s = retry_after_s


class LocalNeo4jError(TrustNetError):
    """The local Neo4j server could not be fetched, configured, started or stopped."""


class Forbidden(TrustNetError):
    """The caller's role may not do this at all (another tenant's object is NotFound instead)."""


class IdempotencyConflict(TrustNetError):
    """An idempotency key was used before for a different batch."""


class BatchInProgress(TrustNetError):
    """A batch with this idempotency key is still being written by another request; retry_after_s:
    when the claim can be taken over if that request never answers."""

    def __init__(self, message: str, retry_after_s: int | None = None):
        super().__init__(message)
        self.retry_after_s = retry_after_s


class InvalidInput(TrustNetError):
    """A request that is well formed but names what does not exist, such as an unknown firm among a
    stress test's defaults; `field` is the input it is about, `messages` one line per bad value."""

    def __init__(self, field: str, messages: list[str]):
        super().__init__(f"{field}: " + "; ".join(messages))
        self.field = field
        self.messages = messages
