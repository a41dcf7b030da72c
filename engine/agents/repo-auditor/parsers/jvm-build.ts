/**
 * Maven pom.xml and Gradle build scripts (Groovy or Kotlin DSL). No XML parser or Gradle
 * evaluator is available offline, so these are read as text: Maven coordinates come from
 * `<artifactId>` elements (comments removed first), Gradle ones from "group:artifact:version"
 * strings and `id("plugin")` / `id 'plugin'` / `kotlin("jvm")` plugin declarations. That is
 * enough to recognise Spring Boot, Kotlin, JPA, Flyway/Liquibase, Kafka/AMQP and JaCoCo; it
 * does not evaluate properties, profiles or build logic.
 */
import { ev, lineAt, matchesWithLines } from '../evidence.ts';
import { emptyManifest } from '../manifest.ts';
import type { ManifestParse } from '../manifest.ts';

export function parsePom(path: string, dir: string, text: string): ManifestParse {
  // Comments are blanked, not removed, so offsets (and therefore lines) stay right.
  const source = text.replace(/<!--[\s\S]*?-->/g, (comment) => comment.replace(/[^\n]/g, ' '));
  if (!/<project[\s>]/.test(source) || !source.includes('</project>')) {
    return { ok: false, error: 'no <project> element', line: 1 };
  }
  const manifest = emptyManifest('jvm', dir, path);
  for (const { match, line } of matchesWithLines(
    source,
    /<artifactId>\s*([^<\s]+)\s*<\/artifactId>/g,
  )) {
    const name = match[1] ?? '';
    if (!manifest.deps.has(name)) manifest.deps.set(name, ev(path, line));
  }
  // The project's own artifactId: the first one outside <parent>, <dependencies>, <build>, ….
  const ownPart = source.replace(
    /<(parent|dependencies|dependencyManagement|build|profiles|reporting)>[\s\S]*?<\/\1>/g,
    '',
  );
  manifest.name = /<artifactId>\s*([^<\s]+)\s*<\/artifactId>/.exec(ownPart)?.[1] ?? null;
  manifest.aggregator = /<packaging>\s*pom\s*<\/packaging>/.test(ownPart);
  const modules = [...source.matchAll(/<module>\s*([^<\s]+)\s*<\/module>/g)].map(
    (match) => match[1] ?? '',
  );
  if (modules.length > 0) {
    manifest.workspaces = {
      value: modules,
      evidence: [ev(path, lineAt(source, source.indexOf('<modules>')))],
    };
  }
  const jacoco = source.indexOf('jacoco-maven-plugin');
  if (jacoco >= 0) manifest.coverage = ev(path, lineAt(source, jacoco));
  return { ok: true, manifest };
}

export function parseGradle(path: string, dir: string, text: string): ManifestParse {
  const source = text
    .replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '))
    .replace(/\/\/[^\n]*/g, '');
  const opens = (source.match(/\{/g) ?? []).length;
  const closes = (source.match(/\}/g) ?? []).length;
  if (opens !== closes) return { ok: false, error: 'unbalanced braces', line: 1 };
  const manifest = emptyManifest('jvm', dir, path);
  for (const { match, line } of matchesWithLines(
    source,
    /["']([\w.-]+):([\w.-]+)(?::[^"']*)?["']/g,
  )) {
    const name = match[2] ?? '';
    if (!manifest.deps.has(name)) manifest.deps.set(name, ev(path, line));
  }
  for (const { match, line } of matchesWithLines(
    source,
    /\bid\s*\(?\s*["']([\w.-]+)["']|\bkotlin\s*\(\s*["']([\w.-]+)["']/g,
  )) {
    const name = match[1] ?? `org.jetbrains.kotlin.${match[2] ?? ''}`;
    if (!manifest.deps.has(name)) manifest.deps.set(name, ev(path, line));
  }
  const jacoco = source.search(/\bjacoco\b/);
  if (jacoco >= 0) manifest.coverage = ev(path, lineAt(source, jacoco));
  return { ok: true, manifest };
}

/** `rootProject.name = "x"` / `include("a", "b")` from settings.gradle(.kts). */
export function parseGradleSettings(text: string): { name: string | null; includes: string[] } {
  const name = /rootProject\.name\s*=\s*["']([^"']+)["']/.exec(text)?.[1] ?? null;
  const includes: string[] = [];
  for (const match of text.matchAll(/\binclude\s*\(?([^)\n]+)\)?/g)) {
    for (const item of (match[1] ?? '').matchAll(/["']:?([^"']+)["']/g))
      if (item[1]) includes.push(item[1].replace(/:/g, '/'));
  }
  return { name, includes };
}
