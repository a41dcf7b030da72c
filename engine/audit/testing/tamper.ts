import { readTarGz, writeTarGz } from '../ustar.ts';

/** The members of an archive, to edit and pack again (tests only). */
export function unpack(archive: Buffer): Map<string, Buffer> {
  return new Map(readTarGz(archive));
}

export function repack(files: Map<string, Buffer>): Buffer {
  return writeTarGz(
    [...files].map(([path, data]) => ({ path, data })),
    0,
  );
}

/** Applies `edit` to the lines of a JSONL member (1-based line numbers in `edit`'s view). */
export function editLines(
  files: Map<string, Buffer>,
  name: string,
  edit: (lines: string[]) => void,
): void {
  const lines = files.get(name)!.toString('utf8').slice(0, -1).split('\n');
  edit(lines);
  files.set(name, Buffer.from(lines.length ? `${lines.join('\n')}\n` : '', 'utf8'));
}

/** A small deterministic PRNG (mulberry32), so a failing mutation can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
