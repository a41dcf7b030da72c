import { describe, expect, it } from 'vitest';
import { remedyFor } from './build-image.ts';

// The remedy a failed build step gets when it is not a missing offline input (issue 14).
describe('remedyFor', () => {
  it('given a COPY of build output the repository does not hold, then it says a pre-build made it', () => {
    const remedy = remedyFor(
      'COPY failed: file not found in build context or excluded by .dockerignore: stat dist/api: file does not exist',
      { kind: 'step' },
    );
    expect(remedy).toMatch(/^the Dockerfile copies dist\/api, which is not in the repository/);
  });

  it('given a step that exits non-zero, then it points at the step without blaming the base image', () => {
    const remedy = remedyFor("The command '/bin/sh -c npm test' returned a non-zero code: 1", {
      kind: 'step',
    });
    expect(remedy).toBe(
      'the failing step and its output are above: fix the Dockerfile or the files it copies',
    );
  });

  it('given a RUN in shell form on an image with no shell, then it says the image has no shell', () => {
    const remedy = remedyFor(
      'OCI runtime create failed: runc create failed: unable to start container process: exec: "/bin/sh": stat /bin/sh: no such file or directory: unknown',
      { kind: 'step' },
    );
    expect(remedy).toMatch(/has no shell/);
  });
});
