import type { Command } from 'commander';
import { startHttpServer } from '../../engine/api/http-server.ts';
import { ProblemError } from '../../engine/contract/problem.ts';
import type { CommandRunner } from '../command-runner.ts';

export function registerServe(program: Command, run: CommandRunner): void {
  program
    .command('serve')
    .description(
      'serve the API (REST under /v1, Problem+JSON errors) on a loopback address until stopped',
    )
    .option('--host <address>', 'loopback address to bind', '127.0.0.1')
    .option('--port <port>', 'TCP port (0 picks a free one)', '7400')
    .addHelpText(
      'after',
      '\nEvery request needs `Authorization: Bearer <token>`; the token is written to <data-dir>/api-token (mode 0600).',
    )
    .action((options: { host: string; port: string }, command: Command) =>
      run(command, async ({ engine, emit, progress }) => {
        const port = Number(options.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) {
          throw ProblemError.of('validation-failed', {
            detail: `port '${options.port}' is not a TCP port`,
            errors: [
              {
                field: 'input.port',
                message: `must be a whole number from 0 to 65535, not '${options.port}'`,
              },
            ],
          });
        }
        // The server is the process that executes runs submitted over the API (and by CLI
        // commands run beside it); refused with a clear conflict when another one already does.
        engine.driveRuns();
        const server = await startHttpServer(engine, { host: options.host, port });
        emit(
          { url: server.url, tokenFile: server.tokenFile },
          (s) =>
            `Serving the ProdSprint API at ${s.url}\nBearer token in ${s.tokenFile}\nStop with Ctrl-C.`,
        );
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        progress('stopping');
        await server.close();
        return 0;
      }),
    );
}
