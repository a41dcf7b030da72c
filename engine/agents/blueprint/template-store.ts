/**
 * Loads templates/ once per plan. Templates are data (ARCHITECTURE.md): the agent picks one by
 * its path (without the `.tmpl` suffix) and fills it; a missing template is a packaging bug and
 * says which file it wanted.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { renderTemplate, type TemplateScope } from './template-engine.ts';

/** The product's own templates directory. */
export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../../../templates/', import.meta.url));

/** The templates directory, read into memory: lookups and rendering never touch the disk. */
export class TemplateStore {
  readonly dir: string;
  private readonly files: ReadonlyMap<string, string>;

  constructor(dir: string, files: ReadonlyMap<string, string>) {
    this.dir = dir;
    this.files = files;
  }

  /** Raw text of one template, by its path under templates/. */
  text(path: string): string {
    const text = this.files.get(path);
    if (text === undefined) throw new Error(`template ${path} is missing from ${this.dir}`);
    return text;
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  /** Paths under a folder, sorted, so callers iterate in a stable order. */
  list(folder: string): string[] {
    const prefix = folder.endsWith('/') ? folder : `${folder}/`;
    return [...this.files.keys()].filter((p) => p.startsWith(prefix)).sort();
  }

  render(path: string, scope: TemplateScope): string {
    try {
      return renderTemplate(this.text(path), scope, (partial) => this.text(partial));
    } catch (error) {
      throw new Error(`${path}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** A data file (JSON or YAML) under templates/. */
  data<T>(path: string): T {
    const text = this.text(path);
    return (path.endsWith('.json') ? JSON.parse(text) : parseYaml(text)) as T;
  }
}

const cache = new Map<string, Promise<TemplateStore>>();

async function walk(root: string, dir: string, into: Map<string, string>): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await walk(root, full, into);
    else if (entry.isFile()) {
      // `.tmpl` keeps formatters and linters off files that are not yet valid YAML/JSON/JS.
      const key = relative(root, full)
        .split(sep)
        .join('/')
        .replace(/\.tmpl$/, '');
      into.set(key, await readFile(full, 'utf8'));
    }
  }
}

/** Templates of `dir`, read once per process: they ship with the product and do not change. */
export function loadTemplates(dir: string = DEFAULT_TEMPLATES_DIR): Promise<TemplateStore> {
  let store = cache.get(dir);
  if (!store) {
    store = (async () => {
      const files = new Map<string, string>();
      await walk(dir, dir, files);
      return new TemplateStore(dir, files);
    })();
    cache.set(dir, store);
    store.catch(() => cache.delete(dir));
  }
  return store;
}
