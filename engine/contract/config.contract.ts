/**
 * Settings of this installation (issue 14): where an air-gapped site's mirrors are. A registry
 * mirror serves Docker Hub images for `FROM` lines; package mirrors serve npm, PyPI, Go modules
 * and Maven artifacts to the package managers inside a build (through the package relay). Each
 * value names its credential by reference (`env:NAME`), never the credential itself, so nothing
 * secret is stored, audited or printed. Part of the contract: zod only.
 */
import { z } from 'zod';
import { defineOperation } from './operation.ts';
import { projectsImport } from './projects.contract.ts';

/**
 * `env:NAME`: the reference Git imports take, reused so there is one rule for credential
 * references (the variable holds a token, or `user:password`).
 */
const CredentialRef = projectsImport.input.shape.credentialRef.unwrap();

export const CREDENTIAL_IN_URL =
  'a URL must not carry a user or password: put the credential in an environment variable and give --credential-ref env:NAME';

/**
 * scheme, authority, path, query, fragment (RFC 3986 appendix B, linear: no nested
 * quantifiers). The contract compiles without Node or DOM types, so no `URL` class here.
 */
const URI_PARTS = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/i;

/** An http(s) URL without userinfo, query or fragment: the mirror's base. */
const MirrorUrl = z.string().superRefine((text, ctx) => {
  const parts = URI_PARTS.exec(text);
  if (!parts || !parts[2] || !z.url().safeParse(text).success) {
    ctx.addIssue({ code: 'custom', message: 'not a URL: give http(s)://host[:port]/path' });
    return;
  }
  const [, scheme, authority, , query, fragment] = parts;
  const protocol = `${scheme!.toLowerCase()}:`;
  if (protocol !== 'http:' && protocol !== 'https:')
    ctx.addIssue({ code: 'custom', message: `${protocol} is not served: give an http(s) URL` });
  if (authority!.includes('@')) ctx.addIssue({ code: 'custom', message: CREDENTIAL_IN_URL });
  if (query || fragment)
    ctx.addIssue({ code: 'custom', message: 'a mirror URL has no query string or fragment' });
});

/** Where a mirror is and which environment variable holds its credential, if it needs one. */
export const MirrorSetting = z
  .object({ url: MirrorUrl, credentialRef: CredentialRef.optional() })
  .strict();
export type MirrorSetting = z.infer<typeof MirrorSetting>;

/** Every key this build knows, with its own value schema, what it is for and an example. */
export const SETTINGS = {
  'registry.mirror': {
    schema: MirrorSetting,
    description:
      'OCI registry that serves Docker Hub images under library/… (base images of FROM lines)',
    example: 'https://registry.example.internal',
  },
  'mirrors.npm': {
    schema: MirrorSetting,
    description: 'npm registry mirror (npm, yarn, pnpm, bun inside builds)',
    example: 'https://nexus.example.internal/repository/npm-proxy/',
  },
  'mirrors.pypi': {
    schema: MirrorSetting,
    description: 'PyPI simple index mirror (pip, uv inside builds)',
    example: 'https://nexus.example.internal/repository/pypi-proxy/simple/',
  },
  'mirrors.go': {
    schema: MirrorSetting,
    description: 'Go module proxy (GOPROXY protocol)',
    example: 'https://athens.example.internal/',
  },
  'mirrors.maven': {
    schema: MirrorSetting,
    description: 'Maven repository mirror (mirrorOf *)',
    example: 'https://nexus.example.internal/repository/maven-public/',
  },
} as const;

export type SettingKey = keyof typeof SETTINGS;
export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

export const SettingKeySchema = z.enum(SETTING_KEYS as [SettingKey, ...SettingKey[]], {
  error: `unknown setting; the known keys are ${SETTING_KEYS.join(', ')}`,
});

export const SettingInfo = z.object({
  key: SettingKeySchema,
  description: z.string(),
  example: z.string(),
  /** Null when the setting is not set. */
  value: MirrorSetting.nullable(),
  updatedAt: z.string().nullable(),
});
export type SettingInfo = z.infer<typeof SettingInfo>;

export const configList = defineOperation({
  name: 'config.list',
  summary: 'Every setting this build knows, with its value or null',
  input: z.object({}).strict(),
  output: z.object({ settings: z.array(SettingInfo) }),
  http: { method: 'GET', path: '/config' },
});

export const configGet = defineOperation({
  name: 'config.get',
  summary: 'One setting, with its value or null',
  input: z.object({ key: SettingKeySchema }).strict(),
  output: SettingInfo,
  http: { method: 'GET', path: '/config/:key' },
});

export const configSet = defineOperation({
  name: 'config.set',
  summary: 'Set a setting (audited with its old and new value; references only, never a secret)',
  input: z
    .object({ key: SettingKeySchema, value: z.unknown() })
    .strict()
    .superRefine((input, ctx) => {
      const parsed = SETTINGS[input.key].schema.safeParse(input.value);
      if (parsed.success) return;
      for (const issue of parsed.error.issues)
        ctx.addIssue({ code: 'custom', message: issue.message, path: ['value', ...issue.path] });
    }),
  output: SettingInfo.extend({
    value: MirrorSetting,
    updatedAt: z.string(),
    previous: MirrorSetting.nullable(),
    /** Things to check, e.g. the credential's variable is not set in the engine's environment. */
    warnings: z.array(z.string()),
  }),
  // PUT /config/:key once the HTTP binding knows PUT (engine/api/operation.ts).
  http: { method: 'POST', path: '/config/:key' },
});

export const configUnset = defineOperation({
  name: 'config.unset',
  summary: 'Remove a setting (audited with its old value)',
  input: z.object({ key: SettingKeySchema }).strict(),
  output: z.object({
    key: SettingKeySchema,
    removed: z.boolean(),
    previous: MirrorSetting.nullable(),
  }),
  // DELETE /config/:key once the HTTP binding knows DELETE (engine/api/operation.ts).
  http: { method: 'POST', path: '/config/:key/unset' },
});
