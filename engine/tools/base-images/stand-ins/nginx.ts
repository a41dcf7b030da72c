/**
 * `nginx:*` — Debian 12 + the host's nginx (1.22 on Debian 12) with the official image's
 * layout (docker-library nginx): its nginx.conf (user nginx, uid 101), conf.d/default.conf
 * serving /usr/share/nginx/html on :80, logs linked to stdout/stderr, `nginx -g 'daemon off;'`,
 * STOPSIGNAL SIGQUIT, and an entrypoint that renders /etc/nginx/templates/*.template with
 * envsubst into conf.d, as the official one does — Dockerfiles copy their config into exactly
 * these places.
 */
import type { ImageReference } from '../image-reference.ts';
import { addUser, linkInRoot, writeInRoot } from '../root-edit.ts';
import { codeOf, debianLabel, DEFAULT_PATH } from './debian.ts';
import type { HostContext, StandInAnswer, StandInFamily } from './types.ts';
import { differenceFrom, splitTag } from './variant.ts';

const MOVING = new Set(['latest', 'stable', 'mainline']);
const NGINX_CONF = `user  nginx;
worker_processes  auto;

error_log  /var/log/nginx/error.log notice;
pid        /var/run/nginx.pid;

events {
    worker_connections  1024;
}

http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';

    access_log  /var/log/nginx/access.log  main;

    sendfile        on;
    keepalive_timeout  65;

    include /etc/nginx/conf.d/*.conf;
}
`;
const DEFAULT_CONF = `server {
    listen       80;
    server_name  localhost;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
`;
const ENTRYPOINT = `#!/bin/sh
# As in the official image: before nginx starts, run the scripts in /docker-entrypoint.d.
set -e
if [ "$1" = "nginx" ] || [ "$1" = "nginx-debug" ]; then
  for script in /docker-entrypoint.d/*.sh; do
    if [ -x "$script" ]; then "$script"; fi
  done
fi
exec "$@"
`;
const ENVSUBST = `#!/bin/sh
# /etc/nginx/templates/<name>.template → /etc/nginx/conf.d/<name>, with the environment's
# variables (and only those) substituted, like the official image's 20-envsubst-on-templates.sh.
set -e
template_dir="\${NGINX_ENVSUBST_TEMPLATE_DIR:-/etc/nginx/templates}"
suffix="\${NGINX_ENVSUBST_TEMPLATE_SUFFIX:-.template}"
output_dir="\${NGINX_ENVSUBST_OUTPUT_DIR:-/etc/nginx/conf.d}"
[ -d "$template_dir" ] || exit 0
command -v envsubst >/dev/null || exit 0
defined_envs=$(printf '\${%s} ' $(env | cut -d= -f1))
find "$template_dir" -follow -type f -name "*$suffix" -print | while read -r template; do
  relative="\${template#"$template_dir/"}"
  output="$output_dir/\${relative%"$suffix"}"
  mkdir -p "$(dirname "$output")"
  envsubst "$defined_envs" < "$template" > "$output"
done
`;
const INDEX = `<!DOCTYPE html>
<html>
<head><title>Welcome to nginx!</title></head>
<body><h1>Welcome to nginx!</h1><p>ProdSprint stand-in: nginx from this machine's Debian packages.</p></body>
</html>
`;
const ERROR_PAGE = `<!DOCTYPE html>
<html>
<head><title>Error</title></head>
<body><h1>An error occurred.</h1></body>
</html>
`;

function hostNginx(context: HostContext): { version: string; packages: string[] } | undefined {
  const item =
    context.database.packages.get('nginx') ?? context.database.packages.get('nginx-light');
  const version = item ? /^(?:\d+:)?(\d+\.\d+\.\d+)/.exec(item.version)?.[1] : undefined;
  if (!item || !version) return undefined;
  const envsubst = context.database.packages.has('gettext-base') ? ['gettext-base'] : [];
  return { version, packages: [item.name, ...envsubst] };
}

export const nginxFamily: StandInFamily = {
  name: 'nginx',
  examples: ['nginx:alpine', 'nginx:1.25', 'nginx:stable-alpine', 'nginx:1.13-alpine'],
  describe: (context) =>
    `${debianLabel()} + nginx ${hostNginx(context)?.version ?? '(not installed)'} in the official image's layout; another version: a warning`,
  matches: (ref) => ref.official && ref.name === 'nginx',
  offer: async (ref: ImageReference, context: HostContext): Promise<StandInAnswer> => {
    const nginx = hostNginx(context);
    if (!nginx) return { available: false, family: 'nginx', reason: 'nginx is not installed here' };
    const tag = splitTag(ref.tag, (word) => MOVING.has(word));
    const requested = tag.version ?? 'latest';
    if (!MOVING.has(requested) && !/^1(?:\.\d+){0,2}$/.test(requested))
      return { available: false, family: 'nginx', reason: `nginx:${ref.tag} is not an nginx tag` };
    const difference = differenceFrom(tag.os);
    const warnings = [...difference.warnings];
    const minor = nginx.version.split('.').slice(0, 2).join('.');
    if (MOVING.has(requested))
      warnings.push(
        `nginx:${requested} moves with nginx releases; nginx ${nginx.version} stands in`,
      );
    else if (requested !== '1' && requested !== minor && !requested.startsWith(`${minor}.`))
      warnings.push(
        `nginx ${requested} requested: nginx ${nginx.version} stands in (the version differs)`,
      );
    if (tag.rest.length)
      warnings.push(`modules not stood in: ${tag.rest.join(', ')} (the stand-in is plain nginx)`);
    return {
      available: true,
      family: 'nginx',
      offer: {
        content: {
          key: `nginx-${nginx.version}`,
          flavor: 'debian',
          packages: nginx.packages,
          hashInputs: [codeOf(import.meta.url)],
          changes: [
            `ENV NGINX_VERSION=${nginx.version}`,
            `ENV PATH=${DEFAULT_PATH}`,
            'EXPOSE 80',
            'ENTRYPOINT ["/docker-entrypoint.sh"]',
            'CMD ["nginx", "-g", "daemon off;"]',
          ],
          stopSignal: 'SIGQUIT',
          actual: `nginx ${nginx.version} on ${debianLabel()}`,
          customize: (root) => {
            addUser(root, {
              name: 'nginx',
              uid: 101,
              gid: 101,
              home: '/nonexistent',
              shell: '/bin/false',
            });
            writeInRoot(root, '/etc/nginx/nginx.conf', NGINX_CONF);
            writeInRoot(root, '/etc/nginx/conf.d/default.conf', DEFAULT_CONF);
            writeInRoot(root, '/usr/share/nginx/html/index.html', INDEX);
            writeInRoot(root, '/usr/share/nginx/html/50x.html', ERROR_PAGE);
            linkInRoot(root, '/var/log/nginx/access.log', '/dev/stdout');
            linkInRoot(root, '/var/log/nginx/error.log', '/dev/stderr');
            writeInRoot(root, '/var/cache/nginx/.keep', '');
            writeInRoot(root, '/var/lib/nginx/.keep', '');
            writeInRoot(root, '/docker-entrypoint.sh', ENTRYPOINT, 0o755);
            writeInRoot(root, '/docker-entrypoint.d/20-envsubst-on-templates.sh', ENVSUBST, 0o755);
          },
        },
        warnings,
        variantChanged: difference.variantChanged,
        missingPackageManagers: difference.missingPackageManagers,
      },
    };
  },
};
