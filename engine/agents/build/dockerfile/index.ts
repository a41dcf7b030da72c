/** Reading repositories' own Dockerfiles and planning their legacy builds (issue 14). */
export { planLegacyBuild, SIDE_IMAGE_ARG, type LegacyBuildPlan, type PlanOptions } from './plan.ts';
export { UnsupportedDockerfileError } from './errors.ts';
export { parseDockerfile, type Instruction, type ParsedDockerfile, type Heredoc } from './parse.ts';
export { PLATFORM_ARGS } from './stages.ts';
export { SIDE_STAGE, type SideFile } from './translate-copy.ts';
export { applyChmod } from './file-mode.ts';
export type { PackageTool } from './package-tools.ts';
export { planPrebuild, PREBUILD_STAGE, type Prebuild } from './prebuild.ts';
