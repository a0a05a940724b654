import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** A certificate and key made for one test. */
export interface TestCertificate {
  certFile: string;
  keyFile: string;
  pem: string;
}

/** Makes a self-signed certificate with openssl in `folder` (files `<name>.crt`, `<name>.key`). */
export async function makeSelfSignedCertificate(
  folder: string,
  options: { name: string; commonName: string; subjectAltName?: string },
): Promise<TestCertificate> {
  const certFile = join(folder, `${options.name}.crt`);
  const keyFile = join(folder, `${options.name}.key`);
  const extensions = options.subjectAltName ? ['-addext', `subjectAltName=${options.subjectAltName}`] : [];
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${options.commonName}`,
    ...extensions,
    '-keyout',
    keyFile,
    '-out',
    certFile,
  ]);
  return { certFile, keyFile, pem: await readFile(certFile, 'utf8') };
}
