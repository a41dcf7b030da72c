import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findProviderMirror, MIRROR_ENV, mirroredVersions } from './provider-mirror.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function mirror(): string {
  const dir = mkdtempSync(join(tmpdir(), 'prodsprint-mirror-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64'), {
    recursive: true,
  });
  mkdirSync(join(dir, 'registry.terraform.io/hashicorp/google'), { recursive: true });
  writeFileSync(
    join(
      dir,
      'registry.terraform.io/hashicorp/google/terraform-provider-google_6.12.0_linux_amd64.zip',
    ),
    '',
  );
  return dir;
}

describe('the Terraform provider mirror', () => {
  it('given unpacked and packed providers, then both layouts list their versions per platform', () => {
    const dir = mirror();
    expect(mirroredVersions(dir, 'hashicorp/aws', 'linux_amd64')).toEqual(['5.100.0']);
    expect(mirroredVersions(dir, 'hashicorp/aws', 'darwin_arm64')).toEqual([]);
    expect(mirroredVersions(dir, 'hashicorp/google', 'linux_amd64')).toEqual(['6.12.0']);
    expect(mirroredVersions(dir, 'hashicorp/vault', 'linux_amd64')).toEqual([]);
  });

  it('given PRODSPRINT_TF_PLUGIN_DIR, then it is the mirror, and a wrong one says what to do', () => {
    const dir = mirror();
    expect(findProviderMirror({ [MIRROR_ENV]: dir, HOME: dir })).toEqual({
      found: true,
      dir,
      from: 'env',
    });
    const wrong = findProviderMirror({ [MIRROR_ENV]: join(dir, 'nope'), HOME: dir });
    expect(wrong.found).toBe(false);
    if (!wrong.found) expect(wrong.remedy).toMatch(/terraform providers mirror/);
  });

  it('given no setting, then Terraform’s implied local mirror under HOME is found', () => {
    const home = mkdtempSync(join(tmpdir(), 'prodsprint-home-'));
    dirs.push(home);
    const implied = join(home, '.terraform.d', 'plugins');
    mkdirSync(join(implied, 'registry.terraform.io'), { recursive: true });
    expect(findProviderMirror({ HOME: home })).toEqual({
      found: true,
      dir: implied,
      from: 'search',
    });
  });
});
