import assert from 'node:assert/strict';
import { test } from 'node:test';
import { x509Functions } from './x509.js';

function decode(pem: string): Record<string, unknown> {
  const entry = x509Functions.find((e) => e.name === 'x509_decode');
  assert.ok(entry);
  return entry.impl([pem], {}) as Record<string, unknown>;
}

const pem = (type: string, body: string): string =>
  `-----BEGIN ${type}-----\n${(body.match(/.{1,64}/g) ?? []).join('\n')}\n-----END ${type}-----\n`;

/** The certificate whose decoded form the kyverno.io x509_decode docs show (its `Raw` field). */
const DOCS_CERT_DER =
  'MIIC7TCCAdWgAwIBAgIBADANBgkqhkiG9w0BAQsFADAYMRYwFAYDVQQDDA0qLmt5dmVybm8uc3ZjMB4XDTIyMTAxMDExNDYzMloXDTIzMTAxMDEyNDYzMlowGDEWMBQGA1UEAwwNKi5reXZlcm5vLnN2YzCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAOKF+2P0Ufp855hpdsGD4lYkd6oU7HZAOWm1XskAMwrdsqWwTNNAinyHRoPQIbNbGDQ+r6Cggc2mlxHJ90PnC2weHj5otaD17Z+ARZpJZ4HMWkEfFt8sxwo9vuQJRWihqNwFheowjswoSB1DHnPufrZHfztkMoRx278ZfHaIMdlSTg50ektkNDoHA3OJsxxw54X3HR1iq6SZwN8xNT0TI6B6BbfAYWMNmKCiZ2iV6kW//XnTEqGd2WcmhuP0SjwO4tCJbj9oV6+Bj/uhFr7J4foErMaodYDBtQs/ul2tcAwSBHfnC2KcLbiZTZsC0Rs0WPJ4YwF/cOsD7Z/RmLs4FHsCAwEAAaNCMEAwDgYDVR0PAQH/BAQDAgKkMA8GA1UdEwEB/wQFMAMBAf8wHQYDVR0OBBYEFJaK+3Wfnf7rVkYBzMCLSaV56NMqMA0GCSqGSIb3DQEBCwUAA4IBAQDY7F6b+t9BX7098JyGk6zeT39MoLdSv+8IaKXn+m8GyOKn3CZkruko57ycvPd4taC0gggtmUYynFhwPMQr+boNrrK9rat8Jw3yPPsBq/8D/s6tvwxSNXBfPUI5OvNIB/hA5XpJpdHQaCkYm+FWkcJsolkkbSOfVjUjImW26JHBnnPPtR4Y7dx0SVoPS19IC0T5RmdvgqlXj4XbhTnX3QOujVHn8u+wQ8po7EngHDQs+onfkp8ipe0QpEJL1ZdW2LhyDXGKrZ2y8UPZ9wYNzxHWaj1Thu4B9YFdsPUwWqSxn9e+FygpoktlD8YgT7jwgiVKX7Koz++zyvMIdhvRrtgS';

const DOCS_N =
  '28595925905962223424520947352207105451744616797088171943239289907331901888529856098458304611629660120574607501039902142361333982065793213267074854658525100799280158707840279479550961169213763526857247298653141711003931642606662052674943191476488665842309583311097351331994267413776792462637192775240062778036062353517979538994974045127175206597906751521558536719043095219698535279694800624795673809356898452438518041024126624051887044932164506019573725987204208750674129677584956156611454245004918943771571492757639432459688931855526941886354880727024912384140238027697348634609952850513122734230521040730560514233467';

