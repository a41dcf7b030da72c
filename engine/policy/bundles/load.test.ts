import { describe, expect, it } from 'vitest';
import { evalQuery, fromJS, toJSONText } from '../rego/index.ts';
import { BundleError } from './errors.ts';
import type { BundleFiles } from './files.ts';
import { loadPack, packDigest } from './load.ts';
import { demoPackFiles, signedDemoPack, testSigner } from './testing/pack-fixture.ts';

function refusal(files: BundleFiles): BundleError {
  try {
    loadPack(files);
  } catch (error) {
    if (error instanceof BundleError) return error;
    throw error;
  }
  throw new Error('pack was loaded');
}

const withFile = (name: string, text: string): BundleFiles =>
  new Map([...demoPackFiles(), [name, Buffer.from(text)]]);

describe('loadPack', () => {
  it('compiles the Rego and mounts data.json so the pack evaluates', () => {
    const pack = loadPack(demoPackFiles());
    expect(pack.manifest).toMatchObject({ name: 'demo', revision: '1.0.0', roots: ['demo'] });
    const rows = evalQuery(pack.policy, 'x := data.demo.coverage.deny', {
      input: fromJS({ coverage: 50 }),
      data: fromJS(pack.data),
    });
    expect(toJSONText(rows[0]!['x']!)).toBe('["coverage 50 below 80"]');
  });

  it('gives a digest that ignores the signature and changes with content', () => {
    const signer = testSigner('EdDSA');
    expect(packDigest(signedDemoPack(signer))).toBe(packDigest(demoPackFiles()));
    expect(packDigest(demoPackFiles('1.0.0', 90))).not.toBe(packDigest(demoPackFiles()));
  });

  it.each([
    ['not json', 'invalid JSON'],
    ['[]', 'must be a JSON object'],
    ['{"roots":["demo"],"metadata":{"name":"demo"}}', 'revision must be'],
    ['{"revision":"1","metadata":{"name":"../x"}}', 'metadata.name must be'],
    ['{"revision":"1","roots":"demo","metadata":{"name":"demo"}}', 'roots must be'],
    ['{"revision":"1","rego_version":0,"metadata":{"name":"demo"}}', 'rego_version 1'],
  ])('refuses the malformed manifest %s', (manifest, why) => {
    const error = refusal(withFile('.manifest', manifest));
    expect(error.file).toBe('.manifest');
    expect(error.message).toContain(why);
  });

  it('names the file and line of Rego that does not parse', () => {
    const error = refusal(withFile('demo/bad.rego', 'package demo.bad\n\nallow if {\n'));
    expect(error).toMatchObject({ code: 'rego_error', file: 'demo/bad.rego' });
    expect(error.message).toMatch(/^demo\/bad\.rego: demo\/bad\.rego:\d+: rego_parse_error/);
  });

  it('refuses Rego calling an unknown function', () => {
    const error = refusal(withFile('demo/fn.rego', 'package demo.fn\n\nallow if no_such_fn(1)\n'));
    expect(error).toMatchObject({ code: 'rego_error', file: 'demo/fn.rego' });
  });

  it('refuses a package or data outside the manifest roots', () => {
    expect(refusal(withFile('x.rego', 'package other\n\nallow := true\n')).message).toContain(
      'package other is outside',
    );
    expect(refusal(withFile('other/data.json', '{"k":1}')).message).toContain('other/k is outside');
  });

  it('refuses members that are neither Rego nor data', () => {
    expect(refusal(withFile('run.sh', 'rm -rf /'))).toMatchObject({
      code: 'bad_data',
      file: 'run.sh',
    });
  });
});
