/**
 * The package relay (issue 14): how package managers inside a `docker build` reach the team's
 * mirrors without the build ever holding a credential. ProdSprint listens on the gateway IP of
 * the build network (build-network.ts), one port per configured mirror, and forwards to the
 * mirror with its Authorization header (mirror-proxy.ts). The build gets relay URLs as build
 * args (relay-build-args.ts); `docker history` and the layers therefore show only
 * `http://<gateway>:<port>/`, and the relay's request lines pass through the redactor.
 *
 * The caller builds with dockerode `buildImage({ version: '1', networkmode: network, buildargs })`
 * while the relay runs, then stops it. The network is kept for the next build.
 */
import type Docker from 'dockerode';
import type { Redactor } from '../../secrets/redact.ts';
import { ensureBuildNetwork, inSubnet } from './build-network.ts';
import { LocalEnvironmentError } from './errors.ts';
import { mirrorMapping } from './mirror-rewrite.ts';
import { startMirrorProxy, type MirrorProxy } from './mirror-proxy.ts';
import { PACKAGE_ECOSYSTEMS, type PackageEcosystem } from './offline-settings.ts';
import { relayBuildArgs } from './relay-build-args.ts';

export interface RelayMirror {
  /** The mirror's URL (as configured: mirrors.<ecosystem>). */
  url: string;
  /** `Bearer …` or `Basic …` (resolveMirrorCredential); sent upstream only. */
  authorization?: string;
}

export interface StartPackageRelayOptions {
  docker: Docker;
  mirrors: Partial<Record<PackageEcosystem, RelayMirror>>;
  redactor: Redactor;
  /** One redacted line per proxied request: ecosystem, method, path, status, bytes. */
  onRequest?(line: string): void;
  /** The network to build on; `prodsprint-build` unless told (tests may use their own). */
  network?: string;
}

export interface PackageRelay {
  /** The Docker network builds must use (`networkmode`). */
  network: string;
  /** Where the relay listens on this host (the network's gateway IP). */
  gateway: string;
  /** Relay URLs only, never credentials. */
  buildArgs: Record<string, string>;
  /** The URL each package manager is given, per configured mirror. */
  urls: Partial<Record<PackageEcosystem, string>>;
  /** What was set and what is left to the caller (Maven), one line each. */
  notes: string[];
  stop(): Promise<void>;
}

/** Starts one relay port per configured mirror on the build network's gateway. */
export async function startPackageRelay(options: StartPackageRelayOptions): Promise<PackageRelay> {
  const network = await ensureBuildNetwork(options.docker, options.network);
  const proxies: MirrorProxy[] = [];
  const urls: Partial<Record<PackageEcosystem, string>> = {};
  const stop = async () => {
    await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  };
  try {
    for (const ecosystem of PACKAGE_ECOSYSTEMS) {
      const mirror = options.mirrors[ecosystem];
      if (!mirror) continue;
      const mapping = mirrorMapping(ecosystem, mirror.url);
      const proxy = await startMirrorProxy({
        ecosystem,
        mapping,
        ...(mirror.authorization ? { authorization: mirror.authorization } : {}),
        host: network.gateway,
        allowClient: (address) => inSubnet(address, network.subnet),
        redactor: options.redactor,
        ...(options.onRequest ? { onRequest: options.onRequest } : {}),
      });
      proxies.push(proxy);
      urls[ecosystem] = `${proxy.origin}${mapping.entryPath}`;
    }
  } catch (error) {
    await stop();
    throw new LocalEnvironmentError(
      `the package relay cannot listen on ${network.gateway} (the gateway of the Docker network ${network.name}): ${(error as Error).message}`,
      `remove the network with \`docker network rm ${network.name}\` when no build runs; the next build creates it again`,
    );
  }
  const { buildArgs, notes } = relayBuildArgs(urls, network.gateway);
  return { network: network.name, gateway: network.gateway, buildArgs, urls, notes, stop };
}
