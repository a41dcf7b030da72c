/** The image build stage (issues 10 and 14): a service's Dockerfile built locally, never pulled. */
export {
  buildServiceImage,
  BuildFailedError,
  type BuildFailureCause,
  remedyFor,
  type BuildServiceImageOptions,
  type BuiltImage,
} from './build-image.ts';
export { baseImageArg, runtimeOf, type BaseImageArg, type BaseRuntime } from './base-image-args.ts';
export {
  planLegacyBuild,
  planPrebuild,
  UnsupportedDockerfileError,
  PLATFORM_ARGS,
  SIDE_IMAGE_ARG,
  type LegacyBuildPlan,
  type PlanOptions,
  type PackageTool,
  type Prebuild,
} from './dockerfile/index.ts';
export { classifyBuildFailure } from './build-failure.ts';
export { DockerignoreMatcher, readDockerignore } from './context/dockerignore.ts';
