/**
 * What a stand-in family is: it recognises the references it can stand in for
 * (`node:18-slim`, `node:lts-alpine`…) and says what this machine can offer for one — a root
 * file system made of host packages and files, what it really is, and how it differs from the
 * requested image — or why it cannot.
 */
import type { DpkgDatabase } from '../debian-packages.ts';
import type { RootFlavor } from '../debian-root.ts';
import type { ImageReference } from '../image-reference.ts';

/** One root file system; every reference it serves shares it (and its image layer). */
export interface StandInContent {
  /** Readable key of the content, e.g. `node-20.19.2`; shown in progress lines. */
  key: string;
  flavor: RootFlavor;
  /** Debian packages on top of the flavor's base set (their dependencies come along). */
  packages: string[];
  /** Inputs besides the packages: versions, stamps of copied host files, the family's code. */
  hashInputs: Array<string | Buffer>;
  /** Dockerfile-style image settings for `docker import` (ENV, CMD, USER, EXPOSE…). */
  changes: string[];
  /** Settings `docker import` cannot set (it refuses STOPSIGNAL), applied to the image config. */
  stopSignal?: string;
  /** What it really is: `Node 20.19.2, npm 10.9.9, yarn 1.22.22 on Debian 12`. */
  actual: string;
  /** Adds the family's own files to the assembled root. */
  customize?(root: string): void | Promise<void>;
}

export interface StandInOffer {
  content: StandInContent;
  /** Every way the stand-in differs from what was asked for, one sentence each. */
  warnings: string[];
  /** The OS variant differs (alpine, Ubuntu, another Debian release, Amazon Linux…). */
  variantChanged: boolean;
  /** Package managers the requested image has and the stand-in lacks (`apk` for alpine). */
  missingPackageManagers: string[];
  /** The default command of this reference's image when it differs from the content's. */
  cmd?: string[];
}

export type StandInAnswer =
  | { available: true; family: string; offer: StandInOffer }
  | { available: false; family?: string; reason: string };

/** What the families may look at on this machine. */
export interface HostContext {
  database: DpkgDatabase;
  /** ProdSprint's data dir: `<dataDir>/runtimes/node/*` holds imported Node runtimes. */
  dataDir?: string;
}

export interface StandInFamily {
  /** `node`, `python`, `debian`, … */
  name: string;
  /** References people write that this family serves (for the catalog). */
  examples: string[];
  /** What stands in, in words (for the catalog). */
  describe(context: HostContext): Promise<string> | string;
  matches(ref: ImageReference): boolean;
  offer(ref: ImageReference, context: HostContext): Promise<StandInAnswer>;
}
