/**
 * Whether a build ran on one of ProdSprint's shell-less runtime images (`local/node:base`,
 * `local/python:base`: the examples' BASE_IMAGE convention) and which. Such a service's tests
 * run on that image with the repository copied in, and its SBOM names this machine's runtime;
 * any other build brings its own toolchain image.
 */
import type { BuildResult } from '../../agents/pipeline/toolkit.ts';
import type { Service } from '../../agents/repo-auditor/index.ts';

const LOCAL_RUNTIME: Record<string, 'node' | 'python'> = {
  javascript: 'node',
  typescript: 'node',
  python: 'python',
};

export function localRuntimeOf(
  service: Service,
  build: Pick<BuildResult, 'baseImage'>,
): 'node' | 'python' | undefined {
  const runtime = LOCAL_RUNTIME[service.language?.value ?? ''];
  return runtime && build.baseImage.startsWith('local/') ? runtime : undefined;
}
