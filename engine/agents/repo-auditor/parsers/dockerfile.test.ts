import { describe, expect, it } from 'vitest';
import { commandText, parseDockerfile, startCommandOf } from './dockerfile.ts';

describe('parseDockerfile', () => {
  it('describes the final stage of a multi-stage build, with lines', () => {
    const parsed = parseDockerfile(`# syntax=docker/dockerfile:1
FROM node:20 AS build
EXPOSE 9999
RUN npm ci

FROM --platform=linux/amd64 node:20-slim
ENV NODE_ENV=production \\
    API_URL=http://api
EXPOSE 3000/tcp 9090
USER node
HEALTHCHECK --interval=30s CMD curl -f http://localhost:3000/healthz || exit 1
ENTRYPOINT ["node"]
CMD ["dist/main.js"]
`);
    expect(parsed.stages).toHaveLength(2);
    const stage = parsed.stages[1]!;
    expect(stage.baseImage).toBe('node:20-slim');
    expect(stage.line).toBe(6);
    expect(stage.exposes).toEqual([
      { port: 3000, line: 9 },
      { port: 9090, line: 9 },
    ]);
    expect(stage.env).toEqual([
      { name: 'NODE_ENV', line: 7 },
      { name: 'API_URL', line: 7 },
    ]);
    expect(stage.user).toEqual({ name: 'node', line: 10 });
    expect(stage.healthcheck).toEqual({
      command: 'curl -f http://localhost:3000/healthz || exit 1',
      line: 11,
    });
    expect(startCommandOf(stage)).toEqual({ command: 'node dist/main.js', line: 12 });
  });

  it('honours the escape directive and HEALTHCHECK NONE', () => {
    const stage = parseDockerfile(
      '# escape=`\nFROM mcr.microsoft.com/windows\nCMD echo `\n  hi\nHEALTHCHECK NONE\n',
    ).stages[0]!;
    expect(stage.cmd).toEqual({ command: 'echo hi', line: 3 });
    expect(stage.healthcheck?.command).toBe('NONE');
  });

  it('survives garbage: no FROM, invalid JSON exec form, binary-ish text', () => {
    expect(parseDockerfile('EXPOSE 80\nCMD ["unterminated\n\u0001\u0002').stages).toEqual([]);
    expect(commandText('["a", 1]')).toBe('["a", 1]');
  });
});
