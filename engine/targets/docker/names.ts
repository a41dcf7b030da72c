/**
 * Names and labels of what the docker target creates. Derived only from project, environment,
 * version and replica, so a repeated deploy finds what an earlier (maybe crashed) one made, and
 * labels mark ownership so teardown never touches anything else.
 */
import { createHash } from 'node:crypto';
import type { DeploySpec } from '../target.ts';

export const LABELS = {
  managed: 'prodsprint.managed',
  project: 'prodsprint.project',
  environment: 'prodsprint.environment',
  version: 'prodsprint.version',
  replica: 'prodsprint.replica',
  specHash: 'prodsprint.spec-hash',
} as const;

export interface Scope {
  project: string;
  environment: string;
}

/** Lowercase letters, digits and dashes: valid in container names and HAProxy server names. */
export function slug(value: string): string {
  const cleaned = value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (cleaned === '') throw new Error(`cannot derive a name from ${JSON.stringify(value)}`);
  // Different inputs that clean to the same text ("v1.0" and "v1-0") must not share a name.
  return cleaned === value ? cleaned : `${cleaned}-${shortHash(value)}`;
}

export function containerName(scope: Scope, version: string, replica: number): string {
  return `ps-${slug(scope.project)}-${slug(scope.environment)}-${slug(version)}-${replica}`;
}

/** Router server name of one instance; unique within the scope's backend. */
export function serverName(version: string, replica: number): string {
  return `${slug(version)}_${replica}`;
}

export function scopeLabels(scope: Scope): Record<string, string> {
  return {
    [LABELS.managed]: 'true',
    [LABELS.project]: scope.project,
    [LABELS.environment]: scope.environment,
  };
}

/** Docker list filter matching everything of the scope (optionally one version). */
export function scopeFilter(scope: Scope, version?: string): string {
  const labels = Object.entries(scopeLabels(scope)).map(([key, value]) => `${key}=${value}`);
  if (version !== undefined) labels.push(`${LABELS.version}=${version}`);
  return JSON.stringify({ label: labels });
}

/** Hash of what makes a version's set: a second deploy with another hash is a conflict. */
export function specHash(spec: DeploySpec, port: number): string {
  const env = Object.entries(spec.env ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return shortHash(JSON.stringify([spec.image, env, spec.replicas ?? 1, port]));
}

function shortHash(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 12);
}
