import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Redactor } from '../secrets/redact.ts';
import { createLogger } from '../telemetry/logger.ts';
import { createEngine } from './engine.ts';
import { handlers } from './handlers.ts';
import { operationNames, operations } from '../contract/operations.contract.ts';
import { Problem, ProblemError, problemTypeUri } from '../contract/problem.ts';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'prodsprint-api-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

async function problemOf(promise: Promise<unknown>): Promise<Problem> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ProblemError);
    return Problem.parse((error as ProblemError).problem);
  }
  throw new Error('expected a Problem, got a success');
}

describe('the contract', () => {
  it('declares the seed operations, each with input and output schemas and an HTTP binding', () => {
    for (const name of [
      'projects.import',
      'blueprints.generate',
      'blueprints.get',
      'pipelines.apply',
      'readiness.get',
      'releases.create',
      'releases.rollback',
      'dashboards.get',
      'runs.get',
      'runs.events',
    ]) {
      expect(operationNames).toContain(name);
    }
    for (const name of operationNames) {
      const spec = operations[name];
      expect(spec.name).toBe(name);
      expect(typeof spec.input.safeParse).toBe('function');
      expect(typeof spec.output.safeParse).toBe('function');
      expect(spec.http.path.startsWith('/')).toBe(true);
    }
  });

  it.each(operationNames.filter((name) => !(name in handlers)))(
    '%s, not built yet, answers a not-implemented Problem, never a fake success',
    async (name) => {
      const engine = createEngine({ dataDir });
      const problem = await problemOf(engine.invoke(name, validInputFor(name) as never));
      expect(problem.type).toBe(problemTypeUri('not-implemented'));
      expect(problem.status).toBe(501);
      expect(problem.detail).toContain(name);
      engine.close();
    },
  );

  it('rejects bad input with a validation Problem naming each field', async () => {
    const engine = createEngine({ dataDir });
    const problem = await problemOf(
      engine.invoke('blueprints.generate', {
        projectId: 'prj_1',
        inputs: { target: 'mainframe', costCeilingMonthly: -5 },
      } as never),
    );
    expect(problem.status).toBe(400);
    expect(problem.type).toBe(problemTypeUri('validation-failed'));
    expect(problem.errors?.map((error) => error.field).sort()).toEqual([
      'input.inputs.costCeilingMonthly',
      'input.inputs.target',
    ]);
    expect(problem.detail).toMatch(/cost ceiling cannot be negative/);
    engine.close();
  });

  it('rejects unknown fields rather than ignoring them', async () => {
    const engine = createEngine({ dataDir });
    const problem = await problemOf(
      engine.invoke('system.init', { operatorEmail: 'a@b.test', colour: 'blue' } as never),
    );
    expect(problem.detail).toMatch(/colour/);
    engine.close();
  });
});

describe('system operations', () => {
  it('init creates the database and is idempotent across processes', async () => {
    const firstEngine = createEngine({ dataDir });
    const first = await firstEngine.invoke('system.init', {});
    expect(first.created).toBe(true);
    expect(first.migrationsApplied.length).toBeGreaterThan(0);
    expect(await firstEngine.invoke('system.init', {})).toMatchObject({
      created: false,
      workspaceId: first.workspaceId,
    });
    firstEngine.close();
    const secondEngine = createEngine({ dataDir });
    const second = await secondEngine.invoke('system.init', {});
    expect(second).toMatchObject({
      created: false,
      workspaceId: first.workspaceId,
      migrationsApplied: [],
    });
    secondEngine.close();
  });

  it('the data dir comes from --data-dir, else PRODSPRINT_HOME', () => {
    expect(createEngine({ dataDir, env: { PRODSPRINT_HOME: '/elsewhere' } }).dataDir).toBe(dataDir);
    expect(createEngine({ env: { PRODSPRINT_HOME: '/elsewhere' } }).dataDir).toBe('/elsewhere');
  });

  it('lists which operations this build implements', async () => {
    const { operations: listed } = await createEngine({ dataDir }).invoke('system.operations', {});
    expect(listed.find((op) => op.name === 'system.init')?.implemented).toBe(true);
    expect(listed.filter((op) => op.implemented).length).toBe(Object.keys(handlers).length);
  });
});

describe('secrets never leave through an API error', () => {
  it('masks a registered secret inside a store error (a credential in a path)', async () => {
    const secret = 'deploy-token-7c1e55b2a9';
    const blocker = join(dataDir, 'not-a-dir');
    writeFileSync(blocker, '');
    const redactor = new Redactor();
    redactor.register(secret);
    const logged: string[] = [];
    const engine = createEngine({
      dataDir: join(blocker, secret),
      redactor,
      logger: createLogger({ redactor, write: (line) => logged.push(line) }),
    });
    const problem = await problemOf(engine.invoke('system.init', {}));
    expect(problem.type).toBe(problemTypeUri('data-dir-not-writable'));
    expect(JSON.stringify(problem)).not.toContain(secret);
    expect(problem.detail).toContain('[REDACTED]');
    expect(logged.join('\n')).not.toContain(secret);
  });

  it('masks credential shapes in an unexpected internal error and logs it redacted', async () => {
    const redactor = new Redactor();
    const logged: string[] = [];
    const engine = createEngine({
      dataDir,
      redactor,
      logger: createLogger({ redactor, write: (line) => logged.push(line) }),
    });
    const original = handlers['system.version'];
    handlers['system.version'] = async () => {
      throw new Error('upstream said: Authorization: Bearer abc.def.ghi-jkl-123456');
    };
    try {
      const problem = await problemOf(engine.invoke('system.version', {}));
      expect(problem.type).toBe(problemTypeUri('internal'));
      expect(problem.detail).not.toContain('abc.def.ghi-jkl-123456');
      expect(logged).toHaveLength(1);
      expect(logged[0]).not.toContain('abc.def.ghi-jkl-123456');
    } finally {
      handlers['system.version'] = original;
    }
  });
});

/** A minimal valid input per operation, so the not-implemented check is not a validation error. */
function validInputFor(name: string): unknown {
  const samples: Record<string, unknown> = {
    'projects.import': { source: '/srv/repo' },
    'blueprints.generate': { projectId: 'prj_1', inputs: { target: 'docker' } },
    'blueprints.get': { blueprintId: 'bp_1' },
    'pipelines.apply': {
      projectId: 'prj_1',
      blueprintId: 'bp_1',
      approval: { planHash: 'h', keyId: 'k', signature: 's' },
    },
    'readiness.get': { projectId: 'prj_1' },
    'releases.create': { projectId: 'prj_1', version: 'v2' },
    'releases.rollback': { releaseId: 'rel_1', reason: 'errors' },
    'dashboards.get': { projectId: 'prj_1' },
    'runs.get': { runId: 'run_1' },
    'runs.events': { runId: 'run_1' },
  };
  if (!(name in samples)) throw new Error(`add a sample input for ${name}`);
  return samples[name];
}
