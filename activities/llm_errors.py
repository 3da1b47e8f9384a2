"""The LLM endpoint's HTTP errors, translated once: retry what can succeed later, never a wrong key.

408/409/429/5xx and connection failures are retryable, honouring ``Retry-After`` through
``next_retry_delay``; 400/401/403/404/422 are not, with a message that says what to fix.
"""

from __future__ import annotations

from datetime import timedelta
from email.utils import parsedate_to_datetime
from typing import Optional

import openai
from temporalio.exceptions import ApplicationError

from models.errors import LLMRejected, LLMUnavailable

RETRYABLE_STATUS = {408, 409, 429}
MAX_RETRY_AFTER = timedelta(minutes=10)
WHAT_TO_FIX = {
    400: "the request was malformed for this endpoint or model",
    401: "the endpoint refused the API key: check OPENAI_API_KEY on the worker",
    403: "the API key may not use this model or endpoint",
    404: "unknown model or endpoint: check AESOP_LLM_MODEL / the task's llm_model and OPENAI_BASE_URL",
    422: "the endpoint could not process the request",
}


def retry_after(headers) -> Optional[timedelta]:
    """``retry-after-ms``, or ``Retry-After`` in seconds or as an HTTP date."""
    if (ms := headers.get("retry-after-ms")) is not None:
        try:
            return min(timedelta(milliseconds=float(ms)), MAX_RETRY_AFTER)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return min(timedelta(seconds=float(value)), MAX_RETRY_AFTER)
    except ValueError:
        pass
    try:
        from datetime import datetime, timezone

        delay = parsedate_to_datetime(value) - datetime.now(timezone.utc)
        return min(max(delay, timedelta(0)), MAX_RETRY_AFTER)
    except (TypeError, ValueError):
        return None


def translate(err: openai.OpenAIError) -> ApplicationError:
    if isinstance(err, openai.APIStatusError):
        status = err.status_code
        detail = (err.message or "").splitlines()[0][:300]
        if status in RETRYABLE_STATUS or status >= 500:
            return ApplicationError(
                f"LLM endpoint answered {status}: {detail}", type=LLMUnavailable.__name__,
                next_retry_delay=retry_after(err.response.headers),
            )
        fix = WHAT_TO_FIX.get(status, "the endpoint refused the request")
        return ApplicationError(f"LLM endpoint answered {status} ({fix}): {detail}", type=LLMRejected.__name__, non_retryable=True)
    if isinstance(err, (openai.APIConnectionError, openai.APITimeoutError)):
        return ApplicationError(f"LLM endpoint unreachable: {err}", type=LLMUnavailable.__name__)
    return ApplicationError(f"LLM call failed: {err}", type=LLMUnavailable.__name__)
