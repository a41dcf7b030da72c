import type { Command } from 'commander';
import type { CommandRunner } from '../command-runner.ts';
import { EXIT } from '../exit-codes.ts';

export function registerTools(program: Command, run: CommandRunner): void {
  const tools = program
    .command('tools')
    .description(
      'the allow-listed external tools: list them, verify them, load offline tool bundles',
    );

  tools
    .command('list')
    .description('tools in bundled-tools/manifest.json and where each was found')
    .action((_options, command: Command) =>
      run(command, async ({ engine, emit }) => {
        const result = await engine.invoke('tools.list', {});
        emit(result, ({ tools: list }) =>
          list
            .map((tool) => {
              const where =
                tool.binary?.foundAt ??
                (tool.image
                  ? `image ${tool.image.reference}${tool.image.digest ? '' : ' (digest not pinned)'}`
                  : 'not available');
              return `${tool.name.padEnd(10)} ${tool.version.padEnd(10)} ${where}${tool.unavailable ? `\n           ${tool.unavailable} -> ${tool.remediation}` : ''}`;
            })
            .join('\n'),
        );
        return 0;
      }),
    );

  tools
    .command('verify')
    .description(
      'check binary checksums and local image IDs against the manifest (exit 1 when a present tool does not match)',
    )
    .action((_options, command: Command) =>
      run(command, async ({ engine, emit }) => {
        const result = await engine.invoke('tools.verify', {});
        emit(result, ({ tools: list }) =>
          list
            .map(
              (tool) =>
                `${tool.usable ? '[ok]  ' : '[--]  '} ${tool.name.padEnd(10)} binary ${tool.binary.status.padEnd(17)} image ${tool.image.status}${!tool.usable && tool.remediation ? `\n        -> ${tool.remediation}` : ''}`,
            )
            .join('\n'),
        );
        const tampered = result.tools.some(
          (tool) =>
            tool.binary.status === 'checksum-mismatch' || tool.image.status === 'digest-mismatch',
        );
        return tampered ? EXIT.failed : EXIT.ok;
      }),
    );

  tools
    .command('load')
    .description(
      'load an offline tool bundle (docker save tarball) once its digests match the manifest',
    )
    .argument('<file>', 'the tool bundle')
    .action((file: string, _options, command: Command) =>
      run(
        command,
        async ({ engine, emit }) => {
          const result = await engine.invoke('tools.load', { file });
          emit(result, ({ loaded }) =>
            loaded
              .map((image) => `Loaded ${image.tool}: ${image.reference} (${image.imageId})`)
              .join('\n'),
          );
          return 0;
        },
        { file: '<file>' },
      ),
    );
}
