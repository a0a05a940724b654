import { X509Certificate } from 'node:crypto';
import { connect, type DetailedPeerCertificate } from 'node:tls';
import type { CertificateSummary } from '../../../shared/accounts';
import { AppFailure } from '../app-failure';
import { describeCertificateProblem } from './classify-s3-error';

/** Formats a certificate's subject or issuer fields as one line (CN=…, O=…). */
function describeName(name: Record<string, string | string[] | undefined> | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`)
    .join(', ');
}

/** Wraps DER bytes as PEM. */
function toPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/**
 * Fetches the certificate an HTTPS endpoint presents, without trusting it, so a person can
 * look at it and decide to trust it for one account. Nothing is sent beyond the handshake.
 */
export async function inspectServerCertificate(endpoint: string, timeoutMs = 10_000): Promise<CertificateSummary> {
  const url = new URL(endpoint);
  if (url.protocol !== 'https:') {
    throw new AppFailure('invalid-input', 'Only an https:// endpoint has a certificate to inspect.');
  }
  const port = Number(url.port || 443);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise<CertificateSummary>((resolve, reject) => {
    const socket = connect({ host, port, servername: /^[\d.:]+$/.test(host) ? '' : host, rejectUnauthorized: false });
    socket.setTimeout(timeoutMs, () => socket.destroy(new AppFailure('timeout')));
    socket.once('error', (error) =>
      reject(error instanceof AppFailure ? error : new AppFailure('network', `Could not reach ${url.host}.`)),
    );
    socket.once('secureConnect', () => {
      const peer: DetailedPeerCertificate = socket.getPeerCertificate(true);
      const code = String(socket.authorizationError ?? '');
      const problem = socket.authorized
        ? null
        : `This computer does not trust it: ${describeCertificateProblem(code || 'it is not trusted')}.`;
      socket.end();
      if (!peer.raw) return reject(new AppFailure('not-s3', `${url.host} presented no certificate.`));
      const x509 = new X509Certificate(peer.raw);
      resolve({
        subject: describeName(peer.subject as unknown as Record<string, string>),
        issuer: describeName(peer.issuer as unknown as Record<string, string>),
        validFrom: new Date(x509.validFrom).toISOString(),
        validTo: new Date(x509.validTo).toISOString(),
        sha256: x509.fingerprint256,
        selfSigned: x509.verify(x509.publicKey) && x509.checkIssued(x509),
        pem: toPem(peer.raw),
        problem,
      });
    });
  });
}
