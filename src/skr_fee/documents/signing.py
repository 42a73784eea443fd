"""A signed annex PDF (PAdES, pyHanko) with the municipality's own certificate, and its check.

The certificate is a PKCS#12 file (e-tjänstelegitimation and SITHS-style
organisation certificates come so); its password comes from
``SKR_FEE_SIGN_PASSWORD`` or a prompt, never from the command line. The
signature is an incremental update: the PDF/A's bytes stay as they were.
Checking says three things apart: the document is unchanged since it was
signed (integrity), who signed it (the certificate's subject), and whether
that certificate chains to a root this machine trusts (trust).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..rules.errors import SkrFeeError

ENV_PASSWORD = "SKR_FEE_SIGN_PASSWORD"

# pyHanko (0.38.0, the newest release) imports cryptography's DSAPrivateKey at module level, and
# cryptography 51 warns about DSA whenever it is imported: the product never signs with DSA, so that
# one warning, from that one import, is not shown (even under -W error); every other one still is.
warnings.filterwarnings("ignore", message="DSA is deprecated", module=r"pyhanko\.")
FIELD = "Signatur"


def load_signer(p12: str | Path, password: str):
    """The signer of a PKCS#12 file, or one Swedish line on why not."""
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.sign import signers

    path = Path(p12)
    if not path.is_file():
        raise SkrFeeError(f"Certifikatfilen '{path}' finns inte.")
    data = path.read_bytes()
    try:
        key, cert, _ = pkcs12.load_key_and_certificates(data, password.encode("utf-8") if password else None)
    except ValueError as e:
        reason = ("fel lösenord" if "password" in str(e).lower() or "mac" in str(e).lower()
                  else "filen är inget PKCS#12-certifikat (.p12/.pfx)")
        raise SkrFeeError(f"Certifikatet '{path.name}' kan inte användas: {reason}.") from None
    if key is None or cert is None:
        raise SkrFeeError(f"Certifikatet '{path.name}' saknar nyckel eller certifikat; en signatur behöver båda.")
    now = datetime.now(timezone.utc)
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        raise SkrFeeError(f"Certifikatet '{path.name}' gäller inte nu (giltigt "
                          f"{cert.not_valid_before_utc.date()}–{cert.not_valid_after_utc.date()}).")
    signer = signers.SimpleSigner.load_pkcs12(str(path), passphrase=password.encode("utf-8") if password else None)
    if signer is None:
        raise SkrFeeError(f"Certifikatet '{path.name}' kan inte användas: fel lösenord eller fel filformat.")
    return signer


def sign(pdf_in: Path, pdf_out: Path, signer, reason: str, location: str) -> None:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    with open(pdf_in, "rb") as src:
        writer = IncrementalPdfFileWriter(src)
        meta = signers.PdfSignatureMetadata(field_name=FIELD, subfilter=fields.SigSeedSubFilter.PADES,
                                            reason=reason, location=location)
        out = io.BytesIO()
        signers.sign_pdf(writer, meta, signer=signer, output=out)
    pdf_out.write_bytes(out.getvalue())


@dataclass(frozen=True)
class SignatureCheck:
    signed: bool
    intact: bool
    signer: str
    trusted: bool
    whole_file: bool
    when: str

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.whole_file

    def message(self, name: str) -> str:
        if not self.signed:
            return f"{name} är inte signerad."
        if not self.intact:
            return f"Ändrad: {name} har ändrats efter att {self.signer} signerade den: signaturen stämmer inte."
        if not self.whole_file:
            return f"Ändrad: {name} har fått tillägg efter signaturen av {self.signer}."
        trust = ("certifikatet kedjar till en betrodd utfärdare" if self.trusted else
                 "utfärdaren är inte betrodd här (ange --ca UTFÄRDARE.pem för att kontrollera kedjan)")
        return f"Oförändrad: {name} är signerad av {self.signer} {self.when}; {trust}."


def check(pdf: str | Path, trust_roots: list | None = None) -> SignatureCheck:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    path = Path(pdf)
    if not path.is_file():
        raise SkrFeeError(f"Filen '{path}' finns inte.")
    # the outcome is reported here; pyHanko's own log lines are left out at the entry point (rules/quiet.py)
    try:
        with open(path, "rb") as f:
            reader = PdfFileReader(f, strict=False)
            sigs = list(reader.embedded_signatures)
            if not sigs:
                return SignatureCheck(False, False, "", False, False, "")
            sig = sigs[-1]
            ctx = ValidationContext(trust_roots=trust_roots or [], allow_fetching=False)
            status = validate_pdf_signature(sig, ctx)
    except SkrFeeError:
        raise
    except Exception:
        raise SkrFeeError(f"'{path.name}' är ingen läsbar PDF med signatur.") from None
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    subject = status.signing_cert.subject.native.get("common_name", "okänd") if status.signing_cert else "okänd"
    when = status.signer_reported_dt.strftime("%Y-%m-%d %H:%M") if status.signer_reported_dt else ""
    return SignatureCheck(True, bool(status.intact and status.valid), subject, bool(status.trusted),
                          status.coverage == SignatureCoverageLevel.ENTIRE_FILE, when)


def trust_roots(pem: str | Path | None) -> list:
    if not pem:
        return []
    from pyhanko.keys import load_certs_from_pemder

    path = Path(pem)
    if not path.is_file():
        raise SkrFeeError(f"Utfärdarens certifikat '{path}' finns inte.")
    try:
        return list(load_certs_from_pemder([str(path)]))
    except Exception:
        raise SkrFeeError(f"'{path.name}' är inget certifikat (PEM eller DER).") from None
