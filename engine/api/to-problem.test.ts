import { describe, expect, it } from 'vitest';
import { Redactor } from '../secrets/redact.ts';
import { OfflineInputMissingError } from '../system/offline-input.ts';
import { toProblem } from './to-problem.ts';

describe('toProblem', () => {
  it('maps a missing offline input to tool-missing with its own remedy, redacted', () => {
    const redactor = new Redactor();
    redactor.register('s3cr3t-token-value');
    const problem = toProblem(
      new OfflineInputMissingError(
        { kind: 'package-mirror', name: 'npm' },
        'the build has no network (token s3cr3t-token-value)',
        'prodsprint config set mirrors.npm <url>',
      ),
      redactor,
    );
    expect(problem).toMatchObject({
      status: 424,
      type: expect.stringContaining('tool-missing'),
      remedy: 'prodsprint config set mirrors.npm <url>',
    });
    expect(JSON.stringify(problem)).not.toContain('s3cr3t-token-value');
  });

  it('calls anything unknown a bug, with how to report it', () => {
    expect(toProblem(new Error('boom'), new Redactor())).toMatchObject({
      status: 500,
      remedy: expect.stringMatching(/bug/),
    });
  });
});
