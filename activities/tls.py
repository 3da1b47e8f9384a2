"""TLS trust and certificate facts for outgoing requests."""

from __future__ import annotations

import os
import ssl
from datetime import datetime, timezone
from typing import Optional

import certifi
from cryptography import x509

CA_BUNDLE_ENV = "AESOP_CA_BUNDLE"


def trust_context(extra_ca_file: Optional[str] = None) -> ssl.SSLContext:
    """The system's and certifi's roots, plus an extra CA file (a company or test CA)."""
    context = ssl.create_default_context(cafile=certifi.where())
    context.load_default_certs()
    extra = extra_ca_file or os.environ.get(CA_BUNDLE_ENV)
    if extra:
        context.load_verify_locations(cafile=extra)
    return context


def days_left(der_certificate: bytes, now: Optional[datetime] = None) -> float:
    cert = x509.load_der_x509_certificate(der_certificate)
    now = now or datetime.now(timezone.utc)
    return round((cert.not_valid_after_utc - now).total_seconds() / 86400, 2)


def verification_error(error: BaseException) -> Optional[ssl.SSLCertVerificationError]:
    """The certificate-verification failure somewhere in an exception's chain, if any."""
    seen: set[int] = set()
    current: Optional[BaseException] = error
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLCertVerificationError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None
