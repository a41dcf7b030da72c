/**
 * config.list|get|set|unset: the settings of issue 14 (registry and package mirrors). A change is
 * written with its audit entry in one transaction (invariant 2); the entry carries the old and
 * new values, which are URLs and `env:NAME` references only (a URL with a credential is refused
 * by the contract before it gets here).
 */
import {
  SETTING_KEYS,
  SETTINGS,
  type MirrorSetting,
  type SettingInfo,
  type SettingKey,
} from '../../contract/config.contract.ts';
import type { HandlerContext } from '../handler-context.ts';
import type { HandlerTable } from '../handlers.ts';
import type { Db } from '../../store/database.ts';
import { deleteSetting, readSetting, writeSetting } from '../../store/repositories/settings.ts';
import { localIdentity } from './local-identity.ts';

function info(db: Db, key: SettingKey): SettingInfo {
  const stored = readSetting(db, key, SETTINGS[key].schema);
  return {
    key,
    description: SETTINGS[key].description,
    example: SETTINGS[key].example,
    value: stored?.value ?? null,
    updatedAt: stored?.updatedAt ?? null,
  };
}

/**
 * The value being replaced, for the audit entry. A row edited outside the app that no longer
 * parses must not stop the user from fixing it with `set` or `unset`: it is recorded as unreadable.
 */
function previousOf(db: Db, key: SettingKey): MirrorSetting | null | 'unreadable' {
  try {
    return readSetting(db, key, SETTINGS[key].schema)?.value ?? null;
  } catch {
    return 'unreadable';
  }
}

/** What to check after a set that cannot be checked by the contract. */
function warningsFor(value: MirrorSetting, ctx: HandlerContext): string[] {
  if (!value.credentialRef) return [];
  const name = value.credentialRef.slice('env:'.length);
  return ctx.env[name]
    ? []
    : [
        `${name} is not set in this process's environment: set it wherever sprints run (the CLI, or the environment of \`prodsprint serve\`)`,
      ];
}

export const configHandlers: HandlerTable = {
  'config.list': async (_input, ctx) => {
    const { db } = ctx.store();
    return { settings: SETTING_KEYS.map((key) => info(db, key)) };
  },

  'config.get': async (input, ctx) => info(ctx.store().db, input.key),

  'config.set': async (input, ctx) => {
    const { db } = ctx.store();
    const { sink } = ctx.audit();
    const identity = localIdentity(db);
    const schema = SETTINGS[input.key].schema;
    // The contract has validated the value against this key's schema already.
    const value = schema.parse(input.value);
    return db.transaction(() => {
      const previous = previousOf(db, input.key);
      const stored = writeSetting(db, input.key, schema, value, identity.userId);
      sink.append(db, {
        actor: { user: identity.userId },
        action: 'config.set',
        target: `setting:${input.key}`,
        meta: { key: input.key, old: previous, new: stored.value },
      });
      return {
        ...info(db, input.key),
        value: stored.value,
        updatedAt: stored.updatedAt,
        previous: previous === 'unreadable' ? null : previous,
        warnings: warningsFor(stored.value, ctx),
      };
    })();
  },

  'config.unset': async (input, ctx) => {
    const { db } = ctx.store();
    const { sink } = ctx.audit();
    const identity = localIdentity(db);
    return db.transaction(() => {
      const previous = previousOf(db, input.key);
      const removed = deleteSetting(db, input.key);
      // Unsetting what was not set changes nothing, so it leaves no entry.
      if (removed) {
        sink.append(db, {
          actor: { user: identity.userId },
          action: 'config.unset',
          target: `setting:${input.key}`,
          meta: { key: input.key, old: previous, new: null },
        });
      }
      return {
        key: input.key,
        removed,
        previous: previous === 'unreadable' ? null : previous,
      };
    })();
  },
};
