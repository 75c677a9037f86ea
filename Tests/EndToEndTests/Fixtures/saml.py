#!/usr/bin/env python3
"""Test identity provider for the SAML end-to-end tests, built on the SAML
vector script's response builders (Tests/SAMLTests/make-vectors.py).

    saml.py setup DIR                 writes DIR/key.pem, DIR/cert.pem, DIR/metadata.xml
    saml.py response DIR ROLE PROVIDER [--audience A] [--lifetime S] [--other-key]
                                      prints a base64 SAML response signed now
"""
import argparse, base64, datetime, importlib.util, os, sys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("vectors", os.path.join(HERE, "..", "..", "SAMLTests", "make-vectors.py"))
vectors = importlib.util.module_from_spec(spec)
spec.loader.exec_module(vectors)


def make_key_and_cert():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "idp.example.test")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=365)).sign(key, hashes.SHA256()))
    return key, cert


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command")
    parser.add_argument("directory")
    parser.add_argument("role", nargs="?")
    parser.add_argument("provider", nargs="?")
    parser.add_argument("--audience", default="https://signin.aws.amazon.com/saml")
    parser.add_argument("--lifetime", type=int, default=300)
    parser.add_argument("--other-key", action="store_true")
    args = parser.parse_args()
    if args.command == "setup":
        key, cert = make_key_and_cert()
        with open(os.path.join(args.directory, "key.pem"), "wb") as f:
            f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        with open(os.path.join(args.directory, "cert.pem"), "wb") as f:
            f.write(cert.public_bytes(serialization.Encoding.PEM))
        with open(os.path.join(args.directory, "metadata.xml"), "w") as f:
            f.write(vectors.metadata(vectors.ENTITY, cert))
        return
    with open(os.path.join(args.directory, "key.pem"), "rb") as f:
        key = serialization.load_pem_private_key(f.read(), password=None)
    with open(os.path.join(args.directory, "cert.pem"), "rb") as f:
        cert = x509.load_pem_x509_certificate(f.read())
    if args.other_key:
        key, cert = make_key_and_cert()
    vectors.T0 = datetime.datetime.now(datetime.timezone.utc)
    vectors.ROLE_DEV, vectors.PROVIDER = args.role, args.provider
    text = vectors.okta_style(audience=args.audience, lifetime=args.lifetime)
    signed = vectors.signxml_sign(text, "_assert-0001", key, cert)
    print(base64.b64encode(signed).decode())


if __name__ == "__main__":
    sys.exit(main())
