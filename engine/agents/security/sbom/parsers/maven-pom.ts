/**
 * Maven pom.xml: the `<dependencies>` the project declares with a version, either written on
 * the dependency or managed in the same pom's `<dependencyManagement>`; `${property}` values
 * are resolved from `<properties>` and the project's own coordinates. Versions that need a
 * parent pom or a repository (ranges, unresolved properties) are left out rather than guessed.
 * Maven's XML is regular enough for tag extraction; no entity or DTD processing is done.
 * https://maven.apache.org/pom.html#Dependencies
 */
import { lockedPackage, uniqueSorted } from '../locked-package.ts';
import type { LockedPackage, ParsedLockfile } from '../locked-package.ts';

interface Coordinates {
  groupId?: string;
  artifactId?: string;
  version?: string;
  scope?: string;
}

export function parseMavenPom(text: string): ParsedLockfile {
  const xml = text.replace(/<!--[\s\S]*?-->/g, '');
  const project = /<project\b[^>]*>([\s\S]*)<\/project>/.exec(xml)?.[1];
  if (project === undefined) throw new Error('not a Maven pom: no <project> element');
  const parent = childBlock(project, 'parent') ?? '';
  const managementBlock = childBlock(project, 'dependencyManagement') ?? '';
  // Only the project's own level: nested blocks have groupId/version elements of their own.
  const ownLevel = removeBlocks(project, [
    'parent',
    'dependencyManagement',
    'build',
    'profiles',
    'reporting',
    'dependencies',
  ]);
  const self: Coordinates = {
    groupId: textOf(ownLevel, 'groupId') ?? textOf(parent, 'groupId'),
    artifactId: textOf(ownLevel, 'artifactId'),
    version: textOf(ownLevel, 'version') ?? textOf(parent, 'version'),
  };
  const properties = new Map<string, string>();
  for (const match of (childBlock(project, 'properties') ?? '').matchAll(
    /<([\w.-]+)>([^<]*)<\/\1>/g,
  )) {
    properties.set(match[1]!, match[2]!.trim());
  }
  for (const key of ['groupId', 'artifactId', 'version'] as const) {
    if (self[key]) properties.set(`project.${key}`, self[key]);
    if (self[key]) properties.set(`pom.${key}`, self[key]);
  }
  const interpolate = (value: string | undefined): string | undefined => {
    let out = value;
    for (let pass = 0; out?.includes('${') && pass < 5; pass += 1) {
      out = out.replace(/\$\{([^}]+)\}/g, (whole, key: string) => properties.get(key) ?? whole);
    }
    return out;
  };
  const managed = new Map<string, string>();
  for (const dep of dependencyList(childBlock(managementBlock, 'dependencies') ?? '')) {
    const version = interpolate(dep.version);
    if (dep.groupId && dep.artifactId && version)
      managed.set(`${interpolate(dep.groupId)}:${dep.artifactId}`, version);
  }
  const packages = new Map<string, LockedPackage>();
  for (const dep of dependencyList(
    childBlock(
      removeBlocks(project, ['dependencyManagement', 'build', 'profiles']),
      'dependencies',
    ) ?? '',
  )) {
    const groupId = interpolate(dep.groupId);
    const artifactId = interpolate(dep.artifactId);
    const version = interpolate(dep.version) ?? managed.get(`${groupId}:${artifactId}`);
    if (!groupId || !artifactId || !version || /[$[\](),]/.test(version)) continue;
    const pkg = lockedPackage('maven', groupId, artifactId, version, { dev: dep.scope === 'test' });
    packages.set(pkg.purl, pkg);
  }
  const direct = uniqueSorted(packages.keys());
  const own =
    self.groupId && self.artifactId && self.version && !self.version.includes('${')
      ? lockedPackage('maven', self.groupId, self.artifactId, self.version, { dependsOn: direct })
      : undefined;
  return {
    format: 'maven-pom',
    packages: [...packages.values()],
    direct,
    ...(own ? { project: own } : {}),
  };
}

function dependencyList(block: string): Coordinates[] {
  return [...block.matchAll(/<dependency>([\s\S]*?)<\/dependency>/g)].map((match) => {
    const body = removeBlocks(match[1]!, ['exclusions']);
    return {
      groupId: textOf(body, 'groupId'),
      artifactId: textOf(body, 'artifactId'),
      version: textOf(body, 'version'),
      scope: textOf(body, 'scope'),
    };
  });
}

function childBlock(xml: string, tag: string): string | undefined {
  return new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml)?.[1];
}

function removeBlocks(xml: string, tags: string[]): string {
  return tags.reduce(
    (out, tag) => out.replace(new RegExp(`<${tag}>[\\s\\S]*?</${tag}>`, 'g'), ''),
    xml,
  );
}

function textOf(xml: string, tag: string): string | undefined {
  const value = new RegExp(`<${tag}>\\s*([^<]*?)\\s*</${tag}>`).exec(xml)?.[1];
  return value === undefined || value === '' ? undefined : decodeEntities(value);
}

function decodeEntities(value: string): string {
  return value
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
