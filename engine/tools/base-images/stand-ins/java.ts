/**
 * Java images — `eclipse-temurin`, `openjdk`, `amazoncorretto` (any `-jdk`/`-jre`) and
 * `maven` — stood in by Debian 12 + the host's OpenJDK (the newest `openjdk-N-jdk-headless`
 * installed, 17 on these machines; a JDK serves for a JRE too) and Debian's Maven when installed.
 * One root serves all four (only maven's default command differs, vfs would copy a second root
 * in full): JAVA_HOME is temurin's /opt/java/openjdk, and the
 * other images' JAVA_HOME paths (/usr/local/openjdk-17, /usr/lib/jvm/java-17-amazon-corretto)
 * exist as links, so Dockerfiles that name them still work.
 *
 * The requested images' own OS differs: temurin is Ubuntu-based, openjdk 12+ Oracle Linux,
 * amazoncorretto Amazon Linux — warned, with their package managers listed as missing.
 */
import type { ImageReference } from '../image-reference.ts';
import { linkInRoot } from '../root-edit.ts';
import { codeOf, debianLabel, DEFAULT_PATH } from './debian.ts';
import type {
  HostContext,
  StandInAnswer,
  StandInContent,
  StandInFamily,
  StandInOffer,
} from './types.ts';
import {
  AMAZON_LINUX,
  differenceFrom,
  ORACLE_LINUX,
  splitTag,
  UBUNTU_NOBLE,
  type OsVariant,
} from './variant.ts';

const JAVA_HOME = '/opt/java/openjdk';
const JDK_VENDORS = new Set(['eclipse-temurin', 'openjdk', 'amazoncorretto']);
/** Words in maven tags that name the JDK beside the version (`3.9-eclipse-temurin-21`). */
const VENDOR_WORDS = new Set([
  'eclipse',
  'temurin',
  'openjdk',
  'amazoncorretto',
  'ibmjava',
  'ibm',
  'semeru',
  'sapmachine',
  'graalvm',
  'jdk',
  'jre',
]);

interface HostJdk {
  major: number;
  version: string;
  package: string;
  home: string;
}

/** The newest `openjdk-N-jdk-headless` installed here. */
export function hostJdk(context: HostContext): HostJdk | undefined {
  const jdks = [...context.database.packages.values()]
    .map((item) => ({ item, major: Number(/^openjdk-(\d+)-jdk-headless$/.exec(item.name)?.[1]) }))
    .filter(({ major }) => major > 0)
    .sort((a, b) => b.major - a.major);
  const newest = jdks[0];
  if (!newest) return undefined;
  return {
    major: newest.major,
    version: /^(\d+(?:\.\d+)*(?:\+\d+)?)/.exec(newest.item.version)?.[1] ?? newest.item.version,
    package: newest.item.name,
    home: `/usr/lib/jvm/java-${newest.major}-openjdk-${context.database.nativeArchitecture}`,
  };
}

/** The host's Maven version (Debian's maven package). */
function hostMaven(context: HostContext): string | undefined {
  const item = context.database.packages.get('maven');
  return item ? /^(\d+\.\d+\.\d+)/.exec(item.version)?.[1] : undefined;
}

export const javaFamily: StandInFamily = {
  name: 'java',
  examples: [
    'eclipse-temurin:17-jre',
    'eclipse-temurin:21-jdk-alpine',
    'openjdk:17-jdk-slim',
    'amazoncorretto:17',
  ],
  describe: (context) => {
    const jdk = hostJdk(context);
    return `${debianLabel()} + OpenJDK ${jdk?.version ?? '(not installed)'} (JDK for -jdk and -jre); another major: a warning`;
  },
  matches: (ref) => ref.official && JDK_VENDORS.has(ref.name),
  offer: async (ref, context) => {
    const tag = splitTag(ref.tag, (word) => word === 'latest');
    const major = /^(\d+)/.exec(tag.version ?? '')?.[1];
    if (tag.version && tag.version !== 'latest' && !major)
      return {
        available: false,
        family: 'java',
        reason: `${ref.name}:${ref.tag} is not a JDK tag`,
      };
    return javaOffer(ref, context, {
      requestedJava: major ? Number(major) : undefined,
      os: tag.os ?? defaultOs(ref.name, major ? Number(major) : undefined, tag.slim),
      rest: tag.rest.filter((word) => word !== 'jdk' && word !== 'jre'),
      withMaven: false,
    });
  },
};

