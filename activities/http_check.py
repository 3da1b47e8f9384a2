"""The monitoring check: one HTTP(S) request, its latency, and the server's certificate."""

from __future__ import annotations

import asyncio
import time
from typing import Optional
from urllib.parse import urljoin

import httpx
from temporalio import activity
from temporalio.exceptions import ApplicationError, ApplicationErrorCategory

from activities.heartbeat import with_heartbeats
from activities.tls import days_left, trust_context, verification_error
from models.access_policy import check_url
from models.errors import PolicyViolation
from models.monitoring import CheckOutcome, CheckRequest

MAX_REDIRECTS = 5
DOWN_ERROR_TYPE = "EndpointDown"


class _Fetched:
    def __init__(self, status: int, latency_ms: float, certificate: Optional[bytes]):
        self.status, self.latency_ms, self.certificate = status, latency_ms, certificate


class HttpCheckActivities:
    """Holds one pooled HTTP client per worker; each check reuses it."""

    def __init__(self, ca_file: Optional[str] = None):
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=50)
        self._verified = httpx.AsyncClient(verify=trust_context(ca_file), trust_env=False, limits=limits)
        # Used only to measure uptime of a site whose certificate already failed verification.
        self._unverified = httpx.AsyncClient(verify=False, trust_env=False, limits=limits)

    async def aclose(self) -> None:
        await self._verified.aclose()
        await self._unverified.aclose()

    @activity.defn(name="check_endpoint")
    async def check_endpoint(self, request: CheckRequest) -> CheckOutcome:
        """Up if the final response's status is expected; raise (retryable) when down."""
        outcome = await with_heartbeats(self._check(request))
        if not outcome.up:
            raise ApplicationError(
                f"{request.url} is down: {outcome.error}",
                outcome.model_dump(mode="json"),
                type=DOWN_ERROR_TYPE,
                category=ApplicationErrorCategory.BENIGN,  # an expected outcome, not a bug to log loudly
            )
        return outcome

    async def _check(self, request: CheckRequest) -> CheckOutcome:
        attempt = activity.info().attempt
        if attempt == 1:  # a relative delay: right under worker/server clock skew and time skipping
            await asyncio.sleep(request.delay_seconds)
        outcome = CheckOutcome(url=request.url, up=False, attempt=attempt)
        try:
            fetched = await self._fetch(self._verified, request)
            if request.url.startswith("https:"):
                outcome.ssl_valid = True
        except PolicyViolation as err:
            raise ApplicationError(str(err), type=PolicyViolation.__name__, non_retryable=True) from None
        except (httpx.HTTPError, TimeoutError) as err:
            cert_error = verification_error(err)
            if cert_error is None:
                outcome.error = _describe(err, request)
                return outcome
            outcome.ssl_valid, outcome.ssl_error = False, cert_error.verify_message or str(cert_error)
            try:
                fetched = await self._fetch(self._unverified, request)
            except (httpx.HTTPError, TimeoutError) as again:
                outcome.error = _describe(again, request)
                return outcome
        outcome.status_code = fetched.status
        outcome.latency_ms = round(fetched.latency_ms, 2)
        if fetched.certificate:
            outcome.ssl_days_left = days_left(fetched.certificate)
        outcome.up = fetched.status < 400
        if not outcome.up:
            outcome.error = f"HTTP {fetched.status}"
        return outcome

    async def _fetch(self, client: httpx.AsyncClient, request: CheckRequest) -> _Fetched:
        """GET with redirects followed by hand, so that every hop passes the access policy."""
        headers = {"User-Agent": request.user_agent} if request.user_agent else {}
        url, certificate = request.url, None
        started = time.perf_counter()
        timeout = httpx.Timeout(request.timeout_seconds)
        async with asyncio.timeout(request.timeout_seconds):
            for _ in range(MAX_REDIRECTS + 1):
                check_url(url, request.policy)
                async with client.stream("GET", url, headers=headers, timeout=timeout) as response:
                    certificate = certificate or _peer_certificate(response)
                    async for _chunk in response.aiter_raw():
                        pass
                    location = response.headers.get("location")
                    if not (response.is_redirect and location):
                        return _Fetched(response.status_code, (time.perf_counter() - started) * 1000, certificate)
                url = urljoin(url, location)
        raise httpx.TooManyRedirects(f"more than {MAX_REDIRECTS} redirects")


def _peer_certificate(response: httpx.Response) -> Optional[bytes]:
    stream = response.extensions.get("network_stream")
    ssl_object = stream.get_extra_info("ssl_object") if stream is not None else None
    return ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None


def _describe(error: Exception, request: CheckRequest) -> str:
    if isinstance(error, (httpx.TimeoutException, TimeoutError)):
        return f"no response within {request.timeout_seconds:g} s"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
