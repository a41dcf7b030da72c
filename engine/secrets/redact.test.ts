import { describe, expect, it } from 'vitest';
import { MASK, Redactor } from './redact.ts';

// Each row: a line as it might appear in a log, the secret inside it, and what must survive
// (the context that tells a reader what was there).
const SHAPES: Array<[shape: string, line: string, secret: string, kept?: string]> = [
  [
    'AWS access key id',
    'using key AKIAIOSFODNN7EXAMPLE for s3',
    'AKIAIOSFODNN7EXAMPLE',
    'using key',
  ],
  ['AWS STS key id', 'ASIAY34FZKBOKMUTVV7A expired', 'ASIAY34FZKBOKMUTVV7A', 'expired'],
  [
    'AWS secret (env style)',
    'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'AWS_SECRET_ACCESS_KEY=',
  ],
  [
    'AWS secret (JSON)',
    '{"secretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}',
    'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'secretAccessKey',
  ],
  [
    'GitHub classic token',
    'git push https://x:ghp_16C7e42F292c6912E7710c838347Ae178B4a@github.local',
    'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
  ],
  [
    'GitHub app token',
    'token ghs_16C7e42F292c6912E7710c838347Ae178B4a',
    'ghs_16C7e42F292c6912E7710c838347Ae178B4a',
  ],
  [
    'GitHub fine-grained token',
    'github_pat_11ABCDEFG0123456789abcdefghijklmnopqrstuvwxyz',
    'github_pat_11ABCDEFG0123456789abcdefghijklmnopqrstuvwxyz',
  ],
  [
    'GitLab personal token',
    'PRIVATE-TOKEN: glpat-xxxxxxxxxxxxxxxxxxxx',
    'glpat-xxxxxxxxxxxxxxxxxxxx',
    'PRIVATE-TOKEN',
  ],
  [
    'GitLab runner token',
    'registered glrt-AbCdEfGhIjKlMnOpQrStUv',
    'glrt-AbCdEfGhIjKlMnOpQrStUv',
    'registered',
  ],
  [
    'Slack bot token',
    'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
    'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
  ],
  [
    'Vault service token',
    'VAULT_TOKEN hvs.CAESIJ5AQUF2aWxhYmxlX3Rva2VuX2hlcmU',
    'hvs.CAESIJ5AQUF2aWxhYmxlX3Rva2VuX2hlcmU',
    'VAULT_TOKEN',
  ],
  [
    'npm token',
    '//registry.internal/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789',
    'npm_abcdefghijklmnopqrstuvwxyz0123456789',
  ],
  [
    'JWT',
    'cookie: session=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    'cookie',
  ],
  [
    'Bearer header',
    'Authorization: Bearer s3cr3t.t0ken-value_xyz',
    's3cr3t.t0ken-value_xyz',
    'Authorization: Bearer',
  ],
  [
    'Basic header',
    'Authorization: Basic dXNlcjpodW50ZXIyaHVudGVy',
    'dXNlcjpodW50ZXIyaHVudGVy',
    'Authorization: Basic',
  ],
  [
    'URL with password',
    'cloning https://deploy:Tr0ub4dor&3@git.internal/team/app.git',
    'Tr0ub4dor&3',
    'https://deploy:',
  ],
  [
    'postgres URL',
    'DATABASE_URL=postgres://app:pa55w0rd!@db:5432/app',
    'pa55w0rd!',
    'postgres://app:',
  ],
  ['password assignment', 'connecting with password=correcthorse', 'correcthorse', 'password='],
  ['quoted JSON password', '{"db_password": "correct horse"}', 'correct', 'db_password'],
  ['api key assignment', 'api_key: 0123456789abcdef', '0123456789abcdef', 'api_key'],
  ['client secret', 'CLIENT_SECRET=abcDEF123456', 'abcDEF123456', 'CLIENT_SECRET='],
];

const PRIVATE_KEY = `-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACDzvZ3b2l1eXh0lZGVzLWxvbmctZmFrZS1rZXktbWF0ZXJpYWwtaGVyZQ==
-----END OPENSSH PRIVATE KEY-----`;

describe('Redactor: credential shapes', () => {
  const redactor = new Redactor();

  it.each(SHAPES)('%s is masked', (_shape, line, secret, kept) => {
    const out = redactor.redact(line);
    expect(out).not.toContain(secret);
    expect(out).toContain(MASK);
    if (kept) expect(out).toContain(kept);
  });

  it.each([
    [
      'RSA',
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA1c7+9z5Pad7OejecsQ0bu\n-----END RSA PRIVATE KEY-----',
    ],
    [
      'PKCS#8',
      '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n-----END PRIVATE KEY-----',
    ],
    [
      'encrypted',
      '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----',
    ],
    ['OpenSSH', PRIVATE_KEY],
  ])('%s private key blocks are masked whole', (_kind, block) => {
    const out = redactor.redact(`key follows:\n${block}\nend`);
    expect(out).toBe(`key follows:\n${MASK}\nend`);
  });

  it('masks a private key even when the log cut it off before its END line', () => {
    const out = redactor.redact(`${PRIVATE_KEY.split('\n').slice(0, 2).join('\n')}`);
    expect(out).toBe(MASK);
  });

  it.each([
    'GET /healthz 200 3ms',
    'migrated 0002_engine in 12ms',
    'image sha256:4f3f81ab752631df0cfd6bac26d7233bb21eb1b5778ab807f0ff91e5a7b1ac6c',
    'commit 0b1461a Skeleton',
    'https://git.internal/team/app.git',
    'the password field is required',
  ])('leaves ordinary text alone: %s', (line) => {
    expect(redactor.redact(line)).toBe(line);
  });
});

describe('Redactor: registered secrets', () => {
  it('masks a registered value wherever it appears, in its common encodings', () => {
    const redactor = new Redactor();
    const secret = 'n0t-a-pattern/but+secret=';
    redactor.register(secret);
    const base64 = Buffer.from(secret).toString('base64');
    const text = `raw ${secret} url ${encodeURIComponent(secret)} b64 ${base64} b64url ${Buffer.from(secret).toString('base64url')}`;
    const out = redactor.redact(text);
    expect(out).not.toContain(secret);
    expect(out).not.toContain(encodeURIComponent(secret));
    expect(out).not.toContain(base64);
    expect(out.match(/\[REDACTED\]/g)).toHaveLength(4);
  });

  it('masks the longer of two overlapping secrets whole', () => {
    const redactor = new Redactor();
    redactor.register('abcd');
    redactor.register('abcdefgh');
    expect(redactor.redact('x abcdefgh y')).toBe(`x ${MASK} y`);
  });

  it('refuses to register values too short to mask safely', () => {
    expect(() => new Redactor().register('abc')).toThrow(/shorter than 4/);
  });

  it('redacts nested values, keys, arrays and errors, without changing the input', () => {
    const redactor = new Redactor();
    redactor.register('tok-SECRET-123');
    const input = {
      a: ['x tok-SECRET-123'],
      b: { 'tok-SECRET-123': 1, c: new Error('bad tok-SECRET-123') },
      n: 5,
      z: null,
    };
    const out = redactor.redactValue(input);
    expect(JSON.stringify(out)).not.toContain('tok-SECRET-123');
    expect(out.n).toBe(5);
    expect(out.z).toBeNull();
    expect(input.a[0]).toBe('x tok-SECRET-123');
  });

  it('survives circular structures', () => {
    const redactor = new Redactor();
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    expect(redactor.redactValue(loop)).toEqual({ name: 'loop', self: '[Circular]' });
  });
});
