/**
 * JVM services' CI (issue 15): the JDK the build asks for (Gradle toolchain or
 * sourceCompatibility, Maven's release/java.version), capped at the newest JDK the Gradle
 * wrapper's version can run on (Gradle 7.4 does not start on Java 21); the wrapper when the
 * repository has one, else a Maven or Gradle image. Only tasks the build defines: `bootJar` with
 * the Spring Boot plugin, `jacocoTestReport` with the jacoco plugin, `integrationTest` when
 * declared, Maven `verify` when failsafe is configured. Maven coverage comes from JaCoCo, pinned
 * and resolved through the Maven mirror, so the gate has a report without a pom change.
 */
import { pickImage } from './ci-images.ts';
import type { CiContext, CiToolchain } from './ci-toolchain.ts';
import { joinPath } from './repo-files.ts';
import { gradleJava, gradleWrapper, mavenJava } from './toolchain-versions.ts';

const JACOCO = 'org.jacoco:jacoco-maven-plugin:0.8.12';
const DEFAULT_JAVA = '21';

async function jdkOf(ctx: CiContext, gradle: boolean, notes: string[]) {
  const stated = gradle
    ? await gradleJava(ctx.files, ctx.dir)
    : await mavenJava(ctx.files, ctx.dir);
  if (stated) notes.push(`Java ${stated.version} from ${stated.source}`);
  const wrapper = gradle ? await gradleWrapper(ctx.files, ctx.dir) : null;
  let wanted = stated?.version ?? DEFAULT_JAVA;
  if (wrapper && Number(wanted) > wrapper.maxJava) {
    const capped = String(wrapper.maxJava);
    notes.push(
      stated
        ? `Gradle ${wrapper.version} (${wrapper.source}) cannot run on Java ${wanted}: CI runs it on Java ${capped}; upgrade the wrapper to build with ${wanted}`
        : `Gradle ${wrapper.version} (${wrapper.source}) runs on Java ${capped} at most: CI uses it`,
    );
    wanted = capped;
  }
  return {
    wanted,
    max: wrapper ? String(wrapper.maxJava) : undefined,
    stated: stated !== null || wrapper !== null,
  };
}

export async function jvmCi(ctx: CiContext, gradle: boolean): Promise<CiToolchain> {
  const notes: string[] = [];
  const jdk = await jdkOf(ctx, gradle, notes);
  const wrapperName = gradle ? 'gradlew' : 'mvnw';
  const wrapper = (await ctx.files.text(joinPath(ctx.dir, wrapperName))) !== null;
  const family = wrapper ? 'temurin-*-jdk' : gradle ? 'gradle' : 'maven';
  const picked = pickImage(ctx.images, family, jdk.wanted, jdk.max);
  if (picked?.note) notes.push(`Java ${picked.note}`);
  const jre = picked ? pickImage(ctx.images, 'temurin-*-jre', picked.version) : null;
  if (!wrapper)
    notes.push(
      `no ${wrapperName} in the service: CI runs ${gradle ? 'gradle' : 'mvn'} from the ${gradle ? 'Gradle' : 'Maven'} image`,
    );
  const base = {
    image: picked?.key ?? 'java-build',
    buildImage: jdk.stated
      ? (pickImage(ctx.images, 'temurin-*-jdk', jdk.wanted, jdk.max)?.key ?? null)
      : null,
    runtimeImage: jdk.stated ? (jre?.key ?? null) : null,
    installDir: ctx.dir,
    install: null,
    notes,
    env: {},
  };
  if (gradle) {
    const build =
      (await ctx.files.text(joinPath(ctx.dir, 'build.gradle'))) ??
      (await ctx.files.text(joinPath(ctx.dir, 'build.gradle.kts'))) ??
      '';
    const gradlew = wrapper ? './gradlew --no-daemon' : 'gradle --no-daemon';
    const jacoco = /\bjacoco\b/.test(build);
    if (!jacoco)
      notes.push(
        'the Gradle build applies no jacoco plugin: no coverage report for the gate; apply `jacoco` to measure it',
      );
    return {
      ...base,
      build: `${gradlew} ${/org\.springframework\.boot/.test(build) ? 'bootJar' : 'assemble'} -x test`,
      unit: `${gradlew} test${jacoco ? ' jacocoTestReport' : ''}`,
      coverage: jacoco
        ? { format: 'jacoco', path: 'build/reports/jacoco/test/jacocoTestReport.xml' }
        : null,
      integration: /\bintegrationTest\b/.test(build) ? `${gradlew} integrationTest` : null,
    };
  }
  const pom = (await ctx.files.text(joinPath(ctx.dir, 'pom.xml'))) ?? '';
  const mvn = wrapper ? './mvnw -B' : 'mvn -B';
  if (!pom.includes('jacoco-maven-plugin'))
    notes.push(
      `coverage measured by JaCoCo (${JACOCO}) through the Maven mirror; the pom does not configure it`,
    );
  return {
    ...base,
    build: `${mvn} -DskipTests package`,
    unit: `${mvn} ${JACOCO}:prepare-agent test ${JACOCO}:report`,
    coverage: { format: 'jacoco', path: 'target/site/jacoco/jacoco.xml' },
    integration: pom.includes('maven-failsafe-plugin') ? `${mvn} verify` : null,
  };
}
