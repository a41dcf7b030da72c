/**
 * The Docker network builds run on (issue 14): `prodsprint-build`, a user-defined bridge made
 * `internal`, so a RUN step reaches the bridge's gateway IP (where the package relay listens) and
 * nothing else, even on an engine that does NAT. Created when missing and kept: builds share it,
 * and removing it while another build runs would break that build.
 *
 * Verified on the engine ProdSprint starts (20.10, --iptables=false --bridge=none): a legacy
 * build with `networkmode` set to an internal bridge reaches a server bound to its gateway IP.
 */
import type Docker from 'dockerode';

export const BUILD_NETWORK = 'prodsprint-build';

export interface BuildNetwork {
  name: string;
  /** The bridge's IPv4 address on this host: where the relay listens. */
  gateway: string;
  /** The network's IPv4 subnet (CIDR): the only clients the relay serves. */
  subnet: string;
}

interface NetworkInfo {
  IPAM?: { Config?: Array<{ Subnet?: string; Gateway?: string }> };
}

/** Inspects the build network, creating it first when it is missing. */
export async function ensureBuildNetwork(
  docker: Docker,
  name: string = BUILD_NETWORK,
): Promise<BuildNetwork> {
  const existing = await inspect(docker, name);
  if (existing) return describe(name, existing);
  try {
    await docker.createNetwork({
      Name: name,
      Driver: 'bridge',
      Internal: true,
      CheckDuplicate: true,
      Labels: { 'prodsprint.role': 'build-network' },
    });
  } catch (error) {
    // Another process created it between our inspect and create: use theirs.
    if ((error as { statusCode?: number }).statusCode !== 409) throw error;
  }
  const created = await inspect(docker, name);
  if (!created) throw new Error(`the Docker network ${name} was created but cannot be inspected`);
  return describe(name, created);
}

async function inspect(docker: Docker, name: string): Promise<NetworkInfo | undefined> {
  try {
    return (await docker.getNetwork(name).inspect()) as NetworkInfo;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

function describe(name: string, info: NetworkInfo): BuildNetwork {
  const config = info.IPAM?.Config?.find((entry) => entry.Subnet && !entry.Subnet.includes(':'));
  if (!config?.Subnet) {
    throw new Error(
      `the Docker network ${name} has no IPv4 subnet: remove it (docker network rm ${name}) and ProdSprint will create it again`,
    );
  }
  // A network made with only --subnet lists no gateway: Docker gives it the subnet's first host.
  return { name, subnet: config.Subnet, gateway: config.Gateway ?? firstHost(config.Subnet) };
}

function toNumber(address: string): number | undefined {
  const parts = address.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

function fromNumber(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

function firstHost(subnet: string): string {
  const [base, bits] = subnet.split('/');
  const start = toNumber(base!)!;
  const size = 2 ** (32 - Number(bits));
  return fromNumber(start - (start % size) + 1);
}

/** Whether an IPv4 address (also as `::ffff:a.b.c.d`) lies in a CIDR subnet. */
export function inSubnet(address: string, subnet: string): boolean {
  const [base, bits] = subnet.split('/');
  const value = toNumber(address.replace(/^::ffff:/i, ''));
  const start = toNumber(base ?? '');
  if (value === undefined || start === undefined || bits === undefined) return false;
  const size = 2 ** (32 - Number(bits));
  return Math.floor(value / size) === Math.floor(start / size);
}
