"""Personal data encrypted at rest, with the 国密 algorithms through OpenSSL (the `cryptography` package).

- **Encryption**: SM4 in GCM mode (authenticated), a random 12-byte nonce per value, the 16-byte tag kept,
  and the purpose of the value (which column it belongs to) bound in as associated data, so a ciphertext
  copied into another column does not decrypt. A ciphertext is stored as text with its key's version:
  `v2:<base64(nonce | ciphertext | tag)>`.
- **Keyed hashes** for exact lookup and uniqueness: HMAC-SM3 of the purpose and the value, cut to 128 bits
  and written in hex. Without the key a hash says nothing about the value; with it, equal values give equal
  hashes, so a unique index and an exact search work on the hashes.
- **Keys** come from the `PERSONAL_DATA_KEYS` setting (read from the environment by the settings, which
  refuse to start without it in production): `(version, master key)` pairs, the current key first. From each
  master key an SM4 key and an HMAC key are derived with HKDF-SM3 and distinct labels. Values are written
  with the current key; any configured key reads and finds, so a key rotation
  (`manage.py rotate_personal_data_key`) can run while the portal serves.

Callers name a purpose and never touch a key.
"""

import base64
import functools
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

NONCE_BYTES = 12
TAG_BYTES = 16
HASH_BYTES = 16  # 128 bits of HMAC-SM3: no collision to fear among millions of values
HASH_LENGTH = HASH_BYTES * 2  # in hex
ENCRYPTION_LABEL = b"rongjiang-portal personal data: SM4-GCM encryption key"
HASHING_LABEL = b"rongjiang-portal personal data: HMAC-SM3 lookup key"


class PersonalDataKeyError(Exception):
    """A ciphertext that no configured key can read: its key version is not configured, or it was altered."""


class _Key:
    """One configured key: its version, the SM4 key and the HMAC key derived from the master key."""

    def __init__(self, version: int, master: bytes):
        self.version = version
        self.prefix = f"v{version}:"
        self.sm4 = algorithms.SM4(_derive(master, ENCRYPTION_LABEL, 16))
        self._hmac = hmac.HMAC(_derive(master, HASHING_LABEL, 32), hashes.SM3())

    def hash(self, message: bytes) -> str:
        mac = self._hmac.copy()  # the keyed state is computed once per key
        mac.update(message)
        return mac.finalize()[:HASH_BYTES].hex()


def _derive(master: bytes, label: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SM3(), length=length, salt=None, info=label).derive(master)


@functools.lru_cache(maxsize=4)
def _keys_for(configured: tuple) -> tuple[_Key, ...]:
    return tuple(_Key(version, master) for version, master in configured)


def _keys() -> tuple[_Key, ...]:
    """The configured keys, the current one first (derived once per configuration)."""
    return _keys_for(tuple(tuple(entry) for entry in settings.PERSONAL_DATA_KEYS))


def current_version() -> int:
    return _keys()[0].version


def configured_versions() -> list[int]:
    return [key.version for key in _keys()]


def version_prefix(version: int | None = None) -> str:
    """How ciphertexts of key `version` (default: the current key) begin: "v2:"."""
    return f"v{current_version() if version is None else version}:"


# --- encryption ----------------------------------------------------------------------------------------------


def encrypt(value: str, *, purpose: str) -> str:
    """`value` encrypted with the current key, as stored: "v2:<base64>"."""
    key = _keys()[0]
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(key.sm4, modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(purpose.encode())
    sealed = encryptor.update(value.encode()) + encryptor.finalize()
    return key.prefix + base64.b64encode(nonce + sealed + encryptor.tag).decode("ascii")


def decrypt(token: str, *, purpose: str) -> str:
    """The value of a stored ciphertext, read with the key of its version (which must still be configured)."""
    key = _key_of(token)
    try:
        raw = base64.b64decode(token[len(key.prefix) :], validate=True)
    except ValueError as error:
        raise PersonalDataKeyError("密文格式不正确。 / Malformed personal-data ciphertext.") from error
    nonce, sealed, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    decryptor = Cipher(key.sm4, modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(purpose.encode())
    try:
        return (decryptor.update(sealed) + decryptor.finalize()).decode()
    except InvalidTag as error:
        raise PersonalDataKeyError(
            f"密文无法用密钥 v{key.version} 解密（密文被改动或密钥不符）。"
            f" / The ciphertext does not decrypt with key v{key.version}."
        ) from error


def is_current(token: str) -> bool:
    """Whether a stored ciphertext was written with the current key."""
    return token.startswith(_keys()[0].prefix)


def _key_of(token: str) -> _Key:
    version, separator, _ = token.partition(":")
    for key in _keys():
        if separator and version == key.prefix[:-1]:
            return key
    raise PersonalDataKeyError(
        f"密文的密钥版本“{version}”未在 PERSONAL_DATA_KEYS 中配置。"
        f" / Key version {version!r} of a ciphertext is not configured in PERSONAL_DATA_KEYS."
    )


# --- keyed hashes --------------------------------------------------------------------------------------------


def keyed_hash(value: str, *, purpose: str) -> str:
    """The current key's HMAC-SM3 of `value` for `purpose`, as stored (32 hex characters)."""
    return _keys()[0].hash(_message(value, purpose))


def keyed_hashes(value: str, *, purpose: str) -> list[str]:
    """`value`'s hash under every configured key, the current first: what finds it during a rotation."""
    message = _message(value, purpose)
    return [key.hash(message) for key in _keys()]


def hash_table(values, *, purpose: str) -> dict[str, str]:
    """{hash: value} for every value under every configured key, to match stored hashes back to values."""
    keys = _keys()
    table = {}
    for value in values:
        message = _message(value, purpose)
        for key in keys:
            table[key.hash(message)] = value
    return table


def _message(value: str, purpose: str) -> bytes:
    return f"{purpose}\x00{value}".encode()
