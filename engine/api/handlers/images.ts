/**
 * images.list|publish (issue 14): the stand-in catalog, and filling a registry with stand-ins
 * under the names real Dockerfiles use (engine/tools/base-images/publish.ts does the building and
 * pushing). The registry is the configured `registry.mirror` unless one is given; its credential
 * comes from the setting's `env:NAME` reference and is sent only to that registry, never to one
 * given instead. The images live in the registry, not in the database, so each reference's audit
 * entry follows its push: it is the team's record of what stands in for what in its mirror.
 */
import type Docker from 'dockerode';
import { connectDockerEngine } from '../../environments/local/docker-engine.ts';
import { LocalEnvironmentError } from '../../environments/local/errors.ts';
import {
  readOfflineSettings,
  resolveMirrorCredential,
} from '../../environments/local/offline-settings.ts';
import { probeRegistry } from '../../system/http-probe.ts';
import { OfflineInputMissingError } from '../../system/offline-input.ts';
import {
  familiarReference,
  InvalidImageReferenceError,
  listStandIns,
  parseImageReference,
  publishStandIns,
  type PublishedStandIn,
} from '../../tools/base-images/index.ts';
import { hostDpkgDatabase } from '../../tools/base-images/debian-packages.ts';
import { findStandIn } from '../../tools/base-images/stand-ins/catalog.ts';
import type { HandlerContext } from '../handler-context.ts';
import type { HandlerTable } from '../handlers.ts';
import { ProblemError, type FieldError } from '../../contract/problem.ts';
import { localIdentity } from './local-identity.ts';

const SET_MIRROR = '`prodsprint config set registry.mirror <url>`';

interface PublishTarget {
  url: string;
  authHeader?: string;
  /** How the user names this registry, for messages. */
  shown: string;
}

export const imageHandlers: HandlerTable = {
  'images.list': async (_input, ctx) => ({
    standIns: await listStandIns({ dataDir: ctx.dataDir }),
  }),

  'images.publish': async (input, ctx) => {
    refuseInvalidReferences(input.references);
    const target = publishTarget(input.registry, ctx);
    const probe = await probeRegistry(target.url, {
      ...(target.authHeader ? { authorization: target.authHeader } : {}),
      settingHint: `${SET_MIRROR} (or give --registry <url>)`,
    });
    if (!probe.ok)
      throw ProblemError.of('tool-missing', { detail: probe.detail, remedy: probe.remedy });
    const docker = await engineFor(ctx);
    const options = {
      dataDir: ctx.dataDir,
      ...(target.authHeader ? { authHeader: target.authHeader } : {}),
    };
    // Push progress repeats one status per layer chunk ("Pushing"): each line is shown once.
    let last = '';
    const progress = (line: string) => {
      if (line !== last) ctx.logger.debug(line, { operation: 'images.publish' });
      last = line;
    };
    const published: PublishedStandIn[] = [];
    const fail = (error: unknown) => {
      throw publishProblem(error, input.references, target, published);
    };
    // A reference publishStandIns would refuse stops everything before the first build: it
    // throws its own error (naming the mirror path to push the real image to) without building.
    const refused = await refusedBeforeBuilding(input.references, ctx.dataDir);
    if (refused.length)
      await publishStandIns(docker, target.url, refused, progress, options).catch(fail);
    // One reference at a time, each audited once the registry has it: a failure later on leaves
    // a record of every image that did reach the registry.
    for (const reference of input.references) {
      const [image] = await publishStandIns(
        docker,
        target.url,
        [reference],
        progress,
        options,
      ).catch(fail);
      if (!image) continue;
      record(ctx, image);
      published.push(image);
    }
    return { registry: target.url, published };
  },
};

/** The references publishStandIns refuses before building: pinned by digest, or no stand-in here. */
async function refusedBeforeBuilding(references: string[], dataDir: string): Promise<string[]> {
  const context = { database: hostDpkgDatabase(), dataDir };
  const refused: string[] = [];
  for (const reference of references) {
    const ref = parseImageReference(reference);
    if (ref.digest || !(await findStandIn(ref, context)).available) refused.push(reference);
  }
  return refused;
}

/** Every reference must parse before anything is built: the user fixes them all at once. */
function refuseInvalidReferences(references: string[]): void {
  const errors: FieldError[] = [];
  let remedy = '';
  references.forEach((reference, index) => {
    try {
      parseImageReference(reference);
    } catch (error) {
      if (!(error instanceof InvalidImageReferenceError)) throw error;
      errors.push({ field: `input.references.${index}`, message: error.message });
      remedy = error.remedy;
    }
  });
  if (errors.length)
    throw ProblemError.of('validation-failed', {
      detail: errors.map((e) => e.message).join('; '),
      errors,
      remedy,
    });
}

