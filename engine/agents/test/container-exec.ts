/** One command run to its end inside a running container (docker exec), output collected. */
import type Docker from 'dockerode';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function execIn(
  docker: Docker,
  container: Docker.Container,
  cmd: string[],
  options: { user?: string; env?: Record<string, string> } = {},
): Promise<ExecResult> {
  const exec = await container.exec({
    Cmd: cmd,
    AttachStdout: true,
    AttachStderr: true,
    User: options.user ?? '1000:1000',
    Env: Object.entries(options.env ?? {}).map(([key, value]) => `${key}=${value}`),
  });
  const stream = (await exec.start({ hijack: true, stdin: false })) as NodeJS.ReadableStream;
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const into = (chunks: Buffer[]) =>
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    });
  docker.modem.demuxStream(stream, into(stdout), into(stderr));
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  // The stream can end a moment before the engine records the exit code.
  let state = await exec.inspect();
  for (let tries = 0; state.Running && tries < 100; tries++) {
    await sleep(50);
    state = await exec.inspect();
  }
  return {
    exitCode: state.ExitCode ?? -1,
    stdout: Buffer.concat(stdout).toString('utf8'),
    stderr: Buffer.concat(stderr).toString('utf8'),
  };
}
