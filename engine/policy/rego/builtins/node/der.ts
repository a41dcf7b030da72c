// Minimal DER reader: enough to split concatenated certificates and read the subject common
// name of a PKCS#10 certificate request (node:crypto has no CSR parser).
type TLV = { tag: number; start: number; end: number; next: number };

function tlv(b: Buffer, i: number): TLV {
  if (i + 2 > b.length) throw new Error('asn1: truncated');
  const tag = b[i]!;
  let len = b[i + 1]!;
  let start = i + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > b.length) throw new Error('asn1: bad length');
    len = 0;
    for (let k = 0; k < n; k++) len = len * 256 + b[start + k]!;
    start += n;
  }
  if (start + len > b.length) throw new Error('asn1: truncated');
  return { tag, start, end: start + len, next: start + len };
}

function children(b: Buffer, from: number, to: number): TLV[] {
  const out: TLV[] = [];
  for (let i = from; i < to;) {
    const t = tlv(b, i);
    out.push(t);
    i = t.next;
  }
  return out;
}

/** Split a buffer of concatenated DER values into its top-level values. */
export function derChildren(b: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < b.length;) {
    const t = tlv(b, i);
    out.push(b.subarray(i, t.end));
    i = t.next;
  }
  return out;
}

/** Common name of the subject of a PKCS#10 request, or undefined if it is not one. */
export function derSubjectCN(b: Buffer): string | undefined {
  try {
    const outer = tlv(b, 0);
    if (outer.tag !== 0x30) return undefined;
    const info = tlv(b, outer.start);
    if (info.tag !== 0x30) return undefined;
    const [version, subject] = children(b, info.start, info.end);
    if (!version || version.tag !== 0x02 || !subject || subject.tag !== 0x30) return undefined;
    for (const rdn of children(b, subject.start, subject.end)) {
      for (const atv of children(b, rdn.start, rdn.end)) {
        const [oid, value] = children(b, atv.start, atv.end);
        if (oid && value && b.subarray(oid.start, oid.end).equals(Buffer.from([0x55, 0x04, 0x03])))
          return b.subarray(value.start, value.end).toString('utf8');
      }
    }
    return '';
  } catch {
    return undefined;
  }
}
