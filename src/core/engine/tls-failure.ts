// What went wrong in a TLS handshake with the engine, in words, from the error code Node gives (OpenSSL's certificate
// verification codes, Node's ERR_TLS_* and OpenSSL's alerts and errors as ERR_SSL_*).

// OpenSSL's X509_V_ERR_* names as Node reports them (`error.code`) when the engine's certificate does not verify:
// https://nodejs.org/api/tls.html#x509-certificate-error-codes
const UNTRUSTED = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
]);

// The alerts an engine sends when it refuses our certificate, or gets none (Go's crypto/tls sends bad_certificate
// for both under --tlsverify; TLS 1.3 servers may send certificate_required).
const REFUSED = new Set([
  'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
  'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN',
  'ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_REVOKED',
]);

/**
 * One clause saying what failed in the TLS handshake with the engine, naming the DOCKER_CERT_PATH file (in `certPath`)
 * to look at; undefined when `code` is no TLS failure (ECONNREFUSED, a timeout...). `detail` is Node's own message,
 * kept where it says more than the code (the certificate's names for a wrong address).
 */
export function tlsFailure(code: string | undefined, detail: string, certPath: string): string | undefined {
  if (code === undefined) return undefined;
  const ca = `${certPath}/ca.pem`;
  if (UNTRUSTED.has(code)) return `the engine's certificate is not signed by the CA in ${ca}`;
  if (code === 'CERT_HAS_EXPIRED') return "the engine's certificate has expired";
  if (code === 'CERT_NOT_YET_VALID') return "the engine's certificate is not valid yet";
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `the engine's certificate is not for this address: ${detail}`;
  if (REFUSED.has(code)) {
    return `the engine refused the client certificate (${certPath}/cert.pem and key.pem): it verifies clients (--tlsverify) against a CA that did not sign it, or it got none`;
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG') {
    return 'the engine does not speak TLS on this port (unset DOCKER_TLS_VERIFY and DOCKER_TLS, or use its TLS port, 2376 by convention)';
  }
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code.startsWith('ERR_OSSL_')) return detail;
  return undefined;
}
