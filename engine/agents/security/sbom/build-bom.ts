/**
 * Turns parsed lockfiles into a CycloneDX 1.6 JSON SBOM with @cyclonedx/cyclonedx-library, and
 * validates it against the CycloneDX schema with the library's own validator. Output is
 * deterministic (invariant 7): components and edges sorted, no serial number, and a timestamp
 * only when the caller injects one.
 * https://cyclonedx.org/docs/1.6/json/
 */
import * as CDX from '@cyclonedx/cyclonedx-library';
import type { CollectedLockfile } from './collect-lockfiles.ts';
import type { LockedPackage } from './locked-package.ts';
import { uniqueSorted } from './locked-package.ts';

const SPEC = CDX.Spec.Spec1dot6;
const ROOT_REF = 'root';

export interface BomInput {
  project: { name: string; version?: string };
  lockfiles: CollectedLockfile[];
  /** ISO time for metadata.timestamp; left out when absent so output is reproducible. */
  timestamp?: string;
  tool?: { name: string; version: string };
}

interface Merged {
  pkg: LockedPackage;
  lockfiles: Set<string>;
}

/** Builds the SBOM model: one component per purl, merged across lockfiles. */
export function buildBom(input: BomInput): CDX.Models.Bom {
  const merged = mergePackages(input.lockfiles);
  const bom = new CDX.Models.Bom();
  const root = new CDX.Models.Component(CDX.Enums.ComponentType.Application, input.project.name, {
    bomRef: ROOT_REF,
    ...(input.project.version ? { version: input.project.version } : {}),
  });
  bom.metadata.component = root;
  if (input.timestamp) bom.metadata.timestamp = new Date(input.timestamp);
  if (input.tool) {
    bom.metadata.tools.components.add(
      new CDX.Models.Component(CDX.Enums.ComponentType.Application, input.tool.name, {
        version: input.tool.version,
      }),
    );
  }
  const components = new Map<string, CDX.Models.Component>();
  for (const { pkg, lockfiles } of merged.values()) {
    const component = new CDX.Models.Component(CDX.Enums.ComponentType.Library, pkg.name, {
      bomRef: pkg.purl,
      version: pkg.version,
      purl: pkg.purl,
      ...(pkg.namespace && pkg.type !== 'golang' ? { group: pkg.namespace } : {}),
      ...(pkg.dev ? { scope: CDX.Enums.ComponentScope.Optional } : {}),
    });
    if (pkg.type === 'golang')
      component.name = pkg.namespace ? `${pkg.namespace}/${pkg.name}` : pkg.name;
    for (const hash of pkg.hashes)
      component.hashes.set(hash.alg as CDX.Enums.HashAlgorithm, hash.content);
    for (const path of [...lockfiles].sort()) {
      component.properties.add(new CDX.Models.Property('prodsprint:lockfile', path));
    }
    components.set(pkg.purl, component);
    bom.components.add(component);
  }
  for (const { pkg } of merged.values()) {
    const component = components.get(pkg.purl)!;
    for (const target of pkg.dependsOn) {
      const dependency = components.get(target);
      if (dependency && dependency !== component) component.dependencies.add(dependency.bomRef);
    }
  }
  // A lockfile that names its own project (a pom) gets an application component between the
  // root and its direct dependencies, so multi-module repositories keep their shape.
  for (const { parsed } of input.lockfiles) {
    if (!parsed.project) continue;
    const project = parsed.project;
    let component = components.get(project.purl);
    if (!component) {
      component = new CDX.Models.Component(CDX.Enums.ComponentType.Application, project.name, {
        bomRef: project.purl,
        version: project.version,
        purl: project.purl,
        ...(project.namespace ? { group: project.namespace } : {}),
      });
      components.set(project.purl, component);
      bom.components.add(component);
    }
    for (const purl of parsed.direct) {
      const dependency = components.get(purl);
      if (dependency) component.dependencies.add(dependency.bomRef);
    }
  }
  for (const purl of directOf(input.lockfiles)) {
    const dependency = components.get(purl);
    if (dependency) root.dependencies.add(dependency.bomRef);
  }
  return bom;
}

/** Serialises with sorted lists, 2-space indented, as CycloneDX 1.6 JSON. */
export function serializeBom(bom: CDX.Models.Bom): string {
  const serializer = new CDX.Serialize.JsonSerializer(
    new CDX.Serialize.JSON.Normalize.Factory(SPEC),
  );
  return `${serializer.serialize(bom, { sortLists: true, space: 2 })}\n`;
}

/**
 * Validates against the CycloneDX 1.6 JSON schema; throws with the schema errors when invalid
 * (an SBOM that does not validate must not reach a gate as if it were fine).
 */
export async function validateBomJson(json: string): Promise<void> {
  // Compiling the schema takes ~0.3 s; one validator serves every SBOM of this process.
  validator ??= new CDX.Validation.JsonStrictValidator(SPEC.version);
  const errors = await validator.validate(json);
  if (errors !== null) {
    throw new Error(
      `SBOM does not validate against CycloneDX ${SPEC.version}: ${JSON.stringify(errors).slice(0, 2000)}`,
    );
  }
}

let validator: CDX.Validation.JsonStrictValidator | undefined;

/** Builds, serialises and validates in one step. */
export async function renderSbom(input: BomInput): Promise<string> {
  const json = serializeBom(buildBom(input));
  await validateBomJson(json);
  return json;
}

function mergePackages(lockfiles: CollectedLockfile[]): Map<string, Merged> {
  const merged = new Map<string, Merged>();
  for (const { path, parsed } of lockfiles) {
    for (const pkg of parsed.packages) {
      const existing = merged.get(pkg.purl);
      if (!existing) {
        merged.set(pkg.purl, {
          pkg: { ...pkg, hashes: [...pkg.hashes] },
          lockfiles: new Set([path]),
        });
        continue;
      }
      existing.lockfiles.add(path);
      existing.pkg.dependsOn = uniqueSorted([...existing.pkg.dependsOn, ...pkg.dependsOn]);
      existing.pkg.dev &&= pkg.dev;
      for (const hash of pkg.hashes) {
        if (!existing.pkg.hashes.some((known) => known.alg === hash.alg))
          existing.pkg.hashes.push(hash);
      }
    }
  }
  return merged;
}

/**
 * The root's edges: what lockfiles name as direct. A lockfile that cannot say (poetry.lock,
 * yarn v1 without its package.json) contributes the packages nothing else depends on.
 */
function directOf(lockfiles: CollectedLockfile[]): string[] {
  const out: string[] = [];
  for (const { parsed } of lockfiles) {
    if (parsed.project) {
      out.push(parsed.project.purl);
      continue;
    }
    if (parsed.direct.length > 0) {
      out.push(...parsed.direct);
      continue;
    }
    const depended = new Set(parsed.packages.flatMap((pkg) => pkg.dependsOn));
    out.push(...parsed.packages.filter((pkg) => !depended.has(pkg.purl)).map((pkg) => pkg.purl));
  }
  return uniqueSorted(out);
}
