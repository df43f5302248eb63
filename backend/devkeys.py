"""A development-only RSA key for signing JWTs, kept under var/ so restarts keep tokens valid."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def development_jwt_key(var_dir: Path) -> str:
    path = var_dir / "dev-jwt-key.pem"
    if path.exists():
        return path.read_text(encoding="utf-8")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    var_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(pem, encoding="utf-8")
    tmp.chmod(0o600)
    os.replace(tmp, path)  # atomic: concurrent starters never read a half-written key
    return pem
