#!/usr/bin/env python3
"""Writes the SAML test vectors under Vectors/ (run once; the Swift tests only read the files).

    pip install signxml lxml cryptography   # signxml 5.2.0, lxml 6.1.3, cryptography 48.0.0 were used
    python3 Tests/SAMLTests/make-vectors.py

Signing is done by signxml (an independent XML-DSig implementation over libxml2's
canonicalizer) for the main vectors, and by a small signer below (lxml's libxml2
canonicalization + cryptography's RSA) for algorithm combinations signxml no longer
signs (rsa-sha1) or does not offer (comments in SignedInfo). Every vector that should
verify is checked here with signxml's verifier; every tampered one is checked to fail
it, so the Swift verifier is never the only judge of its own vectors.

The two RSA keys are throwaway test keys, kept outside the repository (SAML_VECTOR_KEYS,
default /tmp/gatehouse-saml-vector-keys): re-running with them reproduces the same files;
without them the script makes new keys and rewrites every vector consistently.
"""
import base64
import copy
import datetime
import hashlib
import json
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml import (CanonicalizationMethod, DigestAlgorithm, SignatureConfiguration, SignatureMethod,
                     XMLSigner, XMLVerifier)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "Vectors")
# Private keys stay out of the repository; with none there, new ones are made (and every vector changes).
KEYS = os.environ.get("SAML_VECTOR_KEYS", "/tmp/gatehouse-saml-vector-keys")

DS = "http://www.w3.org/2000/09/xmldsig#"
EC = "http://www.w3.org/2001/10/xml-exc-c14n#"
EXC = "http://www.w3.org/2001/10/xml-exc-c14n#"
EXC_COMMENTS = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments"
INC = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
RSA_SHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
SHA1 = "http://www.w3.org/2000/09/xmldsig#sha1"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"

ENTITY = "https://idp.example.test/saml"
T0 = datetime.datetime(2024, 5, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)


def ts(delta_seconds=0):
    return (T0 + datetime.timedelta(seconds=delta_seconds)).strftime("%Y-%m-%dT%H:%M:%S.000Z")


# ---------------------------------------------------------------- keys and certificates

