"""Stripe's error envelope."""

from __future__ import annotations

from typing import Any

__all__ = ["StripeError", "invalid", "missing_param", "no_such", "state_error", "unknown_param"]


class StripeError(Exception):
    """An error answered with Stripe's envelope ``{"error": {...}}``.

    ``commit`` keeps the request's writes (a declined charge is recorded although the
    request fails). ``saved`` says whether the response is kept under the request's
    Idempotency-Key: as on Stripe, a request refused by parameter validation saves nothing (it
    can be corrected and resent with the same key); an endpoint's own outcome (a decline, an
    unexpected state) is saved and replayed.
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
        decline_code: str | None = None,
        extra: dict[str, Any] | None = None,
        commit: bool = False,
        saved: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.code = code
        self.param = param
        self.decline_code = decline_code
        self.extra = extra
        self.commit = commit
        self.saved = saved or commit

    def envelope(self) -> dict[str, Any]:
        err: dict[str, Any] = {}
        if self.code is not None:
            err["code"] = self.code
        if self.decline_code is not None:
            err["decline_code"] = self.decline_code
        if self.code is not None:
            err["doc_url"] = "https://stripe.com/docs/error-codes/" + self.code.replace("_", "-")
        err["message"] = self.message
        if self.param is not None:
            err["param"] = self.param
        if self.extra:
            err.update(self.extra)
        err["type"] = self.type
        return {"error": err}


def invalid(message: str, param: str | None = None, code: str | None = None) -> StripeError:
    return StripeError(400, message, code=code, param=param)


def unknown_param(param: str) -> StripeError:
    return StripeError(
        400, f"Received unknown parameter: {param}", code="parameter_unknown", param=param
    )


def missing_param(param: str) -> StripeError:
    return StripeError(
        400, f"Missing required param: {param}.", code="parameter_missing", param=param
    )


def no_such(kind: str, ident: str, param: str | None, status: int = 404) -> StripeError:
    return StripeError(status, f"No such {kind}: '{ident}'", code="resource_missing", param=param)


def state_error(message: str, param: str | None = None, code: str | None = None) -> StripeError:
    """A 400 from the endpoint's execution (saved for idempotent replay)."""
    return StripeError(400, message, code=code, param=param, saved=True)
