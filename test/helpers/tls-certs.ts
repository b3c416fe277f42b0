// Throwaway TLS material for an engine on tcp with --tlsverify, made by openssl at test time: a CA, a server
// certificate for 127.0.0.1 and localhost, a client certificate, laid out as dockerd and the docker client read them.
import { execa } from 'execa';
import { randomInt } from 'node:crypto';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The folders of one set of TLS material, all under `root`. */
export interface TlsMaterial {
  /** The server's side: ca.pem (the CA that signs client certificates), server-cert.pem, server-key.pem. */
  readonly server: string;
  /** A DOCKER_CERT_PATH that works: ca.pem (the server's CA), cert.pem, key.pem. */
  readonly client: string;
  /** A DOCKER_CERT_PATH whose ca.pem is another CA, which did not sign the server's; cert.pem and key.pem are good. */
  readonly wrongCa: string;
  /** A DOCKER_CERT_PATH whose client certificate (cert.pem, key.pem) that other CA signed; ca.pem is the good one. */
  readonly foreignClient: string;
  /** A DOCKER_CERT_PATH whose key.pem is not cert.pem's key (it is the server's). */
  readonly wrongKey: string;
}

const openssl = (args: readonly string[], cwd: string) => execa('openssl', [...args], { cwd, stdin: 'ignore' });

/** A key (EC P-256: quick to make) and a certificate signed by `ca` (or self-signed when `ca` is undefined). */
async function certificate(dir: string, name: string, subject: string, extensions: string, ca?: string): Promise<void> {
  await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}-key.pem`], dir);
  await openssl(['req', '-new', '-key', `${name}-key.pem`, '-subj', subject, '-out', `${name}.csr`], dir);
  await writeFile(join(dir, `${name}.ext`), extensions);
  const signer = ca === undefined ? ['-signkey', `${name}-key.pem`] : ['-CA', `${ca}.pem`, '-CAkey', `${ca}-key.pem`, '-set_serial', String(randomInt(1, 2 ** 47))];
  await openssl(['x509', '-req', '-in', `${name}.csr`, ...signer, '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.pem`], dir);
}

/** Makes the CA, the server and client certificates and an unrelated CA under `root` (an existing, empty folder). */
export async function makeTlsMaterial(root: string): Promise<TlsMaterial> {
  const work = join(root, 'work');
  await mkdir(work);
  const caExt = 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n';
  await Promise.all([
    certificate(work, 'ca', '/CN=whalekeeper test CA', caExt),
    certificate(work, 'other-ca', '/CN=an unrelated CA', caExt),
  ]);
  // The docker documentation's layout (https://docs.docker.com/engine/security/protect-access/): serverAuth with the
  // addresses clients use as subjectAltName, clientAuth for the client.
  await Promise.all([
    certificate(work, 'server', '/CN=localhost', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n', 'ca'),
    certificate(work, 'client', '/CN=whalekeeper test client', 'extendedKeyUsage=clientAuth\n', 'ca'),
    certificate(work, 'foreign-client', '/CN=a client of another CA', 'extendedKeyUsage=clientAuth\n', 'other-ca'),
  ]);
  const layout: Record<string, Record<string, string>> = {
    server: { 'ca.pem': 'ca.pem', 'server-cert.pem': 'server.pem', 'server-key.pem': 'server-key.pem' },
    client: { 'ca.pem': 'ca.pem', 'cert.pem': 'client.pem', 'key.pem': 'client-key.pem' },
    'wrong-ca': { 'ca.pem': 'other-ca.pem', 'cert.pem': 'client.pem', 'key.pem': 'client-key.pem' },
    'foreign-client': { 'ca.pem': 'ca.pem', 'cert.pem': 'foreign-client.pem', 'key.pem': 'foreign-client-key.pem' },
    'wrong-key': { 'ca.pem': 'ca.pem', 'cert.pem': 'client.pem', 'key.pem': 'server-key.pem' },
  };
  for (const [folder, files] of Object.entries(layout)) {
    await mkdir(join(root, folder));
    for (const [to, from] of Object.entries(files)) await copyFile(join(work, from), join(root, folder, to));
  }
  const folder = (name: string): string => join(root, name);
  return { server: folder('server'), client: folder('client'), wrongCa: folder('wrong-ca'), foreignClient: folder('foreign-client'), wrongKey: folder('wrong-key') };
}