test('x509_decode reproduces the kyverno.io docs example', () => {
  const cert = decode(pem('CERTIFICATE', DOCS_CERT_DER));
  const expected: Record<string, unknown> = {
    AuthorityKeyId: null,
    BasicConstraintsValid: true,
    DNSNames: null,
    ExtKeyUsage: null,
    Extensions: [
      { Critical: true, Id: [2, 5, 29, 15], Value: 'AwICpA==' },
      { Critical: true, Id: [2, 5, 29, 19], Value: 'MAMBAf8=' },
      { Critical: false, Id: [2, 5, 29, 14], Value: 'BBSWivt1n53+61ZGAczAi0mleejTKg==' },
    ],
    IsCA: true,
    KeyUsage: 37,
    MaxPathLen: -1,
    MaxPathLenZero: false,
    NotAfter: '2023-10-10T12:46:32Z',
    NotBefore: '2022-10-10T11:46:32Z',
    PublicKey: { E: 65537, N: DOCS_N },
    PublicKeyAlgorithm: 1,
    Raw: DOCS_CERT_DER,
    RawIssuer: 'MBgxFjAUBgNVBAMMDSoua3l2ZXJuby5zdmM=',
    RawSubject: 'MBgxFjAUBgNVBAMMDSoua3l2ZXJuby5zdmM=',
    SerialNumber: 0,
    SignatureAlgorithm: 4,
    SubjectKeyId: 'lor7dZ+d/utWRgHMwItJpXno0yo=',
    Version: 3,
  };
  for (const [key, value] of Object.entries(expected)) assert.deepEqual(cert[key], value, key);
  const name = {
    CommonName: '*.kyverno.svc',
    Country: null,
    ExtraNames: null,
    Locality: null,
    Names: [{ Type: [2, 5, 4, 3], Value: '*.kyverno.svc' }],
    Organization: null,
    OrganizationalUnit: null,
    PostalCode: null,
    Province: null,
    SerialNumber: '',
    StreetAddress: null,
  };
  assert.deepEqual(cert.Subject, name);
  assert.deepEqual(cert.Issuer, name);
  assert.ok(String(cert.RawTBSCertificate).startsWith('MIIB1aADAgECAgEAMA0GCSqGSIb3DQEBCwUAMBgx'));
  assert.ok(String(cert.Signature).startsWith('2Oxem/rfQV+9PfCchpOs3k9/TKC3Ur'));
  assert.ok(
    String(cert.RawSubjectPublicKeyInfo).startsWith('MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA4oX7Y'),
  );
});

const LEAF = `-----BEGIN CERTIFICATE-----
MIICIzCCAYygAwIBAgICEjQwDQYJKoZIhvcNAQELBQAwDzENMAsGA1UEAwwEbGVh
ZjAeFw0yNjExMjUwODQzMzZaFw0yNjEyMDUwODQzMzZaMA8xDTALBgNVBAMMBGxl
YWYwgZ8wDQYJKoZIhvcNAQEBBQADgY0AMIGJAoGBALe9CsioNxdEaEIwOH2Xr8MZ
hxjyii1inGZEzJZDXnfhO7skbCNMD2Ev2cjuPADlhrLHyGThWkxCcaI8BXWNj3Tu
Y5rQZK3652vUgiwpV7kZQcG45bMQzj/iYMFGS8kAFHOGI5tae/frtOoyow03SFJj
DdISxy8S0p8Mzlsh5vI7AgMBAAGjgY0wgYowHQYDVR0OBBYEFBMWf8qffKNSvviA
szW3vz/iZy6sMB8GA1UdIwQYMBaAFBMWf8qffKNSvviAszW3vz/iZy6sMB0GA1Ud
JQQWMBQGCCsGAQUFBwMBBggrBgEFBQcDAjASBgNVHRMBAf8ECDAGAQH/AgEAMBUG
A1UdEQQOMAyCCmxlYWYubG9jYWwwDQYJKoZIhvcNAQELBQADgYEAb+U0Lr/IJ6xa
gE/2RxFv21XGdwnwqMi9Ay8ct9gwe/ihtgc6Gd55lPl+7RHm6OxH8muwD4VJa5ls
7QJIgMkzy/yk6AaPoqnvdsBewJ17fXqK+pWZ/uL5Q5CB9ffOjU3fZzL8XBFO4pGA
mQfYa01D2VIMTdYmjKhlBY9RQa98+Yg=
-----END CERTIFICATE-----
-----END CERTIFICATE-----
`;

const LEAF_MODULUS_HEX =
  'B7BD0AC8A8371744684230387D97AFC3198718F28A2D629C6644CC96435E77E13BBB246C234C0F612FD9C8EE3C00E586B2C7C864E15A4C4271A23C05758D8F74EE639AD064ADFAE76BD4822C2957B91941C1B8E5B310CE3FE260C1464BC900147386239B5A7BF7EBB4EA32A30D374852630DD212C72F12D29F0CCE5B21E6F23B';

test('x509_decode reads SANs, extended key usage, path length and serial', () => {
  const cert = decode(`some text before\n${LEAF}`);
  assert.equal(cert.SerialNumber, 4660);
  assert.deepEqual(cert.DNSNames, ['leaf.local']);
  assert.deepEqual(cert.ExtKeyUsage, [1, 2]);
  assert.equal(cert.IsCA, true);
  assert.equal(cert.MaxPathLen, 0);
  assert.equal(cert.MaxPathLenZero, true);
  assert.equal(cert.NotBefore, '2026-11-25T08:43:36Z');
  assert.equal(cert.NotAfter, '2026-12-05T08:43:36Z');
  assert.equal(cert.AuthorityKeyId, cert.SubjectKeyId);
  assert.deepEqual(cert.PublicKey, { N: BigInt(`0x${LEAF_MODULUS_HEX}`).toString(), E: 65537 });
});

