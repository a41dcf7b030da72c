/**
 * All stack fixtures with their expected fingerprints, keyed by fixture name, plus helpers to
 * materialise them as real Git repositories (work tree + bare copy served over HTTP).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildRepo, publishBare } from '../fixtures/repos/build-repo.ts';
import type { FixtureTree } from '../fixtures/repos/build-repo.ts';
import * as goStacks from '../fixtures/repos/go-stacks.ts';
import * as jvmStacks from '../fixtures/repos/jvm-stacks.ts';
import * as monorepos from '../fixtures/repos/monorepos.ts';
import * as nodeStacks from '../fixtures/repos/node-stacks.ts';
import * as pythonStacks from '../fixtures/repos/python-stacks.ts';
import * as topology from '../fixtures/repos/topology.ts';
import * as wildPatterns from '../fixtures/repos/wild-patterns.ts';
import type { FingerprintView } from './describe-fingerprint.ts';
import { EXPECTED_GO } from './expected-go.ts';
import { EXPECTED_JVM } from './expected-jvm.ts';
import { EXPECTED_MONOREPOS } from './expected-monorepos.ts';
import { EXPECTED_NODE } from './expected-node.ts';
import { EXPECTED_PYTHON } from './expected-python.ts';
import { EXPECTED_TOPOLOGY } from './expected-topology.ts';
import { EXPECTED_WILD } from './expected-wild.ts';

export const STACK_FIXTURES: Record<string, FixtureTree> = {
  ...nodeStacks,
  ...pythonStacks,
  ...goStacks,
  ...jvmStacks,
  ...monorepos,
  ...wildPatterns,
  ...topology,
};

export const EXPECTED: Record<string, FingerprintView> = {
  ...EXPECTED_NODE,
  ...EXPECTED_PYTHON,
  ...EXPECTED_GO,
  ...EXPECTED_JVM,
  ...EXPECTED_MONOREPOS,
  ...EXPECTED_WILD,
  ...EXPECTED_TOPOLOGY,
};

/** Builds `tree` as `<root>/work/<name>` and serves it as `<root>/served/<name>.git`. */
export function materialise(
  root: string,
  name: string,
  tree: FixtureTree,
): { workdir: string; commit: string } {
  const workdir = join(root, 'work', name);
  mkdirSync(join(root, 'served'), { recursive: true });
  const commit = buildRepo(workdir, tree);
  publishBare(workdir, join(root, 'served'), name);
  return { workdir, commit };
}