def load_or_make_key(name):
    path = os.path.join(KEYS, name + ".key.pem")
    if os.path.exists(path):
        with open(path, "rb") as f:
            return serialization.load_pem_private_key(f.read(), password=None)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    os.makedirs(KEYS, exist_ok=True)
    with open(path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    return key


def load_or_make_cert(name, key, common_name):
    path = os.path.join(KEYS, name + ".cert.pem")
    if os.path.exists(path):
        with open(path, "rb") as f:
            return x509.load_pem_x509_certificate(f.read())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc))
            .not_valid_after(datetime.datetime(2034, 1, 1, tzinfo=datetime.timezone.utc))
            .sign(key, hashes.SHA256()))
    with open(path, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    return cert


KEY_A = load_or_make_key("idp-a")
CERT_A = load_or_make_cert("idp-a", KEY_A, "Gatehouse test IdP A (throwaway)")
KEY_B = load_or_make_key("idp-b")
CERT_B = load_or_make_cert("idp-b", KEY_B, "Gatehouse test IdP B (throwaway)")


def cert_b64(cert):
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


def cert_pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def wrapped(b64, width=64, indent="          "):
    return "\n".join(indent + b64[i:i + width] for i in range(0, len(b64), width))


# ---------------------------------------------------------------- metadata

def metadata(entity_id, signing_cert, encryption_cert=None):
    enc = ""
    if encryption_cert is not None:
        enc = f"""
    <md:KeyDescriptor use="encryption">
      <ds:KeyInfo>
        <ds:X509Data>
          <ds:X509Certificate>
{wrapped(cert_b64(encryption_cert))}
          </ds:X509Certificate>
        </ds:X509Data>
      </ds:KeyInfo>
    </md:KeyDescriptor>"""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{entity_id}" validUntil="2034-01-01T00:00:00Z">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo>
        <ds:X509Data>
          <ds:X509Certificate>
{wrapped(cert_b64(signing_cert))}
          </ds:X509Certificate>
        </ds:X509Data>
      </ds:KeyInfo>
    </md:KeyDescriptor>{enc}
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.test/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
"""


# ---------------------------------------------------------------- responses

ROLE_DEV = "arn:aws:iam::111122223333:role/Developer"
ROLE_RO = "arn:aws:iam::111122223333:role/ReadOnly"
PROVIDER = "arn:aws:iam::111122223333:saml-provider/ExampleIdP"
ROLE_ADMIN = "arn:aws:iam::111122223333:role/Admin"


def attribute(name, *values, typed=True):
    kind = ' xsi:type="xs:string"' if typed else ""
    vals = "".join(f"\n        <saml2:AttributeValue{kind}>{v}</saml2:AttributeValue>" for v in values)
    return f"""
      <saml2:Attribute Name="{name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">{vals}
      </saml2:Attribute>"""


def okta_style(name_id="alice@example.test", audience="https://signin.aws.amazon.com/saml", lifetime=300,
               role=True, session_name=True, issuer=ENTITY, recipient="https://signin.aws.amazon.com/saml",
               source_identity="alice"):
    """A response shaped like Okta's: saml2p/saml2 prefixes, xsi:type="xs:string" values (so exclusive
    c14n needs the InclusiveNamespaces PrefixList "xs"), pretty-printed, UTF-8 and escaped text."""
    attrs = ""
    if role:
        # The second value lists the provider first: AWS takes either order.
        attrs += attribute("https://aws.amazon.com/SAML/Attributes/Role", f"{ROLE_DEV},{PROVIDER}", f"{PROVIDER},{ROLE_RO}")
    if session_name:
        attrs += attribute("https://aws.amazon.com/SAML/Attributes/RoleSessionName", "alice@example.test")
    attrs += attribute("https://aws.amazon.com/SAML/Attributes/SessionDuration", "3600")
    attrs += attribute("https://aws.amazon.com/SAML/Attributes/SourceIdentity", source_identity)
    attrs += attribute("https://aws.amazon.com/SAML/Attributes/PrincipalTag:Project", "Marketing")
    attrs += attribute("https://aws.amazon.com/SAML/Attributes/PrincipalTag:CostCenter", "12345")
    attrs += attribute("https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys", "Project", "CostCenter")
    attrs += attribute("urn:oid:2.5.4.3", "Zoë Ångström", "R&amp;D &lt;core&gt; \"team\"")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<saml2p:Response xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" Destination="https://signin.aws.amazon.com/saml" ID="_resp-0001" IssueInstant="{ts()}" Version="2.0" xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <saml2:Issuer xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">{issuer}</saml2:Issuer>
  <saml2p:Status>
    <saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>
  </saml2p:Status>
  <saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" ID="_assert-0001" IssueInstant="{ts()}" Version="2.0" xmlns:xs="http://www.w3.org/2001/XMLSchema">
    <saml2:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">{issuer}</saml2:Issuer>
    <saml2:Subject>
      <saml2:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">{name_id}</saml2:NameID>
      <saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
        <saml2:SubjectConfirmationData NotOnOrAfter="{ts(lifetime)}" Recipient="{recipient}"/>
      </saml2:SubjectConfirmation>
    </saml2:Subject>
    <saml2:Conditions NotBefore="{ts(-300)}" NotOnOrAfter="{ts(lifetime)}">
      <saml2:AudienceRestriction>
        <saml2:Audience>{audience}</saml2:Audience>
      </saml2:AudienceRestriction>
    </saml2:Conditions>
    <saml2:AuthnStatement AuthnInstant="{ts()}" SessionIndex="_session-0001" SessionNotOnOrAfter="{ts(8 * 3600)}">
      <saml2:AuthnContext>
        <saml2:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml2:AuthnContextClassRef>
      </saml2:AuthnContext>
    </saml2:AuthnStatement>
    <saml2:AttributeStatement xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">{attrs}
    </saml2:AttributeStatement>
  </saml2:Assertion>
</saml2p:Response>
"""


def adfs_style():
    """A response shaped like AD FS's: the assertion in the default namespace, a transient NameID."""
    return f"""<samlp:Response ID="_resp-adfs" Version="2.0" IssueInstant="{ts()}" Destination="https://signin.aws.amazon.com/saml" Consent="urn:oasis:names:tc:SAML:2.0:consent:unspecified" xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">{ENTITY}</Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success" /></samlp:Status><Assertion ID="_assert-adfs" IssueInstant="{ts()}" Version="2.0" xmlns="urn:oasis:names:tc:SAML:2.0:assertion"><Issuer>{ENTITY}</Issuer><Subject><NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient">_8e7c4d1f</NameID><SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><SubjectConfirmationData NotOnOrAfter="{ts(300)}" Recipient="https://signin.aws.amazon.com/saml" /></SubjectConfirmation></Subject><Conditions NotBefore="{ts()}" NotOnOrAfter="{ts(3600)}"><AudienceRestriction><Audience>urn:amazon:webservices</Audience></AudienceRestriction></Conditions><AttributeStatement><Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName"><AttributeValue>bob</AttributeValue></Attribute><Attribute Name="https://aws.amazon.com/SAML/Attributes/Role"><AttributeValue>{PROVIDER},{ROLE_DEV}</AttributeValue></Attribute></AttributeStatement><AuthnStatement AuthnInstant="{ts()}" SessionIndex="_assert-adfs"><AuthnContext><AuthnContextClassRef>urn:federation:authentication:windows</AuthnContextClassRef></AuthnContext></AuthnStatement></Assertion></samlp:Response>"""


