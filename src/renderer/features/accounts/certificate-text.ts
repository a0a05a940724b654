/**
 * Node's reasons for refusing a certificate (OpenSSL verify codes, as `CertificateSummary.problem`
 * carries them), in words. https://www.openssl.org/docs/manmaster/man3/X509_STORE_CTX_get_error.html
 */
const reasons: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'it was issued by a certificate authority this computer does not trust',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'it was issued by a certificate authority this computer does not trust',
  UNABLE_TO_GET_ISSUER_CERT: 'the certificate of its issuer could not be found',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its signature could not be verified against a trusted authority',
  CERT_UNTRUSTED: 'it is not trusted for this purpose',
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not valid yet (check the clock)',
  CERT_REVOKED: 'it was revoked',
  ERR_TLS_CERT_ALTNAME_INVALID: 'it was issued for another host name',
  HOSTNAME_MISMATCH: 'it was issued for another host name',
};

/** Why this computer refuses a server certificate, as a clause ("it is self-signed"); unknown codes are kept as they are. */
export function describeCertificateProblem(problem: string): string {
  return reasons[problem] ?? problem;
}
