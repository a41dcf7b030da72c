import { describe, expect, it } from 'vitest';
import { edges, find } from '../testing/graph.ts';
import { CARGO_LOCK, GO_MOD, GO_SUM, h1, POM_XML } from '../testing/go-rust-java-lockfiles.ts';
import { sha256Hex } from '../testing/npm-lockfiles.ts';
import { parseCargoLock } from './cargo-lock.ts';
import { parseGoMod } from './go-mod.ts';
import { parseMavenPom } from './maven-pom.ts';

describe('parseGoMod', () => {
  it('lists every require (direct and indirect), drops local replaces, adds go.sum hashes', () => {
    const parsed = parseGoMod(GO_MOD, GO_SUM);
    expect(parsed.packages.map((p) => p.purl).sort()).toEqual([
      'pkg:golang/github.com/bytedance/sonic@v1.11.6',
      'pkg:golang/github.com/gin-gonic/gin@v1.10.0',
      'pkg:golang/github.com/google/uuid@v1.6.0',
      'pkg:golang/golang.org/x/net@v0.0.0-20240604161424-a59d25b0b7e2',
      'pkg:golang/golang.org/x/text@v0.15.0',
      'pkg:golang/gopkg.in/yaml.v3@v3.0.1',
    ]);
    const gin = find(parsed, 'pkg:golang/github.com/gin-gonic/gin@v1.10.0');
    const expected = Buffer.from(h1('github.com/gin-gonic/gin@v1.10.0').slice(3), 'base64');
    expect(gin.hashes).toEqual([{ alg: 'SHA-256', content: expected.toString('hex') }]);
  });

  it('applies module replacements and adds go.sum modules for go < 1.17', () => {
    const parsed = parseGoMod(
      `module example.com/old\n\ngo 1.16\n\nrequire github.com/pkg/errors v0.8.0\n\nreplace github.com/pkg/errors => github.com/fork/errors v0.9.1\n`,
      `github.com/fork/errors v0.9.1 ${h1('f')}\ngolang.org/x/sys v0.1.0 ${h1('s')}\ngolang.org/x/sys v0.1.0/go.mod ${h1('m')}\n`,
    );
    expect(parsed.packages.map((p) => p.purl).sort()).toEqual([
      'pkg:golang/github.com/fork/errors@v0.9.1',
      'pkg:golang/golang.org/x/sys@v0.1.0',
    ]);
  });
});

describe('parseCargoLock', () => {
  it('resolves short and versioned edges; crates without source are the project', () => {
    const parsed = parseCargoLock(CARGO_LOCK);
    expect(edges(parsed)).toEqual({
      'pkg:cargo/anyhow@1.0.86': [],
      'pkg:cargo/proc-macro2@1.0.86': ['pkg:cargo/unicode-ident@1.0.12'],
      'pkg:cargo/serde@1.0.203': ['pkg:cargo/syn@1.0.109'],
      'pkg:cargo/syn@1.0.109': ['pkg:cargo/proc-macro2@1.0.86', 'pkg:cargo/unicode-ident@1.0.12'],
      'pkg:cargo/syn@2.0.68': ['pkg:cargo/proc-macro2@1.0.86', 'pkg:cargo/unicode-ident@1.0.12'],
      'pkg:cargo/unicode-ident@1.0.12': [],
    });
    expect(parsed.direct).toEqual([
      'pkg:cargo/anyhow@1.0.86',
      'pkg:cargo/serde@1.0.203',
      'pkg:cargo/syn@2.0.68',
    ]);
    expect(find(parsed, 'pkg:cargo/serde@1.0.203').hashes).toEqual([
      { alg: 'SHA-256', content: sha256Hex('serde-1.0.203') },
    ]);
  });
});

describe('parseMavenPom', () => {
  it('reads dependencies with explicit, property or managed versions; test scope is dev', () => {
    const parsed = parseMavenPom(POM_XML);
    expect(parsed.packages.map((p) => [p.purl, p.dev])).toEqual([
      ['pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.17.1', false],
      ['pkg:maven/org.slf4j/slf4j-api@2.0.13', false],
      ['pkg:maven/org.apache.commons/commons-lang3@3.14.0', false],
      ['pkg:maven/org.junit.jupiter/junit-jupiter@5.10.2', true],
    ]);
    expect(parsed.project?.purl).toBe('pkg:maven/com.example.shop/orders@1.4.0');
  });

  it('leaves out versions it cannot resolve without a repository', () => {
    const parsed = parseMavenPom(`<project><groupId>g</groupId><artifactId>a</artifactId>
  <parent><groupId>p</groupId><artifactId>parent</artifactId><version>1</version></parent>
  <dependencies>
    <dependency><groupId>x</groupId><artifactId>ranged</artifactId><version>[1.0,2.0)</version></dependency>
    <dependency><groupId>x</groupId><artifactId>from-parent</artifactId><version>\${parent.prop}</version></dependency>
    <dependency><groupId>x</groupId><artifactId>unmanaged</artifactId></dependency>
  </dependencies>
</project>`);
    expect(parsed.packages).toEqual([]);
    expect(parsed.project?.purl).toBe('pkg:maven/g/a@1');
    expect(() => parseMavenPom('<settings/>')).toThrow(/not a Maven pom/);
  });
});
