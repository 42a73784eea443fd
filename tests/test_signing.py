"""The signed annex PDF: a throwaway CA and organisation certificate made here, poppler's pdfsig,
skr-fee verify on the PDF, a changed byte, and the refusals (issue 12)."""

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parents[1]
KEYS = ROOT / "keys"
PASSWORD = "hemligt-för-test"


def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn), x509.NameAttribute(NameOID.COUNTRY_NAME, "SE")])


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pki")
    now = datetime.now(timezone.utc)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = (x509.CertificateBuilder().subject_name(name("Testkommunens CA")).issuer_name(name("Testkommunens CA"))
          .public_key(ca_key.public_key()).serial_number(1).not_valid_before(now - timedelta(days=1))
          .not_valid_after(now + timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True)
          .sign(ca_key, hashes.SHA256()))

    def leaf(cn, days):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = (x509.CertificateBuilder().subject_name(name(cn)).issuer_name(ca.subject).public_key(key.public_key())
                .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=2))
                .not_valid_after(now + timedelta(days=days))
                .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
                .sign(ca_key, hashes.SHA256()))
        return key, cert

    key, cert = leaf("Tyresö kommun", 30)
    p12 = folder / "tyreso.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(b"tyreso", key, cert, [ca],
                                                          serialization.BestAvailableEncryption(PASSWORD.encode())))
    old_key, old_cert = leaf("Utgånget", -1)
    expired = folder / "utganget.p12"
    expired.write_bytes(pkcs12.serialize_key_and_certificates(b"x", old_key, old_cert, [ca],
                                                              serialization.BestAvailableEncryption(PASSWORD.encode())))
    ca_pem = folder / "ca.pem"
    ca_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return p12, ca_pem, expired


def cli(*args, password=PASSWORD):
    env = dict(os.environ)
    env.pop("SKR_FEE_SIGN_PASSWORD", None)
    if password is not None:
        env["SKR_FEE_SIGN_PASSWORD"] = password
    return subprocess.run([sys.executable, "-m", "skr_fee.cli", *args], capture_output=True, text=True, timeout=240,
                          env=env, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def signed(certs, tmp_path_factory):
    p12, _, _ = certs
    out = tmp_path_factory.mktemp("signed") / "bilaga.xlsx"
    p = cli("annex", "Tyresö", "--year", "2025", "--key", str(KEYS / "tyreso.toml"), "-o", str(out), "--pdf",
            "--sign", str(p12), "--password", "x")
    assert p.returncode == 0, p.stderr
    assert "(signerad)" in p.stdout and PASSWORD not in p.stdout + p.stderr
    return out.with_suffix(".pdf")


def test_pdfsig_says_the_signature_is_valid(signed):
    p = subprocess.run(["pdfsig", str(signed)], capture_output=True, text=True)
    assert "Signature Validation: Signature is Valid." in p.stdout, p.stdout
    assert "Total document signed" in p.stdout and "Tyresö kommun" in p.stdout
    assert "ETSI.CAdES.detached" in p.stdout  # PAdES


def test_verify_reports_signer_integrity_and_trust(signed, certs):
    _, ca, _ = certs
    p = cli("verify", str(signed))
    assert p.returncode == 0 and p.stdout.startswith(f"Oförändrad: {signed} är signerad av Tyresö kommun")
    assert "utfärdaren är inte betrodd här" in p.stdout
    p = cli("verify", str(signed), "--ca", str(ca))
    assert p.returncode == 0 and "certifikatet kedjar till en betrodd utfärdare" in p.stdout


def test_one_changed_byte_fails(signed, tmp_path):
    data = bytearray(signed.read_bytes())
    i = data.index(b"/Producer") if b"/Producer" in data else len(data) // 3
    data[i + 12] = (data[i + 12] + 1) % 256
    changed = tmp_path / "andrad.pdf"
    changed.write_bytes(bytes(data))
    p = cli("verify", str(changed))
    assert p.returncode == 1 and ("Ändrad" in p.stdout or "ingen läsbar PDF" in p.stderr)
    assert "Traceback" not in p.stderr


@pytest.mark.parametrize("case", ["wrong password", "missing file", "not a certificate", "expired", "no password"])
def test_bad_certificates_are_one_swedish_line_and_no_pdf(certs, tmp_path, case):
    p12, _, expired = certs
    junk = tmp_path / "skrap.p12"
    junk.write_bytes(b"not pkcs12")
    cert, password, message = {
        "wrong password": (p12, "fel", "fel lösenord"),
        "missing file": (tmp_path / "saknas.p12", PASSWORD, "finns inte"),
        "not a certificate": (junk, PASSWORD, "kan inte användas"),
        "expired": (expired, PASSWORD, "gäller inte nu"),
        "no password": (p12, None, "SKR_FEE_SIGN_PASSWORD"),
    }[case]
    out = tmp_path / "b.xlsx"
    p = cli("annex", "Tyresö", "--year", "2025", "--key", str(KEYS / "tyreso.toml"), "-o", str(out), "--pdf",
            "--sign", str(cert), password=password)
    assert p.returncode == 1 and message in p.stderr and len(p.stderr.strip().splitlines()) == 1, p.stderr
    assert "Traceback" not in p.stderr
    assert sorted(x.name for x in tmp_path.iterdir()) == ["skrap.p12"]  # no annex, no partial PDF


def test_sign_needs_pdf(certs, tmp_path):
    p12, _, _ = certs
    p = cli("annex", "Tyresö", "--key", str(KEYS / "tyreso.toml"), "-o", str(tmp_path / "b.xlsx"), "--sign", str(p12))
    assert p.returncode == 1 and "ange även --pdf" in p.stderr