def parse(text):
    return etree.fromstring(text.encode("utf-8"), etree.XMLParser(remove_blank_text=False))


def serialize(root):
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def by_id(root, ident):
    found = root.xpath("//*[@ID=$v]", v=ident)
    assert len(found) == 1, ident
    return found[0]


def issuer_of(element):
    return next(child for child in element if child.tag.endswith("}Issuer"))


def place_holder(element):
    """A signxml placeholder right after the element's Issuer, where the SAML schema wants the Signature."""
    holder = etree.Element(f"{{{DS}}}Signature", Id="placeholder", nsmap={"ds": DS})
    issuer = issuer_of(element)
    issuer.addnext(holder)
    holder.tail = issuer.tail
    return holder


def signxml_sign(text, target_id, key, cert, prefixes=None, also_response=False):
    """Signs the element with ID target_id (enveloped, exc-c14n, rsa-sha256, sha256) with signxml."""
    root = parse(text)
    place_holder(by_id(root, target_id))
    signer = XMLSigner(signature_algorithm="rsa-sha256", digest_algorithm="sha256", c14n_algorithm=EXC)
    signed = signer.sign(root, key=key, cert=cert_pem(cert), reference_uri=target_id, inclusive_ns_prefixes=prefixes)
    if also_response:
        place_holder(signed)
        signed = signer.sign(signed, key=key, cert=cert_pem(cert), reference_uri=signed.get("ID"),
                             inclusive_ns_prefixes=prefixes)
    return serialize(signed)


# ---------------------------------------------------------------- a small signer for other algorithms

def c14n(element, uri, prefixes, with_comments):
    exclusive = uri.startswith(EXC)
    return etree.tostring(element, method="c14n", exclusive=exclusive, with_comments=with_comments,
                          inclusive_ns_prefixes=prefixes if exclusive else None)


def manual_sign(text, target_id, key, cert, c14n_uri, sig_uri, digest_uri, prefixes=None, comment_in_signed_info=False):
    root = parse(text)
    target = by_id(root, target_id)
    sig = place_holder(target)
    del sig.attrib["Id"]
    info = etree.SubElement(sig, f"{{{DS}}}SignedInfo")
    method = etree.SubElement(info, f"{{{DS}}}CanonicalizationMethod", Algorithm=c14n_uri)
    if prefixes:
        etree.SubElement(method, f"{{{EC}}}InclusiveNamespaces", PrefixList=" ".join(prefixes), nsmap={"ec": EC})
    if comment_in_signed_info:
        method.addnext(etree.Comment(" comments in SignedInfo are signed under #WithComments "))
    etree.SubElement(info, f"{{{DS}}}SignatureMethod", Algorithm=sig_uri)
    ref = etree.SubElement(info, f"{{{DS}}}Reference", URI="#" + target_id)
    transforms = etree.SubElement(ref, f"{{{DS}}}Transforms")
    etree.SubElement(transforms, f"{{{DS}}}Transform", Algorithm=ENVELOPED)
    t = etree.SubElement(transforms, f"{{{DS}}}Transform", Algorithm=c14n_uri)
    if prefixes:
        etree.SubElement(t, f"{{{EC}}}InclusiveNamespaces", PrefixList=" ".join(prefixes), nsmap={"ec": EC})
    etree.SubElement(ref, f"{{{DS}}}DigestMethod", Algorithm=digest_uri)
    digest_value = etree.SubElement(ref, f"{{{DS}}}DigestValue")
    value = etree.SubElement(sig, f"{{{DS}}}SignatureValue")
    key_info = etree.SubElement(sig, f"{{{DS}}}KeyInfo")
    etree.SubElement(etree.SubElement(key_info, f"{{{DS}}}X509Data"), f"{{{DS}}}X509Certificate").text = cert_b64(cert)

    # The enveloped-signature transform: digest the target without the signature element (its tail
    # text is a separate node and stays). A "#id" reference drops comments whatever the c14n says.
    parent, index, tail = sig.getparent(), sig.getparent().index(sig), sig.tail
    previous = sig.getprevious()
    saved = previous.tail if previous is not None else parent.text
    parent.remove(sig)
    if previous is not None:
        previous.tail = (saved or "") + (tail or "")
    else:
        parent.text = (saved or "") + (tail or "")
    octets = c14n(target, c14n_uri, prefixes, with_comments=False)
    if previous is not None:
        previous.tail = saved
    else:
        parent.text = saved
    parent.insert(index, sig)
    sig.tail = tail

    digest = {SHA256: hashlib.sha256, SHA1: hashlib.sha1}[digest_uri]
    digest_value.text = base64.b64encode(digest(octets).digest()).decode()
    signed_info = c14n(info, c14n_uri, prefixes, with_comments=c14n_uri.endswith("#WithComments"))
    algorithm = {RSA_SHA256: hashes.SHA256(), RSA_SHA1: hashes.SHA1()}[sig_uri]
    value.text = base64.b64encode(key.sign(signed_info, padding.PKCS1v15(), algorithm)).decode()
    return serialize(root)