const CSR = `-----BEGIN CERTIFICATE REQUEST-----
MIIB2TCCAUICAQAwRDELMAkGA1UEBhMCVVMxDTALBgNVBAoMBEFjbWUxDDAKBgNV
BAsMA0VuZzEYMBYGA1UEAwwPYXBwLmV4YW1wbGUuY29tMIGfMA0GCSqGSIb3DQEB
AQUAA4GNADCBiQKBgQC3vQrIqDcXRGhCMDh9l6/DGYcY8ootYpxmRMyWQ1534Tu7
JGwjTA9hL9nI7jwA5Yayx8hk4VpMQnGiPAV1jY907mOa0GSt+udr1IIsKVe5GUHB
uOWzEM4/4mDBRkvJABRzhiObWnv367TqMqMNN0hSYw3SEscvEtKfDM5bIebyOwID
AQABoFUwUwYJKoZIhvcNAQkOMUYwRDBCBgNVHREEOzA5gg9hcHAuZXhhbXBsZS5j
b22CD3d3dy5leGFtcGxlLmNvbYcECgAAAYEPb3BzQGV4YW1wbGUuY29tMA0GCSqG
SIb3DQEBCwUAA4GBAKPVv0nVR9nLyx3CLDBZgjNfJwPZ/Sota3lZ+q6Yjy9WRd0p
OrUxFj2WCi4E9M6Kp7WF+/mlxcgzMAxqLH3Qa+dURfBx+H9hD6XZNM+/2CoCOO1N
MGPhd/zZ1tm/QPQj0CHe11IX7OgAD11qvWVCSJ4QisMvSFxUZlUy02+zhU0A
-----END CERTIFICATE REQUEST-----
-----END CERTIFICATE REQUEST-----`;

test('x509_decode decodes a certificate signing request', () => {
  const csr = decode(CSR);
  assert.equal(csr.Version, 0);
  assert.equal(csr.SignatureAlgorithm, 4);
  assert.equal(csr.PublicKeyAlgorithm, 1);
  assert.deepEqual(csr.PublicKey, { N: BigInt(`0x${LEAF_MODULUS_HEX}`).toString(), E: 65537 });
  assert.deepEqual(csr.DNSNames, ['app.example.com', 'www.example.com']);
  assert.deepEqual(csr.IPAddresses, ['10.0.0.1']);
  assert.deepEqual(csr.EmailAddresses, ['ops@example.com']);
  const subject = csr.Subject as Record<string, unknown>;
  assert.equal(subject.CommonName, 'app.example.com');
  assert.deepEqual(subject.Country, ['US']);
  assert.deepEqual(subject.Organization, ['Acme']);
  assert.deepEqual(subject.OrganizationalUnit, ['Eng']);
  assert.equal((subject.Names as unknown[]).length, 4);
});

const EC_CERT = `-----BEGIN CERTIFICATE-----
MIIBbzCCARWgAwIBAgIUZBGFafBxGnBiKgfoZDa1BUPfahgwCgYIKoZIzj0EAwIw
DTELMAkGA1UEAwwCZWMwHhcNMjYxMTI1MDg0MzM2WhcNMjYxMTI2MDg0MzM2WjAN
MQswCQYDVQQDDAJlYzBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABPfqd4S5ZFkS
BZtsTfxfO/4IPiNIBaSjzOwtJfeFuT2U/HfLy2l8VIhYgPeCB6xdEgWyO6assWyt
xMRKSuvNsh2jUzBRMB0GA1UdDgQWBBRlnDxC9KO/NmkGN4xL/1Jbdijp3jAfBgNV
HSMEGDAWgBRlnDxC9KO/NmkGN4xL/1Jbdijp3jAPBgNVHRMBAf8EBTADAQH/MAoG
CCqGSM49BAMCA0gAMEUCIQDNMD9HB1pRAkRhMcBBxJGfGJHS6WvAzSGTUCxG7qsy
yQIgGl5zeeF48jZk1D4kopdqGgvGjsyMTPPJjyvOCpDtNVI=
-----END CERTIFICATE-----
-----END CERTIFICATE-----`;

const errors: ReadonlyArray<readonly [string, string, string]> = [
  ['not PEM', 'hello', "JMESPath function 'x509_decode': failed to decode PEM block"],
  [
    'a public key block',
    pem('PUBLIC KEY', 'MAA='),
    "JMESPath function 'x509_decode': PEM block neither contains a CERTIFICATE or CERTIFICATE REQUEST",
  ],
  ['an EC certificate', EC_CERT, "JMESPath function 'x509_decode': certificate should use rsa algorithm"],
];
for (const [label, input, message] of errors) {
  test(`x509_decode rejects ${label}`, () => assert.throws(() => decode(input), { message }));
}

test('x509_decode reports truncated DER as an error', () => {
  assert.throws(
    () => decode(pem('CERTIFICATE', DOCS_CERT_DER.slice(0, 200))),
    /JMESPath function 'x509_decode': x509: malformed/,
  );
});
