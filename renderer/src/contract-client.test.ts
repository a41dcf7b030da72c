import { describe, expect, it } from 'vitest';
import { operationNames } from '../../engine/contract/operations.contract.ts';
import { ProblemError } from '../../engine/contract/problem.ts';
import { createContractClient, type RawBridge } from './contract-client.ts';

/** A bridge that answers every operation with what it was given, or a Problem for `projects.get`. */
const bridge = Object.fromEntries(
  operationNames.map((name) => [
    name,
    async (input: unknown) =>
      name === 'projects.list'
        ? {
            ok: false,
            error: {
              type: 'about:blank',
              title: 'Not found',
              status: 404,
              detail: 'no such project',
            },
          }
        : { ok: true, value: { echoed: input } },
  ]),
) as unknown as RawBridge;

describe('createContractClient', () => {
  it('can be awaited (it is not a thenable) and has exactly the contract operations', async () => {
    const client = await createContractClient(bridge);
    expect(Object.keys(client).sort()).toEqual([...operationNames].sort());
    expect('then' in client).toBe(false);
  });

  it('returns the value an operation answered and throws the Problem it carried', async () => {
    const client = createContractClient(bridge);
    const name = operationNames.find((n) => n !== 'projects.list')!;
    await expect((client[name] as (i: unknown) => Promise<unknown>)({ a: 1 })).resolves.toEqual({
      echoed: { a: 1 },
    });
    await expect(
      (client['projects.list'] as (i: unknown) => Promise<unknown>)({}),
    ).rejects.toBeInstanceOf(ProblemError);
  });
});
