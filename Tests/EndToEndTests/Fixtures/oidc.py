#!/usr/bin/env python3
"""Test identity provider for the web identity end-to-end tests.

    oidc.py keys DIR            writes DIR/key.pem and DIR/seed.json (the JWKS, as a Gatehouse seed)
    oidc.py token DIR CLAIMS    prints an RS256 JWT with those claims (JSON), signed with DIR/key.pem
    oidc.py forge CLAIMS        prints a JWT signed with a fresh key nobody registered
"""
import base64, json, os, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

ISSUER = "https://token.actions.githubusercontent.com"


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def number(n):
    return b64(n.to_bytes((n.bit_length() + 7) // 8, "big"))


def sign(key, claims, kid="test-key"):
    header = {"alg": "RS256", "typ": "JWT", "kid": kid}
    signing_input = b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return signing_input + "." + b64(signature)


def main():
    command = sys.argv[1]
    if command == "keys":
        directory = sys.argv[2]
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        with open(os.path.join(directory, "key.pem"), "wb") as f:
            f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
        public = key.public_key().public_numbers()
        jwk = {"kty": "RSA", "kid": "test-key", "alg": "RS256", "use": "sig", "n": number(public.n), "e": number(public.e)}
        seed = {"format": "gatehouse-seed/1", "accounts": [], "openIDConnectKeys": [{"issuer": ISSUER, "jwks": {"keys": [jwk]}}]}
        with open(os.path.join(directory, "seed.json"), "w") as f:
            json.dump(seed, f)
    elif command == "token":
        with open(os.path.join(sys.argv[2], "key.pem"), "rb") as f:
            key = serialization.load_pem_private_key(f.read(), password=None)
        print(sign(key, json.loads(sys.argv[3])))
    elif command == "forge":
        print(sign(rsa.generate_private_key(public_exponent=65537, key_size=2048), json.loads(sys.argv[2])))


if __name__ == "__main__":
    main()
