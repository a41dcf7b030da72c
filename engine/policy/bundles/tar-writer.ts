import { gzipSync } from 'node:zlib';
import type { BundleFiles } from './files.ts';

/**
 * Writes a bundle as `opa build -b` does: gzip'd ustar, members named with a leading `/`
 * (what OPA's own reader expects), sorted, mtime 0 so output is byte-stable (invariant 7).
 */
export function writeBundleTarGz(files: BundleFiles): Buffer {
  const names = [...files.keys()].sort();
  return gzipSync(
    Buffer.concat([...names.map((n) => tarEntry(`/${n}`, files.get(n)!)), Buffer.alloc(1024)]),
  );
}

/** One ustar member (header + padded data); `type` other than '0' is for refusal tests. */
export function tarEntry(name: string, data: Buffer, type = '0', linkName = ''): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100, 'latin1');
  header.write('0000000\0', 108, 'latin1');
  header.write('0000000\0', 116, 'latin1');
  header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  header.write('00000000000\0', 136, 'latin1');
  header.write('        ', 148, 'latin1');
  header.write(type, 156, 'latin1');
  header.write(linkName, 157, 100, 'utf8');
  header.write('ustar\0', 257, 'latin1');
  header.write('00', 263, 'latin1');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  const pad = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([header, data, pad]);
}
