/**
 * `local/python:base`: the host's /usr/bin/python3, the libraries `ldd` lists for it and for
 * every extension module copied, the standard library (without its test suite, Tk, IDLE and
 * the static library) and only the Debian dist-packages a FastAPI service and its pytest suite
 * import, as computed by python-closure.py on this host. No shell, no pip.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BaseImageInputMissingError } from './missing-input.ts';
import { copyIn, makeRoot, sha256, sharedLibraries } from './rootfs.ts';
import type { RootSpec } from './spec.ts';

const PYTHON = '/usr/bin/python3';
const PROBE = fileURLToPath(new URL('./python-closure.py', import.meta.url));
/** Parts of the standard library no service runs (tens of MB with the static library). */
const STDLIB_SKIP = new Set([
  'test',
  'idlelib',
  'tkinter',
  'turtledemo',
  'ensurepip',
  'lib2to3',
  'pydoc_data',
  '__pycache__',
]);

interface Closure {
  version: string;
  executable: string;
  stdlib: string;
  sitePackages: string;
  entries: string[];
}

export async function pythonRootSpec(): Promise<RootSpec> {
  const closure = await probe();
  const stdlibSo = listFiles(join(closure.stdlib, 'lib-dynload')).filter(isExtension);
  const packageSo = closure.entries.flatMap((entry) =>
    listFiles(join(closure.sitePackages, entry)).filter(isExtension),
  );
  const libraries = await sharedLibraries([closure.executable, ...stdlibSo, ...packageSo]);
  const hash = sha256(
    readFileSync(fileURLToPath(import.meta.url)),
    readFileSync(fileURLToPath(new URL('./rootfs.ts', import.meta.url))),
    readFileSync(PROBE),
    JSON.stringify(closure),
    ...libraries,
  );
  return {
    image: 'local/python:base',
    hash,
    changes: [
      'ENTRYPOINT ["/usr/bin/python3"]',
      'WORKDIR /app',
      'ENV PATH=/usr/local/bin:/usr/bin:/bin',
      'ENV LANG=C.UTF-8',
      // The image ships no bytecode (smaller); nothing in it is writable to compile into.
      'ENV PYTHONDONTWRITEBYTECODE=1',
      'ENV PYTHONUNBUFFERED=1',
    ],
    assemble: () => {
      const root = makeRoot();
      copyIn(root, closure.executable);
      symlinkSync(basename(closure.executable), join(root, PYTHON));
      for (const library of libraries) copyIn(root, library);
      cpSync(closure.stdlib, join(root, closure.stdlib), {
        recursive: true,
        dereference: true,
        filter: (source) =>
          !STDLIB_SKIP.has(basename(source)) && !basename(source).startsWith('config-'),
      });
      for (const entry of closure.entries) {
        cpSync(join(closure.sitePackages, entry), join(root, closure.sitePackages, entry), {
          recursive: true,
          // Debian links some data to /etc or /usr/share (certifi's bundle): copy the content.
          dereference: true,
          filter: (source) => basename(source) !== '__pycache__',
        });
      }
      return root;
    },
  };
}

async function probe(): Promise<Closure> {
  if (!existsSync(PYTHON)) {
    throw new BaseImageInputMissingError(
      `${PYTHON} is not installed, so local/python:base cannot be built (apt-get install -y python3)`,
      ['python3'],
    );
  }
  // -I: isolated, so a pyenv or virtualenv in the environment cannot change what is found.
  const { stdout } = await promisify(execFile)(PYTHON, ['-I', PROBE], {
    cwd: '/',
    maxBuffer: 4 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
    if (error.stdout?.includes('{')) return { stdout: error.stdout };
    throw new Error(`the Python closure probe failed: ${error.stderr || error.message}`);
  });
  const last = stdout.trim().split('\n').pop() ?? '';
  const parsed = JSON.parse(last) as
    Closure | { missing: Array<{ module: string; package: string; error: string }> };
  if ('missing' in parsed) {
    const packages = [...new Set(parsed.missing.map((item) => item.package))];
    const modules = parsed.missing.map((item) => `${item.module} (${item.error})`).join('; ');
    throw new BaseImageInputMissingError(
      `local/python:base needs Python modules this host lacks: ${modules}. Install them: apt-get install -y --no-install-recommends ${packages.join(' ')}`,
      packages,
    );
  }
  return parsed;
}

function listFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  try {
    return readdirSync(path, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
  } catch {
    return [path]; // a single-file module (typing_extensions.py)
  }
}

function isExtension(file: string): boolean {
  return /\.so(\.|$)/.test(file);
}