/** The registry to push to and, when it is the configured mirror, its credential. */
function publishTarget(given: string | undefined, ctx: HandlerContext): PublishTarget {
  const mirror = readOfflineSettings(ctx.store().db).registryMirror;
  const url = given ?? mirror?.url;
  if (!url || !mirror || !sameUrl(url, mirror.url)) {
    if (url) return { url, shown: url };
    throw ProblemError.of('validation-failed', {
      detail: 'no registry to publish to: registry.mirror is not configured and none was given',
      errors: [{ field: 'input.registry', message: 'no registry given and none configured' }],
      remedy: `configure the team's registry mirror with ${SET_MIRROR} (engines that use it as their mirror then pull these images), or give the registry with --registry <url>`,
    });
  }
  try {
    const { authorization } = resolveMirrorCredential(mirror, ctx.env, ctx.redactor);
    return {
      url,
      shown: `registry.mirror (${url})`,
      ...(authorization ? { authHeader: authorization } : {}),
    };
  } catch (error) {
    if (!(error instanceof OfflineInputMissingError)) throw error;
    throw ProblemError.of('tool-missing', { detail: error.detail, remedy: error.remedy });
  }
}

function sameUrl(a: string, b: string): boolean {
  const normal = (text: string) => new URL(text).href.replace(/\/+$/, '');
  return normal(a) === normal(b);
}

/** The engine sprints build on (started when needed, as a sprint would). */
async function engineFor(ctx: HandlerContext): Promise<Docker> {
  try {
    const connection = await connectDockerEngine({
      dataDir: ctx.dataDir,
      env: ctx.env,
      startIfNeeded: true,
      onProgress: (line) => ctx.logger.info(line),
    });
    return connection.docker;
  } catch (error) {
    if (!(error instanceof LocalEnvironmentError)) throw error;
    throw ProblemError.of('tool-missing', {
      detail: `the stand-ins are built on a Docker Engine, and ${error.message}`,
      remedy: error.remediation,
    });
  }
}

/** Registry-side failures of a push, as dockerd words them. */
const REGISTRY_FAILURE =
  /unauthorized|denied|dial tcp|connection refused|no such host|i\/o timeout|unexpected HTTP status|HTTP response to HTTPS client|x509|certificate|reported no digest/i;

function publishProblem(
  error: unknown,
  references: string[],
  target: PublishTarget,
  published: PublishedStandIn[],
): unknown {
  if (error instanceof OfflineInputMissingError) {
    // Refusals are found before the first build (refusedBeforeBuilding), so usually nothing
    // was pushed; one met while building is reported with what did reach the registry.
    const index = references.findIndex(
      (reference) => familiarReference(parseImageReference(reference)) === error.input.name,
    );
    return ProblemError.of('validation-failed', {
      detail: `${error.detail}; ${published.length ? `published before it: ${published.map((p) => p.reference).join(', ')}` : 'nothing was published'}`,
      errors: [
        {
          field: index >= 0 ? `input.references.${index}` : 'input.references',
          message: error.detail,
        },
      ],
      remedy: error.remedy,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  if (!REGISTRY_FAILURE.test(message)) return error;
  const before = published.length
    ? ` (published and audited before it: ${published.map((p) => p.reference).join(', ')})`
    : '';
  return ProblemError.of('tool-missing', {
    detail: `pushing to ${target.shown} failed: ${message}${before}`,
    remedy: `make sure the registry accepts pushes from this machine: its credential in the registry.mirror setting (${SET_MIRROR} --credential-ref env:NAME), and for plain http outside 127.0.0.0/8 its host in dockerd's insecure-registries; then publish the rest again`,
  });
}

/** The team's record of what stands in for `image.reference` in the registry. */
function record(ctx: HandlerContext, image: PublishedStandIn): void {
  const { db } = ctx.store();
  const { sink } = ctx.audit();
  const identity = localIdentity(db);
  db.transaction(() =>
    sink.append(db, {
      actor: { user: identity.userId },
      action: 'images.published',
      target: `image:${image.reference}`,
      meta: ctx.redactor.redactValue({
        pushedAs: image.pushedAs,
        digest: image.digest,
        actual: image.actual,
        warnings: image.warnings,
      }),
    }),
  )();
}
