import { describe, expect, it } from 'vitest';
import { Redactor } from '../secrets/redact.ts';
import { OfflineInputMissingError } from '../system/offline-input.ts';
import { EngineError } from '../contract/problem.ts';
import { RunCapacityError } from '../runs/index.ts';
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

  it('maps any EngineError by its own kind, with its remedy text and action, redacted', () => {
    const redactor = new Redactor();
    redactor.register('s3cr3t-token');
    const problem = toProblem(
      new EngineError('conflict', 'plan bp_1 changed (token s3cr3t-token)', {
        text: 'review the plan again',
        action: { operation: 'blueprints.get', input: { blueprintId: 'bp_1' }, label: 'Review' },
      }),
      redactor,
    );
    expect(problem).toMatchObject({
      status: 409,
      remedy: 'review the plan again',
      action: { operation: 'blueprints.get', input: { blueprintId: 'bp_1' } },
    });
    expect(problem.detail).not.toContain('s3cr3t-token');
  });

  it('keeps what a subclass adds: a full queue is a 429 with Retry-After', () => {
    expect(toProblem(new RunCapacityError(100, 100, 2500), new Redactor())).toMatchObject({
      status: 429,
      retryAfter: 3,
      remedy: 'retry in 3 s, when runs in flight have finished',
    });
  });

  it('calls anything unknown a bug, with how to report it', () => {
    expect(toProblem(new Error('boom'), new Redactor())).toMatchObject({
      status: 500,
      remedy: expect.stringMatching(/bug/),
    });
  });
});