# ---------------------------------------------------------------- checking with signxml

LENIENT = SignatureConfiguration(
    signature_methods=frozenset(SignatureMethod), digest_algorithms=frozenset(DigestAlgorithm),
    default_reference_c14n_method=CanonicalizationMethod.CANONICAL_XML_1_0)


def signxml_verifies(data, cert, signature_owner=None):
    """Whether signxml verifies the first Signature (or that of signature_owner's element)."""
    root = etree.fromstring(data)
    if signature_owner is not None:
        # Verify a signature that is not the first in the document: keep only that one.
        for sig in root.iter(f"{{{DS}}}Signature"):
            if sig.getparent().get("ID") != signature_owner:
                sig.getparent().remove(sig)
        data = etree.tostring(root)
    try:
        XMLVerifier().verify(data, x509_cert=cert_pem(cert), expect_config=LENIENT, validate_schema=False)
        return True
    except Exception as error:  # noqa: BLE001 - any refusal counts
        return False


# ---------------------------------------------------------------- tampering helpers

def replace_once(data, old, new):
    text = data.decode("utf-8")
    assert text.count(old) == 1, (old, text.count(old))
    return text.replace(old, new).encode("utf-8")


def element_text(data, ident):
    return etree.tostring(by_id(etree.fromstring(data), ident)).decode("utf-8")


# ---------------------------------------------------------------- C14N cases

C14N_CASES = []


def c14n_case(name, source, xml, method, expected, subtree=None, prefixes=None, libxml2_differs=None,
              libxml2_prefixes=None):
    """Records a canonicalization case after checking libxml2 (lxml) agrees with the expected output
    (or, where libxml2 is known to depart from the spec, that it departs exactly as noted)."""
    root = etree.fromstring(xml.encode("utf-8"))
    element = root if subtree is None else root.xpath("//*[namespace-uri()=$ns and local-name()=$n]",
                                                       ns=subtree[0], n=subtree[1])[0]
    exclusive = method.startswith("exclusive")
    comments = method.endswith("WithComments")
    listed = prefixes if libxml2_prefixes is None else libxml2_prefixes
    if subtree is None:
        actual = etree.tostring(etree.ElementTree(root), method="c14n", exclusive=exclusive, with_comments=comments,
                                inclusive_ns_prefixes=listed).decode("utf-8")
    else:
        actual = etree.tostring(element, method="c14n", exclusive=exclusive, with_comments=comments,
                                inclusive_ns_prefixes=listed).decode("utf-8")
    if expected is None:
        expected = actual
    if libxml2_differs is not None:
        assert actual == libxml2_differs, f"{name}: libxml2 now gives\n{actual}"
        actual = expected
    assert actual == expected, f"{name}: libxml2 gives\n{actual}\nnot\n{expected}"
    C14N_CASES.append({"name": name, "source": source, "input": xml, "method": method,
                       "subtree": None if subtree is None else {"namespace": subtree[0], "localName": subtree[1]},
                       "inclusivePrefixes": prefixes or [], "expected": expected})


