import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { BundleFiles } from '../files.ts';
import type { JwsAlgorithm } from '../jws.ts';
import { signBundle } from '../signature.ts';
import type { TrustedKey } from '../trusted-keys.ts';

/** A signing key and its trusted public half; tests only. */
export interface TestSigner {
  keyId: string;
  algorithm: JwsAlgorithm;
  privateKey: KeyObject;
  trusted: TrustedKey;
}

export function testSigner(
  algorithm: JwsAlgorithm = 'ES256',
  keyId = `test-${algorithm}`,
): TestSigner {
  const { privateKey, publicKey } =
    algorithm === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : algorithm === 'RS256'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : generateKeyPairSync('ed25519');
  return { keyId, algorithm, privateKey, trusted: { keyId, algorithm, key: publicKey } };
}

/** An unsigned pack `demo` at `revision` with one rule, a test and data. */
export function demoPackFiles(revision = '1.0.0', threshold = 80): BundleFiles {
  return new Map([
    [
      '.manifest',
      Buffer.from(JSON.stringify({ revision, roots: ['demo'], metadata: { name: 'demo' } })),
    ],
    [
      'demo/coverage.rego',
      Buffer.from(
        'package demo.coverage\n\ndeny contains msg if {\n  input.coverage < data.demo.threshold\n  msg := sprintf("coverage %v below %v", [input.coverage, data.demo.threshold])\n}\n',
      ),
    ],
    ['data.json', Buffer.from(JSON.stringify({ demo: { threshold } }, null, 2))],
  ]);
}

export function signedDemoPack(
  signer: TestSigner,
  revision = '1.0.0',
  threshold = 80,
): BundleFiles {
  return signBundle(demoPackFiles(revision, threshold), {
    key: signer.privateKey,
    algorithm: signer.algorithm,
    keyId: signer.keyId,
  });
}
