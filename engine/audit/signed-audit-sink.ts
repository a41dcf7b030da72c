import type { Statement } from 'better-sqlite3';
import type { Redactor } from '../secrets/redact.ts';
import type { Db } from '../store/database.ts';
import type { AuditEvent, AuditSink } from './audit-sink.ts';
import {
  canonicalEntryText,
  canonicalMeta,
  entrySigningMessage,
  GENESIS_PREV_HASH,
  normaliseMeta,
  sha256Hex,
} from './entry.ts';
import { registerPublicKey, type AuditKeyRole } from './key-registry.ts';
import { signMessage, type AuditKeyPair } from './keys.ts';
import { prepared } from './statements.ts';

export interface SignedAuditSinkOptions {
  /** The key that signs entries whose actor names no key: this workstation's key. */
  signer: AuditKeyPair;
  /** Further keys an actor may name (operator keys loaded for this session). */
  extraSigners?: AuditKeyPair[];
  redactor: Redactor;
  /** Injected so tests and replays get deterministic timestamps. */
  clock?: () => Date;
}

interface Statements {
  head: Statement<[], { seq: number; entry_hash: string }>;
  insert: Statement<
    [number, string, string, string, string, string, string, string, string, string]
  >;
}

/**
 * The AuditSink of the product: every entry is redacted, hash-chained to the previous one and
 * signed with Ed25519 before it is inserted, inside the caller's transaction (invariant 2).
 *
 * The chain head is read from the database on every append rather than cached: a caller's
 * transaction may roll back, and another process may append, and either would leave a cached
 * head pointing at a row that is not the last.
 */
export class SignedAuditSink implements AuditSink {
  private signer: AuditKeyPair;
  private readonly signers = new Map<string, AuditKeyPair>();
  private readonly operatorKeyIds = new Set<string>();
  private readonly redactor: Redactor;
  private readonly clock: () => Date;
  private readonly statements = new WeakMap<Db, Statements>();
  private readonly registered = new WeakMap<Db, Set<string>>();

  constructor(options: SignedAuditSinkOptions) {
    this.signer = options.signer;
    this.redactor = options.redactor;
    this.clock = options.clock ?? (() => new Date());
    this.signers.set(options.signer.keyId, options.signer);
    for (const key of options.extraSigners ?? []) this.addSigner(key);
  }

  get keyId(): string {
    return this.signer.keyId;
  }

  /** Switches the default signer (after a rotation); the old key stays usable by id. */
  useSigner(key: AuditKeyPair): void {
    this.signer = key;
    this.signers.set(key.keyId, key);
  }

  /** The private key loaded for `keyId` (rotation needs the old key's). */
  signerKey(keyId: string): AuditKeyPair {
    const key = this.signers.get(keyId);
    if (!key) throw new Error(`audit: no private key loaded for key id ${keyId}`);
    return key;
  }

  /** Lets actors name an operator key (an approver signing in for this session). */
  addSigner(key: AuditKeyPair): void {
    this.signers.set(key.keyId, key);
    this.operatorKeyIds.add(key.keyId);
  }

  append(db: Db, event: AuditEvent): { seq: number; entryHash: string } {
    const run = () => this.appendInTransaction(db, event);
    // Inside the caller's transaction when there is one; otherwise our own, taken IMMEDIATE so
    // reading the head and inserting after it cannot interleave with another writer.
    return db.inTransaction ? run() : db.transaction(run).immediate();
  }

  private appendInTransaction(db: Db, event: AuditEvent): { seq: number; entryHash: string } {
    const signer = this.signerFor(event);
    validateEvent(event);
    const statements = this.statementsFor(db);
    this.ensureRegistered(
      db,
      signer,
      this.operatorKeyIds.has(signer.keyId) ? 'operator' : 'workstation',
      event.actor.user,
    );
    const head = statements.head.get();
    const metaText = canonicalMeta(normaliseMeta(this.redactor.redactValue(event.meta ?? {})));
    const entry = {
      seq: (head?.seq ?? 0) + 1,
      at: this.clock().toISOString(),
      user: event.actor.user,
      keyId: signer.keyId,
      action: event.action,
      target: event.target,
      metaText,
      prevHash: head?.entry_hash ?? GENESIS_PREV_HASH,
    };
    const entryHash = sha256Hex(canonicalEntryText(entry));
    const signature = signMessage(signer.privateKey, entrySigningMessage(entryHash));
    statements.insert.run(
      entry.seq,
      entry.at,
      entry.user,
      entry.keyId,
      entry.action,
      entry.target,
      metaText,
      entry.prevHash,
      entryHash,
      signature,
    );
    return { seq: entry.seq, entryHash };
  }

  private signerFor(event: AuditEvent): AuditKeyPair {
    if (!event.actor.keyId) return this.signer;
    const key = this.signers.get(event.actor.keyId);
    if (!key)
      throw new Error(
        `audit: no private key loaded for key id ${event.actor.keyId}; cannot sign for ${event.actor.user}`,
      );
    return key;
  }

  private statementsFor(db: Db): Statements {
    let statements = this.statements.get(db);
    if (!statements) {
      statements = {
        head: prepared(
          db,
          'SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1',
        ) as Statements['head'],
        insert: prepared(
          db,
          `INSERT INTO audit_log (seq, at, actor_user, actor_key_id, action, target, meta, prev_hash, entry_hash, signature)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ) as Statements['insert'],
      };
      this.statements.set(db, statements);
    }
    return statements;
  }

  /**
   * Makes sure the verifier will find the signing key. Remembered per connection only after
   * the row is certainly there, so a rolled-back registration is simply repeated.
   */
  private ensureRegistered(db: Db, key: AuditKeyPair, role: AuditKeyRole, owner: string): void {
    let known = this.registered.get(db);
    if (!known) this.registered.set(db, (known = new Set()));
    if (known.has(key.keyId)) return;
    const exists =
      prepared(db, 'SELECT 1 FROM audit_keys WHERE key_id = ?').get(key.keyId) !== undefined;
    if (!exists) {
      registerPublicKey(
        db,
        key.publicKey,
        role,
        role === 'workstation' ? 'workstation' : owner,
        this.clock().toISOString(),
      );
      return;
    }
    known.add(key.keyId);
  }
}

function validateEvent(event: AuditEvent): void {
  if (!event.actor.user) throw new TypeError('audit: actor.user is required');
  if (!/^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/i.test(event.action))
    throw new TypeError(`audit: action "${event.action}" is not a dotted verb`);
  if (!event.target) throw new TypeError('audit: target is required');
}