export const mavenFamily: StandInFamily = {
  name: 'maven',
  examples: ['maven:3.9-eclipse-temurin-17', 'maven:3.8.5-openjdk-17', 'maven:3-jdk-11'],
  describe: (context) =>
    `${debianLabel()} + Maven ${hostMaven(context) ?? '(not installed)'} + OpenJDK ${hostJdk(context)?.version ?? '(not installed)'}`,
  matches: (ref) => ref.official && ref.name === 'maven',
  offer: async (ref, context) => {
    const tag = splitTag(ref.tag, (word) => word === 'latest');
    const maven = hostMaven(context);
    if (!maven) return { available: false, family: 'maven', reason: 'Maven is not installed here' };
    const javaWord = tag.rest.find((word) => /^\d+$/.test(word));
    const vendor = tag.rest.find((word) => VENDOR_WORDS.has(word));
    const os =
      tag.os ??
      (vendor === 'eclipse' || vendor === 'temurin' ? UBUNTU_NOBLE : undefined) ??
      (vendor === 'amazoncorretto' ? AMAZON_LINUX : undefined);
    const answer = await javaOffer(ref, context, {
      requestedJava: javaWord ? Number(javaWord) : undefined,
      os,
      rest: tag.rest.filter((word) => !VENDOR_WORDS.has(word) && word !== javaWord),
      withMaven: true,
    });
    if (!answer.available) return answer;
    const requested = tag.version ?? 'latest';
    const warnings = [...answer.offer.warnings];
    if (requested === 'latest' || requested === '3')
      warnings.push(`maven:${requested} moves with Maven releases; Maven ${maven} stands in`);
    else if (!`${maven}.`.startsWith(`${requested}.`) && !requested.startsWith(`${maven}`))
      warnings.push(`Maven ${requested} requested: Maven ${maven} stands in (the version differs)`);
    return { ...answer, family: 'maven', offer: { ...answer.offer, warnings } };
  },
};

async function javaOffer(
  ref: ImageReference,
  context: HostContext,
  request: { requestedJava?: number; os?: OsVariant; rest: string[]; withMaven: boolean },
): Promise<StandInAnswer> {
  const jdk = hostJdk(context);
  if (!jdk)
    return {
      available: false,
      family: 'java',
      reason: 'no OpenJDK (openjdk-N-jdk-headless) is installed here',
    };
  const difference = differenceFrom(request.os);
  const warnings = [...difference.warnings];
  if (request.requestedJava && request.requestedJava !== jdk.major)
    warnings.push(
      `Java ${request.requestedJava} requested: OpenJDK ${jdk.version} stands in (the major differs)`,
    );
  if (!request.requestedJava)
    warnings.push(
      `${ref.name}:${ref.tag ?? 'latest'} names no Java major; OpenJDK ${jdk.version} stands in`,
    );
  if (request.rest.length) warnings.push(`tag parts not stood in: ${request.rest.join('-')}`);
  const offer: StandInOffer = {
    content: javaContent(jdk, hostMaven(context)),
    warnings,
    variantChanged: difference.variantChanged,
    missingPackageManagers: difference.missingPackageManagers,
    // One root serves JDK and Maven images; only the default command differs.
    ...(request.withMaven ? { cmd: ['mvn'] } : {}),
  };
  return { available: true, family: 'java', offer };
}

function javaContent(jdk: HostJdk, maven: string | undefined): StandInContent {
  const changes = [
    `ENV JAVA_HOME=${JAVA_HOME}`,
    `ENV JAVA_VERSION=jdk-${jdk.version}`,
    'ENV LANG=C.UTF-8',
    `ENV PATH=${JAVA_HOME}/bin:${DEFAULT_PATH}`,
  ];
  if (maven) changes.push('ENV MAVEN_HOME=/usr/share/maven', 'ENV MAVEN_CONFIG=/root/.m2');
  changes.push('CMD ["jshell"]');
  return {
    key: `java-${jdk.version}${maven ? `-maven-${maven}` : ''}`,
    flavor: 'debian',
    packages: [jdk.package, ...(maven ? ['maven'] : [])],
    hashInputs: [codeOf(import.meta.url)],
    changes,
    actual: `OpenJDK ${jdk.version}${maven ? ` with Maven ${maven}` : ''} on ${debianLabel()}`,
    customize: (root) => {
      linkInRoot(root, JAVA_HOME, jdk.home);
      linkInRoot(root, `/usr/local/openjdk-${jdk.major}`, jdk.home);
      linkInRoot(root, `/usr/lib/jvm/java-${jdk.major}-amazon-corretto`, jdk.home);
    },
  };
}

/** The OS the requested JDK image is built on when its tag names none. */
function defaultOs(name: string, major: number | undefined, slim: boolean): OsVariant | undefined {
  if (name === 'eclipse-temurin') return UBUNTU_NOBLE;
  if (name === 'amazoncorretto') return AMAZON_LINUX;
  if (name === 'openjdk' && !slim && (major === undefined || major >= 12)) return ORACLE_LINUX;
  return undefined;
}
