/**
 * Instruction flags as BuildKit reads them (`--name=value`, `--name` for booleans, repeated
 * `--mount`), and a RUN mount's comma-separated options (BuildKit parses them as one CSV
 * record). Single-pass scanners: the text is untrusted.
 */
export type Flags = Map<string, string[]>;

/** `['mount=type=cache,target=/x', 'link']` → `{ mount: ['type=cache,target=/x'], link: ['true'] }`. */
export function parseFlags(words: string[]): Flags {
  const flags: Flags = new Map();
  for (const word of words) {
    const eq = word.indexOf('=');
    const name = (eq < 0 ? word : word.slice(0, eq)).toLowerCase();
    const value = eq < 0 ? 'true' : word.slice(eq + 1);
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  return flags;
}

/** The last value of a flag (BuildKit keeps the last of a repeated single-value flag). */
export function flag(flags: Flags, name: string): string | undefined {
  return flags.get(name)?.at(-1);
}

/** One CSV record (`a=1,"b=x,y",c`) → its fields, quotes removed (`""` is a quote). */
export function csvFields(text: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

export type MountType = 'bind' | 'cache' | 'tmpfs' | 'secret' | 'ssh';

export interface Mount {
  type: MountType;
  from: string | undefined;
  source: string | undefined;
  target: string | undefined;
  readOnly: boolean;
  required: boolean;
  /** The option as written, for notes and errors. */
  text: string;
}

/** A `--mount` value as BuildKit's parseMount reads it; throws on what BuildKit rejects. */
export function parseMount(text: string): Mount {
  const mount: Mount = {
    type: 'bind',
    from: undefined,
    source: undefined,
    target: undefined,
    readOnly: true,
    required: false,
    text,
  };
  let readOnlySet = false;
  for (const field of csvFields(text)) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    const value = eq < 0 ? undefined : field.slice(eq + 1);
    if (key === 'type') {
      const type = (value ?? '').toLowerCase();
      if (!['bind', 'cache', 'tmpfs', 'secret', 'ssh'].includes(type))
        throw new Error(`unsupported mount type "${value}"`);
      mount.type = type as MountType;
    } else if (key === 'from') mount.from = value;
    else if (key === 'source' || key === 'src') mount.source = value;
    else if (key === 'target' || key === 'dst' || key === 'destination') mount.target = value;
    else if (key === 'readonly' || key === 'ro') {
      mount.readOnly = value === undefined || value === 'true' || value === '1';
      readOnlySet = true;
    } else if (key === 'readwrite' || key === 'rw') {
      mount.readOnly = !(value === undefined || value === 'true' || value === '1');
      readOnlySet = true;
    } else if (key === 'required') mount.required = value === undefined || value === 'true';
    else if (!['id', 'sharing', 'mode', 'uid', 'gid', 'size', 'env'].includes(key))
      throw new Error(`unexpected key '${key}' in '${field}'`);
  }
  if (!readOnlySet) mount.readOnly = mount.type !== 'cache' && mount.type !== 'tmpfs';
  return mount;
}
