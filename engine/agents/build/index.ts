/** The image build stage (issue 10): a service's Dockerfile built locally, never pulled. */
export {
  buildServiceImage,
  BuildFailedError,
  type BuildServiceImageOptions,
  type BuiltImage,
} from './build-image.ts';
export { baseImageArg, runtimeOf, type BaseImageArg, type BaseRuntime } from './base-image-args.ts';
