import { describe, expect, it } from 'vitest';
import { BlueprintInputs } from '../../api/blueprints.contract.ts';
import { ProblemError } from '../../api/problem.ts';
import { estimateCost, resolveRegion, type PriceCatalog, CATALOG_PATH } from './cost.ts';
import { loadTemplates } from './template-store.ts';

const store = await loadTemplates();
const catalog = store.data<PriceCatalog>(CATALOG_PATH);

describe('cost estimate', () => {
  it('prices from the dated catalog and compares with the ceiling', () => {
    const inputs = BlueprintInputs.parse({
      target: 'ecs',
      region: 'us-east-1',
      db: { engine: 'postgres', version: '16' },
      costCeilingMonthly: 100,
    });
    const cost = estimateCost(store, inputs, 'us-east-1', ['staging', 'prod'], 1);
    expect(cost).toMatchObject({
      catalogVersion: catalog.version,
      catalogDate: catalog.date,
      region: 'us-east-1',
      ceilingMonthly: 100,
    });
    expect(catalog.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const prices = catalog.targets.ecs!.regions['us-east-1']!;
    expect(cost.lines.find((l) => l.environment === 'prod' && l.item === 'db.prod')?.monthly).toBe(
      prices['db.prod'],
    );
    expect(cost.totalMonthly).toBeCloseTo(
      cost.lines.reduce((s, l) => s + l.monthly, 0),
      2,
    );
    expect(cost.withinCeiling).toBe(cost.totalMonthly <= 100);
    expect(cost.withinCeiling).toBe(false);
  });

  it('has a price list for every target the contract offers', () => {
    for (const target of [
      'kubernetes',
      'docker',
      'render',
      'vercel',
      'cloudrun',
      'gke',
      'ecs',
      'eks',
    ]) {
      expect(Object.keys(catalog.targets[target]?.regions ?? {}).length, target).toBeGreaterThan(0);
    }
  });

  it('defaults the region to the catalog’s first and refuses an unknown one', () => {
    expect(resolveRegion(catalog, BlueprintInputs.parse({ target: 'gke' }))).toBe(
      Object.keys(catalog.targets.gke!.regions)[0],
    );
    expect(() =>
      resolveRegion(catalog, BlueprintInputs.parse({ target: 'gke', region: 'us-east-1' })),
    ).toThrow(ProblemError);
  });
});