def make_c14n_cases():
    # W3C Exclusive XML Canonicalization 1.0, §2.2 (the two documents and the two algorithms' results).
    doc1 = ('<n0:local xmlns:n0="foo:bar" xmlns:n3="ftp://example.org">\n'
            '  <n1:elem2 xmlns:n1="http://example.net" xml:lang="en">\n'
            '     <n3:stuff xmlns:n3="ftp://example.org"/>\n'
            '  </n1:elem2>\n'
            '</n0:local>')
    doc2 = ('<n2:pdu xmlns:n1="http://example.com" xmlns:n2="http://foo.example" xml:lang="fr" xml:space="retain">\n'
            '  <n1:elem2 xmlns:n1="http://example.net" xml:lang="en">\n'
            '     <n3:stuff xmlns:n3="ftp://example.org"/>\n'
            '  </n1:elem2>\n'
            '</n2:pdu>')
    elem2 = ("http://example.net", "elem2")
    spec = "W3C Exclusive XML Canonicalization 1.0, section 2.2"
    c14n_case("exc-c14n 2.2: first document, Canonical XML", spec, doc1, "inclusive",
              '<n1:elem2 xmlns:n0="foo:bar" xmlns:n1="http://example.net" xmlns:n3="ftp://example.org" xml:lang="en">\n'
              '     <n3:stuff></n3:stuff>\n'
              '  </n1:elem2>', elem2)
    # lxml's element c14n leaves out the xml:space the spec says the orphan n1:elem2 inherits.
    c14n_case("exc-c14n 2.2: second document, Canonical XML", spec, doc2, "inclusive",
              '<n1:elem2 xmlns:n1="http://example.net" xmlns:n2="http://foo.example" xml:lang="en" xml:space="retain">\n'
              '     <n3:stuff xmlns:n3="ftp://example.org"></n3:stuff>\n'
              '  </n1:elem2>', elem2,
              libxml2_differs='<n1:elem2 xmlns:n1="http://example.net" xmlns:n2="http://foo.example" xml:lang="en">\n'
              '     <n3:stuff xmlns:n3="ftp://example.org"></n3:stuff>\n'
              '  </n1:elem2>')
    exclusive_result = ('<n1:elem2 xmlns:n1="http://example.net" xml:lang="en">\n'
                        '     <n3:stuff xmlns:n3="ftp://example.org"></n3:stuff>\n'
                        '  </n1:elem2>')
    c14n_case("exc-c14n 2.2: first document, exclusive", spec, doc1, "exclusive", exclusive_result, elem2)
    c14n_case("exc-c14n 2.2: second document, exclusive", spec, doc2, "exclusive", exclusive_result, elem2)

    # W3C Canonical XML 1.0, §3.2-3.4, with the DTDs left out (this parser refuses DTDs) and the
    # results adjusted accordingly (no defaulted attributes, no entity declarations).
    c14n_spec = "W3C Canonical XML 1.0, section %s (DTD left out)"
    c14n_case("c14n 3.2: white space in document content", c14n_spec % "3.2",
              "<doc>\n   <clean>   </clean>\n   <dirty>   A   B   </dirty>\n   <mixed>\n      A\n"
              "      <clean>   </clean>\n      B\n      <dirty>   A   B   </dirty>\n      C\n   </mixed>\n</doc>",
              "inclusive",
              "<doc>\n   <clean>   </clean>\n   <dirty>   A   B   </dirty>\n   <mixed>\n      A\n"
              "      <clean>   </clean>\n      B\n      <dirty>   A   B   </dirty>\n      C\n   </mixed>\n</doc>")
    c14n_case("c14n 3.3: start and end tags", c14n_spec % "3.3",
              '<doc>\n   <e1   />\n   <e2   ></e2>\n   <e3   name = "elem3"   id="elem3"   />\n'
              '   <e4   name="elem4"   id="elem4"   ></e4>\n'
              '   <e5 a:attr="out" b:attr="sorted" attr2="all" attr="I\'m"\n'
              '      xmlns:b="http://www.ietf.org"\n      xmlns:a="http://www.w3.org"\n      xmlns="http://example.org"/>\n'
              '   <e6 xmlns="" xmlns:a="http://www.w3.org">\n      <e7 xmlns="http://www.ietf.org">\n'
              '         <e8 xmlns="" xmlns:a="http://www.w3.org">\n            <e9 xmlns="" xmlns:a="http://www.ietf.org"/>\n'
              '         </e8>\n      </e7>\n   </e6>\n</doc>\n',
              "inclusive",
              '<doc>\n   <e1></e1>\n   <e2></e2>\n   <e3 id="elem3" name="elem3"></e3>\n   <e4 id="elem4" name="elem4"></e4>\n'
              '   <e5 xmlns="http://example.org" xmlns:a="http://www.w3.org" xmlns:b="http://www.ietf.org" attr="I\'m" '
              'attr2="all" b:attr="sorted" a:attr="out"></e5>\n'
              '   <e6 xmlns:a="http://www.w3.org">\n      <e7 xmlns="http://www.ietf.org">\n         <e8 xmlns="">\n'
              '            <e9 xmlns:a="http://www.ietf.org"></e9>\n         </e8>\n      </e7>\n   </e6>\n</doc>')
    c14n_case("c14n 3.4: character modifications and character references", c14n_spec % "3.4",
              "<doc>\n   <text>First line&#x0d;&#10;Second line</text>\n   <value>&#x32;</value>\n"
              "   <compute><![CDATA[value>\"0\" && value<\"10\" ?\"valid\":\"error\"]]></compute>\n"
              "   <compute expr='value>\"0\" &amp;&amp; value&lt;\"10\" ?\"valid\":\"error\"'>valid</compute>\n"
              "   <norm attr=' &apos;   &#x20;&#13;&#xa;&#9;   &apos; '/>\n</doc>",
              "inclusive",
              "<doc>\n   <text>First line&#xD;\nSecond line</text>\n   <value>2</value>\n"
              "   <compute>value&gt;\"0\" &amp;&amp; value&lt;\"10\" ?\"valid\":\"error\"</compute>\n"
              "   <compute expr=\"value>&quot;0&quot; &amp;&amp; value&lt;&quot;10&quot; ?&quot;valid&quot;:&quot;error&quot;\">valid</compute>\n"
              "   <norm attr=\" '    &#xD;&#xA;&#x9;   ' \"></norm>\n</doc>")
    c14n_case("c14n 3.1: comments and processing instructions around the document element", c14n_spec % "3.1",
              '<?xml version="1.0"?>\n\n<?xml-stylesheet   href="doc.xsl"\n   type="text/xsl"   ?>\n\n'
              '<doc>Hello, world!<!-- Comment 1 --></doc>\n\n<?pi-without-data     ?>\n\n'
              '<!-- Comment 2 -->\n\n<!-- Comment 3 -->',
              "inclusiveWithComments",
              '<?xml-stylesheet href="doc.xsl"\n   type="text/xsl"   ?>\n<doc>Hello, world!<!-- Comment 1 --></doc>\n'
              '<?pi-without-data?>\n<!-- Comment 2 -->\n<!-- Comment 3 -->')
    c14n_case("c14n 3.1 without comments", c14n_spec % "3.1",
              '<?xml version="1.0"?>\n\n<?xml-stylesheet   href="doc.xsl"\n   type="text/xsl"   ?>\n\n'
              '<doc>Hello, world!<!-- Comment 1 --></doc>\n\n<?pi-without-data     ?>\n\n'
              '<!-- Comment 2 -->\n\n<!-- Comment 3 -->',
              "inclusive",
              '<?xml-stylesheet href="doc.xsl"\n   type="text/xsl"   ?>\n<doc>Hello, world!</doc>\n<?pi-without-data?>')

    # SAML-shaped cases; expected output is libxml2's (lxml), the canonicalizer signers use.
    mine = "written for Gatehouse; expected output from libxml2 via lxml"
    saml = ('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:xs="http://www.w3.org/2001/XMLSchema" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="r"><saml:Assertion '
            'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="a"><saml:AttributeValue xsi:type="xs:string">v</saml:AttributeValue>'
            '<!-- c --><saml:Extra xmlns:unused="urn:unused" z="1" saml:b="2" xsi:a="3" a="4"/></saml:Assertion></samlp:Response>')
    assertion = ("urn:oasis:names:tc:SAML:2.0:assertion", "Assertion")
    c14n_case("exclusive: a prefix used only in an attribute value is not rendered", mine, saml, "exclusive", None, assertion)
    c14n_case("exclusive: InclusiveNamespaces PrefixList renders the listed prefix", mine, saml, "exclusive", None, assertion, ["xs"])
    c14n_case("exclusive with comments keeps comments", mine, saml, "exclusiveWithComments", None, assertion)
    c14n_case("inclusive: the subset inherits every namespace in scope", mine, saml, "inclusive", None, assertion)
    default_ns = ('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns="urn:default"><Assertion '
                  'xmlns="urn:oasis:names:tc:SAML:2.0:assertion"><Issuer>i</Issuer><x:Other xmlns:x="urn:x"><Plain xmlns="">'
                  '<Deeper/></Plain></x:Other></Assertion></samlp:Response>')
    c14n_case("exclusive: default namespace and its undeclaration", mine, default_ns, "exclusive", None, assertion)
    c14n_case("inclusive: default namespace and its undeclaration", mine, default_ns, "inclusive", None, assertion)
    # lxml does not recognize the token #default (it takes "" for the default namespace), so libxml2
    # is asked with "" here; the spec's #default means exactly that.
    c14n_case("exclusive: #default in the PrefixList", mine, default_ns, "exclusive", None, ("urn:x", "Other"), ["#default"],
              libxml2_prefixes=[""])
    sorting = ('<r xmlns:b="urn:a" xmlns:a="urn:b" b:z="1" a:y="2" x="3" é="4" e="5" A="6"><t>tab\there &amp; '
               'cr&#13; gt&gt; quote" apos\' é</t><?pi data?></r>')
    c14n_case("attributes sort by namespace URI then local name, in code-point order", mine, sorting, "exclusive", None)
    c14n_case("attributes sort by namespace URI then local name, inclusive", mine, sorting, "inclusive", None)


