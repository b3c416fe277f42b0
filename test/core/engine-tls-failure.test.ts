import { describe, expect, it } from 'vitest';
import { tlsFailure } from '../../src/core/engine/tls-failure.js';

describe('a TLS failure with the engine, in words', () => {
  it.each([
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', "the engine's certificate is not signed by the CA in /c/ca.pem"],
    ['SELF_SIGNED_CERT_IN_CHAIN', "the engine's certificate is not signed by the CA in /c/ca.pem"],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', "the engine's certificate is not signed by the CA in /c/ca.pem"],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', "the engine's certificate is not signed by the CA in /c/ca.pem"],
    ['CERT_HAS_EXPIRED', "the engine's certificate has expired"],
    ['CERT_NOT_YET_VALID', "the engine's certificate is not valid yet"],
    ['ERR_TLS_CERT_ALTNAME_INVALID', "the engine's certificate is not for this address: Node's words"],
    ['ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', 'the engine refused the client certificate (/c/cert.pem and key.pem): it verifies clients (--tlsverify) against a CA that did not sign it, or it got none'],
    ['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'the engine refused the client certificate (/c/cert.pem and key.pem): it verifies clients (--tlsverify) against a CA that did not sign it, or it got none'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'the engine does not speak TLS on this port (unset DOCKER_TLS_VERIFY and DOCKER_TLS, or use its TLS port, 2376 by convention)'],
    ['ERR_SSL_SOMETHING_ELSE', "Node's words"],
    ['ERR_OSSL_EVP_BAD_DECRYPT', "Node's words"],
  ])('%s', (code, words) => {
    expect(tlsFailure(code, "Node's words", '/c')).toBe(words);
  });

  it.each([['ECONNREFUSED'], ['ECONNRESET'], ['ETIMEDOUT'], [undefined]])('%s is no TLS failure', (code) => {
    expect(tlsFailure(code, 'x', '/c')).toBeUndefined();
  });
});
