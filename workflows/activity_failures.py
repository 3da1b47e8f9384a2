"""An activity's failure back as the typed error it raised (ApplicationError.type names the class)."""

from __future__ import annotations

from typing import NoReturn, Optional

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from models.errors import TYPED_ERRORS, AesopError


def raise_typed(err: ActivityError, default: Optional[type[AesopError]] = None) -> NoReturn:
    """Raise the cause's class (or ``default`` for an unknown application error); else ``err`` itself."""
    cause = err.cause
    if isinstance(cause, ApplicationError):
        error_type = TYPED_ERRORS.get(cause.type or "", default)
        if error_type is not None:
            raise error_type(cause.message) from None
    raise err
