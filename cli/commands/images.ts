/**
 * `prodsprint images list | publish <reference>... [--registry URL]`: the base images this
 * machine can stand in for, and filling the team's registry mirror with them under the names
 * real Dockerfiles use (issue 14), over images.list|publish. Building a stand-in takes a while
 * the first time, so publish says what it is doing on stderr; --verbose shows every step.
 */
import type { Command } from 'commander';
import type { PublishedImage, StandInCatalogRow } from '../../engine/contract/images.contract.ts';
import type { CommandRunner, FlagNames } from '../command-runner.ts';

const FLAGS: FlagNames = { references: '<reference>', registry: '--registry' };

const PUBLISH_HELP = `
Each reference is built from this machine's Debian packages (the same stand-in a sprint would
build) and pushed to <registry>/library/<name>:<tag> for Docker Hub names, <registry>/<host>/<path>
for others. The image keeps labels saying what it really is, and each reference is recorded in
the audit chain (images.published) with what stands in for it and any warning (another major,
another OS variant).

  prodsprint config set registry.mirror http://127.0.0.1:5000
  prodsprint images publish node:20-slim python:3.12-slim debian:bookworm-slim

See \`prodsprint images list\` for what can be published here.`;

export function renderCatalog(rows: StandInCatalogRow[]): string {
  const table = [
    ['FAMILY', 'HERE', 'STANDS IN WITH (OR WHY NOT)', 'EXAMPLES'],
    ...rows.map((row) => [
      row.family,
      row.available ? 'yes' : 'no',
      row.available ? row.standsIn : (row.reason ?? row.standsIn),
      row.examples.join(', '),
    ]),
  ];
  const widths = [0, 1, 2].map((column) => Math.max(...table.map((row) => row[column]!.length)));
  const lines = table.map((row) =>
    row
      .map((cell, column) => (column < widths.length ? cell.padEnd(widths[column]!) : cell))
      .join('  ')
      .trimEnd(),
  );
  const available = rows.filter((row) => row.available).length;
  lines.push(
    '',
    `${available} of ${rows.length} families can be stood in here; the others come through the registry mirror (registry.mirror) or \`docker load -i <file>\`.`,
  );
  return lines.join('\n');
}

export function renderPublished(result: { registry: string; published: PublishedImage[] }): string {
  const count = result.published.length;
  const lines = [`Published ${count} image${count === 1 ? '' : 's'} to ${result.registry}:`];
  for (const image of result.published) {
    lines.push(`  ${image.reference} -> ${image.pushedAs} (${image.digest})`);
    lines.push(`    stands in with: ${image.actual}`);
    for (const warning of image.warnings) lines.push(`    warning: ${warning}`);
  }
  lines.push(
    '',
    'Engines that use this registry as their mirror pull these images; each keeps labels saying what it is, and the audit chain records the substitution.',
  );
  return lines.join('\n');
}

export function registerImages(program: Command, run: CommandRunner): void {
  const images = program
    .command('images')
    .description(
      "base images for real Dockerfiles' FROM lines: what stands in here, and publishing it to the registry mirror",
    );

  images
    .command('list')
    .description('each image family: whether a stand-in can be built here, with what, or why not')
    .action((_options, command: Command) =>
      run(command, async ({ engine, emit }) => {
        const result = await engine.invoke('images.list', {});
        emit(result, ({ standIns }) => renderCatalog(standIns));
        return 0;
      }),
    );

  images
    .command('publish')
    .description(
      'build stand-ins for the references and push them to the registry mirror under those names (audited)',
    )
    .argument('<reference...>', 'e.g. node:20-slim python:3.12-slim debian:bookworm-slim')
    .option(
      '--registry <url>',
      'push here instead of the configured registry.mirror (its credential is used only for the configured one)',
    )
    .addHelpText('after', PUBLISH_HELP)
    .action((references: string[], options: { registry?: string }, command: Command) =>
      run(
        command,
        async ({ engine, emit, progress }) => {
          const where = options.registry ?? 'the configured registry mirror';
          progress(
            `publishing ${references.join(', ')} to ${where}: each stand-in is built from this machine's packages (a first build takes a minute or two), then pushed; --verbose shows every step`,
          );
          const result = await engine.invoke('images.publish', {
            references,
            ...(options.registry ? { registry: options.registry } : {}),
          });
          for (const image of result.published)
            progress(`pushed ${image.reference} as ${image.pushedAs}`);
          emit(result, renderPublished);
          return 0;
        },
        FLAGS,
      ),
    );
}