# ---------------------------------------------------------------- main

def write(name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def main():
    os.makedirs(OUT, exist_ok=True)
    manifest = {}

    def vector(name, data, source, verifies, **extra):
        write(name + ".xml", data)
        manifest[name] = dict(source=source, **extra)
        ok = signxml_verifies(data, CERT_A)
        assert ok == verifies, f"{name}: signxml verification with certificate A gave {ok}"

    write("metadata.xml", metadata(ENTITY, CERT_A, encryption_cert=CERT_B))
    write("metadata-other-entity.xml", metadata("https://other-idp.example.test/saml", CERT_A))
    write("metadata-certificate-b.xml", metadata(ENTITY, CERT_B))

    okta = okta_style()
    valid = signxml_sign(okta, "_assert-0001", KEY_A, CERT_A)
    vector("valid-assertion-signed", valid,
           "Okta-shaped response; Assertion signed by signxml 5.2.0 (exc-c14n, rsa-sha256, sha256)", True)
    vector("valid-response-signed", signxml_sign(adfs_style(), "_resp-adfs", KEY_A, CERT_A),
           "AD FS-shaped response (default namespace); Response signed by signxml 5.2.0 (exc-c14n, rsa-sha256, sha256)", True)
    both = signxml_sign(okta, "_assert-0001", KEY_A, CERT_A, also_response=True)
    vector("valid-both-signed", both, "Okta-shaped response; Assertion, then Response, signed by signxml 5.2.0", True)
    assert signxml_verifies(both, CERT_A, signature_owner="_assert-0001")
    vector("valid-exclusive-prefix-list",
           manual_sign(okta, "_assert-0001", KEY_A, CERT_A, EXC, RSA_SHA256, SHA256, prefixes=["xs"]),
           "Okta-shaped response; Assertion signed with exc-c14n and InclusiveNamespaces PrefixList xs on both the "
           "SignedInfo canonicalization and the reference transform (lxml c14n + cryptography)", True)
    vector("valid-inclusive-c14n-sha1",
           manual_sign(okta, "_assert-0001", KEY_A, CERT_A, INC, RSA_SHA1, SHA1),
           "Okta-shaped response; Assertion signed with Canonical XML 1.0, rsa-sha1, sha1 (lxml c14n + cryptography)", True)
    vector("valid-exclusive-with-comments",
           manual_sign(okta, "_assert-0001", KEY_A, CERT_A, EXC_COMMENTS, RSA_SHA256, SHA256, prefixes=["xs"],
                       comment_in_signed_info=True),
           "Okta-shaped response; Assertion signed with exc-c14n#WithComments and a comment inside SignedInfo "
           "(lxml c14n + cryptography)", True)

    # The comment-truncation attack (CVE-2017-11427 family): the IdP signed the NameID
    # alice@example.test.evil.test; a comment added afterwards leaves the digest unchanged.
    signed_long = signxml_sign(okta_style(name_id="alice@example.test.evil.test"), "_assert-0001", KEY_A, CERT_A)
    vector("comment-in-name-id",
           replace_once(signed_long, ">alice@example.test.evil.test<", ">alice@example.test<!---->.evil.test<"),
           "valid-assertion-signed with NameID alice@example.test.evil.test, then a comment inserted into the NameID "
           "after signing (still a valid signature)", True)

    vector("tampered-attribute-value", replace_once(valid, ROLE_DEV + ",", "arn:aws:iam::111122223333:role/Admin,"),
           "valid-assertion-signed with the first Role value changed to role/Admin after signing", False)
    digest = etree.fromstring(valid).find(f".//{{{DS}}}DigestValue").text
    forged_digest = base64.b64encode(hashlib.sha256(b"tampered").digest()).decode()
    vector("tampered-digest-value", replace_once(valid, digest, forged_digest),
           "valid-assertion-signed with its DigestValue replaced by another SHA-256 digest", False)
    vector("signed-by-other-key", signxml_sign(okta, "_assert-0001", KEY_B, CERT_B),
           "Okta-shaped response signed by key B, KeyInfo carrying certificate B (not in metadata.xml)", False)
    vector("signed-by-other-key-claiming-metadata-certificate",
           signxml_sign(okta, "_assert-0001", KEY_B, CERT_A),
           "Okta-shaped response signed by key B, KeyInfo carrying certificate A (the metadata's)", False)

    # Signature wrapping (XSW): the signed assertion is kept somewhere, a forged one is what a careless
    # verifier would read. Built on the parsed tree so the signed original stays byte-for-byte intact.
    def wrap(mode):
        root = etree.fromstring(valid)
        original = by_id(root, "_assert-0001")
        forged = copy.deepcopy(original)
        for value in forged.iter("{urn:oasis:names:tc:SAML:2.0:assertion}AttributeValue"):
            if value.text.startswith(ROLE_DEV + ","):
                value.text = value.text.replace(ROLE_DEV, ROLE_ADMIN)
        signature = forged.find(f"{{{DS}}}Signature")
        if mode not in ("advice", "same-id"):
            signature.getprevious().tail = signature.tail
            forged.remove(signature)
        if mode != "same-id":
            forged.set("ID", "_evil")
        index = root.index(original)
        if mode == "beside":
            forged.tail = original.tail
            root.insert(index + 1, forged)
            return serialize(root)
        tail = original.tail
        root.remove(original)
        forged.tail = tail
        root.insert(index, forged)
        if mode == "advice":
            advice = etree.SubElement(forged, "{urn:oasis:names:tc:SAML:2.0:assertion}Advice")
            advice.append(original)
        else:
            extensions = etree.Element("{urn:oasis:names:tc:SAML:2.0:protocol}Extensions")
            extensions.append(original)
            extensions.tail = tail
            root.find("{urn:oasis:names:tc:SAML:2.0:protocol}Status").addprevious(extensions)
        return serialize(root)

    vector("wrapped-assertion-in-extensions", wrap("extensions"),
           "XSW: valid-assertion-signed with the signed Assertion moved into samlp:Extensions and a forged, unsigned "
           "Assertion (ID _evil, role/Admin) in its place", True)  # signxml finds and checks the moved original
    vector("wrapped-assertion-same-id", wrap("same-id"),
           "XSW: like wrapped-assertion-in-extensions but the forged Assertion reuses ID _assert-0001 and carries a "
           "copy of the original Signature", False)
    vector("wrapped-assertion-in-advice", wrap("advice"),
           "XSW: a forged Assertion (ID _evil, role/Admin) carrying the original Signature, with the signed original "
           "nested in its saml2:Advice", False)
    vector("two-assertions", wrap("beside"),
           "XSW: valid-assertion-signed with a forged, unsigned second Assertion (ID _evil, role/Admin) after the "
           "signed one", True)  # signxml only checks the signature; a second assertion is the SAML layer's business
    unsigned = etree.fromstring(valid)
    sig = unsigned.find(f".//{{{DS}}}Signature")
    sig.getparent().remove(sig)
    vector("unsigned", serialize(unsigned), "valid-assertion-signed with its Signature removed", False)

    vector("wrong-audience", signxml_sign(okta_style(audience="https://sp.example.test/saml"), "_assert-0001", KEY_A, CERT_A),
           "Okta-shaped response for audience https://sp.example.test/saml, signed by signxml", True)
    vector("missing-role-attribute", signxml_sign(okta_style(role=False), "_assert-0001", KEY_A, CERT_A),
           "Okta-shaped response without the Role attribute, signed by signxml", True)
    vector("missing-role-session-name", signxml_sign(okta_style(session_name=False), "_assert-0001", KEY_A, CERT_A),
           "Okta-shaped response without the RoleSessionName attribute, signed by signxml", True)
    vector("long-lived", signxml_sign(okta_style(lifetime=3600), "_assert-0001", KEY_A, CERT_A),
           "Okta-shaped response whose Conditions and SubjectConfirmationData last one hour, signed by signxml", True)
    vector("wrong-issuer", signxml_sign(okta_style(issuer="https://evil.example.test/saml"), "_assert-0001", KEY_A, CERT_A),
           "Okta-shaped response whose Issuer is https://evil.example.test/saml, signed with key A", True)

    vector("wrong-recipient", signxml_sign(okta_style(recipient="https://sp.example.test/acs"), "_assert-0001", KEY_A, CERT_A),
           "Okta-shaped response whose SubjectConfirmationData Recipient is https://sp.example.test/acs, signed by signxml", True)
    vector("invalid-source-identity", signxml_sign(okta_style(source_identity="aws:alice"), "_assert-0001", KEY_A, CERT_A),
           "Okta-shaped response whose SourceIdentity is aws:alice, signed by signxml", True)

    make_c14n_cases()
    write("c14n-cases.json", json.dumps(C14N_CASES, indent=2, ensure_ascii=False) + "\n")
    manifest["_times"] = {"IssueInstant": ts(), "note": "every response is issued at this instant"}
    write("manifest.json", json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    print(f"wrote {len(manifest) - 1} responses and {len(C14N_CASES)} c14n cases to {OUT}")


if __name__ == "__main__":
    sys.exit(main())
