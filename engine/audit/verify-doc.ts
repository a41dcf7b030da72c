import type { BundleManifest } from './bundle-format.ts';
import type { SignedTreeHead } from './tree-head.ts';

/**
 * VERIFY.md: how to check a bundle with standard tools (bash, sha256sum, openssl 3, jq) and
 * no ProdSprint. The ```bash blocks, run in order from the unpacked bundle, are the complete
 * procedure; a test runs exactly those blocks, so this text cannot drift from the format.
 */
export function verifyDoc(manifest: BundleManifest, head: SignedTreeHead): string {
  return `# Verifying this audit bundle

Exported ${manifest.createdAt} by the ProdSprint workstation whose key id (fingerprint) is

    ${manifest.signerKeyId}

It holds ${manifest.entryCount} audit entries of a log of ${head.treeSize}, signed tree head
root \`${head.rootHash}\`. Compare the fingerprint above with the one your organisation recorded
for that workstation **through another channel** before trusting anything below: the checks
prove the bundle is intact and was signed by that key, not that the key is the right one.

Unpack it (\`mkdir b && tar -xzf bundle.tar.gz -C b && cd b\`) and run the blocks below in
order in bash. Each stops with an error at the first thing wrong. Tools: bash, coreutils
(sha256sum, base64), OpenSSL 3 (Ed25519 with \`pkeyutl -rawin\`), jq.

## Formats

- **entries.jsonl** — one entry per line, ascending seq. Each line is exactly the RFC 8785
  (JCS) canonical JSON that was hashed: \`entry_hash = SHA-256(line without its newline)\`.
  \`prevHash\` is the entry_hash of the entry before; entry 1 has the genesis value, 64 zeros.
- **signatures.jsonl** — same order: \`{entryHash, seq, signature}\`; the signature is Ed25519
  (base64) over the ASCII text \`prodsprint.audit.entry.v1:<entryHash>\`, by the key
  \`actor.keyId\` of the entry.
- **keys/<keyId>.pem** — public keys (SPKI PEM). A key id is SHA-256 of the key's DER encoding.
- **tree-head.json** — signed tree head: Ed25519 (base64) by \`keyId\` over
  \`prodsprint.audit.tree-head.v1:<treeSize>:<rootHash>:<timestamp>\`. The root is the RFC 9162
  Merkle tree hash over all entries of the log; the leaf of entry \`seq\` is at index seq-1 and
  its leaf input is the 32 raw bytes of its entry hash, so
  \`leaf = SHA-256(0x00 || entry_hash)\` and \`node = SHA-256(0x01 || left || right)\`.
- **proofs.jsonl** — same order: RFC 9162 inclusion proof (\`path\`) of each entry in that tree.
- **consistency.json** (when present) — an earlier signed tree head and the RFC 9162
  consistency proof that the log then is a prefix of the log now.
- **artifacts/<sha256>** — files that entries refer to (\`meta.artifact.sha256\`,
  \`meta.artifacts[].sha256\`), named by their digest.
- **manifest.json** — what was selected (project, time range), the seqs included, keys and
  artifacts. Entries about keys (\`key.*\`) are always included.
- **SHA256SUMS** — sha256 of every other file; **SHA256SUMS.sig** — raw Ed25519 signature of
  SHA256SUMS by the exporting workstation.

## 1. Every file is intact and signed by the exporting workstation

\`\`\`bash
set -euo pipefail
work=$(mktemp -d)
SIGNER=$(jq -r .signerKeyId manifest.json)
# The key file is the key its name says it is ...
test "$(openssl pkey -pubin -in "keys/$SIGNER.pem" -outform DER | sha256sum | cut -d' ' -f1)" = "$SIGNER"
# ... it signed SHA256SUMS ...
openssl pkeyutl -verify -pubin -inkey "keys/$SIGNER.pem" -rawin -in SHA256SUMS -sigfile SHA256SUMS.sig
# ... every listed file has its digest, and no file is unlisted.
sha256sum --check --strict --quiet SHA256SUMS
find . -type f ! -name SHA256SUMS ! -name SHA256SUMS.sig | sed 's|^\\./||' | LC_ALL=C sort > "$work/files"
cut -c67- SHA256SUMS | LC_ALL=C sort | diff - "$work/files"
echo "1. files intact, SHA256SUMS signed by $SIGNER"
\`\`\`

## 2. Every key is the key its name says

\`\`\`bash
for f in keys/*.pem; do
  test "$(openssl pkey -pubin -in "$f" -outform DER | sha256sum | cut -d' ' -f1)" = "$(basename "$f" .pem)"
done
echo "2. keys match their fingerprints"
\`\`\`

## 3. Entry hashes and the chain

\`\`\`bash
while IFS= read -r line; do printf '%s' "$line" | sha256sum | cut -d' ' -f1; done < entries.jsonl > "$work/hashes"
jq -r .entryHash signatures.jsonl | diff - "$work/hashes"
# Where two entries are consecutive, the later one's prevHash is the earlier one's hash.
jq -r '[.seq, .prevHash] | @tsv' entries.jsonl | paste - "$work/hashes" |
  awk -F'\\t' '$1 == 1 && $2 != "${'0'.repeat(64)}" { print "seq 1 lacks the genesis prevHash"; exit 1 }
               NR > 1 && $1 == seq + 1 && $2 != h { print "chain broken at seq " $1; exit 1 }
               { seq = $1; h = $3 }'
echo "3. entry hashes and chain links hold"
\`\`\`

## 4. Entry signatures

Checks every entry (a few milliseconds each); to spot-check, loop over fewer line numbers.

\`\`\`bash
verify_entry() { # $1 = line number
  local line sig key
  line=$(sed -n "$1p" entries.jsonl)
  sig=$(sed -n "$1p" signatures.jsonl)
  key=$(printf '%s' "$line" | jq -r .actor.keyId)
  printf 'prodsprint.audit.entry.v1:%s' "$(sed -n "$1p" "$work/hashes")" > "$work/msg"
  printf '%s' "$sig" | jq -r .signature | base64 -d > "$work/sig"
  openssl pkeyutl -verify -pubin -inkey "keys/$key.pem" -rawin -in "$work/msg" -sigfile "$work/sig" > /dev/null
}
for i in $(seq 1 "$(wc -l < entries.jsonl)"); do verify_entry "$i" || { echo "bad signature on line $i"; exit 1; }; done
echo "4. entry signatures verify"
\`\`\`

## 5. The signed tree head

\`\`\`bash
TH_KEY=$(jq -r .keyId tree-head.json)
ROOT=$(jq -r .rootHash tree-head.json)
SIZE=$(jq -r .treeSize tree-head.json)
printf 'prodsprint.audit.tree-head.v1:%s:%s:%s' "$SIZE" "$ROOT" "$(jq -r .timestamp tree-head.json)" > "$work/th"
jq -r .signature tree-head.json | base64 -d > "$work/th.sig"
openssl pkeyutl -verify -pubin -inkey "keys/$TH_KEY.pem" -rawin -in "$work/th" -sigfile "$work/th.sig"
echo "5. tree head of $SIZE entries signed by $TH_KEY"
\`\`\`

## 6. Inclusion proofs (RFC 9162 §2.1.3.2)

\`\`\`bash
hex2bin() { printf "$(printf '%s' "$1" | sed 's/../\\\\x&/g')"; }
leaf_hash() { { printf '\\x00'; hex2bin "$1"; } | sha256sum | cut -d' ' -f1; }
node_hash() { { printf '\\x01'; hex2bin "$1"; hex2bin "$2"; } | sha256sum | cut -d' ' -f1; }
verify_inclusion() { # $1 = line number
  local proof fn sn r p
  proof=$(sed -n "$1p" proofs.jsonl)
  test "$(printf '%s' "$proof" | jq -r .treeSize)" = "$SIZE"
  test "$(printf '%s' "$proof" | jq -r .seq)" = "$(sed -n "$1p" entries.jsonl | jq -r .seq)"
  fn=$(printf '%s' "$proof" | jq -r .leafIndex)
  sn=$((SIZE - 1))
  r=$(leaf_hash "$(sed -n "$1p" "$work/hashes")")
  for p in $(printf '%s' "$proof" | jq -r '.path[]'); do
    test "$sn" -ne 0
    if [ $((fn % 2)) -eq 1 ] || [ "$fn" -eq "$sn" ]; then
      r=$(node_hash "$p" "$r")
      while [ $((fn % 2)) -eq 0 ] && [ "$fn" -ne 0 ]; do fn=$((fn / 2)); sn=$((sn / 2)); done
    else
      r=$(node_hash "$r" "$p")
    fi
    fn=$((fn / 2)); sn=$((sn / 2))
  done
  test "$sn" -eq 0 && test "$r" = "$ROOT"
}
for i in $(seq 1 "$(wc -l < entries.jsonl)"); do verify_inclusion "$i" || { echo "bad inclusion proof on line $i"; exit 1; }; done
echo "6. every entry is in the signed tree"
\`\`\`

## 7. Artifacts

\`\`\`bash
for f in artifacts/*; do
  [ -e "$f" ] || continue
  test "$(sha256sum < "$f" | cut -d' ' -f1)" = "$(basename "$f")"
  # ... and an entry refers to it:
  jq -se --arg d "$(basename "$f")" 'any(.[]; .meta.artifact.sha256? == $d or ([.meta.artifacts[]?.sha256?] | index($d) != null))' entries.jsonl > /dev/null
done
echo "7. artifacts match their digests and are referenced"
echo "ALL CHECKS PASSED"
\`\`\`

The ProdSprint verifier (\`prodsprint audit verify FILE\`) runs the same checks and more: it
recomputes the Merkle root when the bundle holds the whole log, checks the consistency proof,
checks that every key rotation (\`key.rotated\`) is signed by both the old and the new key and
that a rotated-out key signs nothing afterwards, checks operator approvals (\`meta.approval\`:
Ed25519 over \`prodsprint.approval.v1:<planHash>\`), and names the first bad entry or file.
`;
}

/** The bash blocks of a VERIFY.md, in order: the runnable procedure. */
export function verifyScript(markdown: string): string {
  return [...markdown.matchAll(/```bash\n([\s\S]*?)```/g)].map((match) => match[1]).join('\n');
}
