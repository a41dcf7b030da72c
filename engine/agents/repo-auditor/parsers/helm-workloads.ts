/**
 * Workloads in Helm chart templates, read line by line: templates are Go templates, not YAML,
 * so they are never parsed as YAML. Per document (`---`): the top-level `kind`, `metadata.name`,
 * a hook annotation, and for each entry of `containers:` its name, image, command/args (inline
 * `[…]` or a block list) and container ports. Template expressions that are plain values
 * references (`{{ .Values.api.name }}`, `{{- .Values.image.repository -}}`) are filled from the
 * chart's values.yaml; anything else (`include`, pipes, `.Release.Name`) stays unknown: a name
 * that stays unknown is left empty (the caller names it after the template or the chart), an
 * image keeps only what is known (an unknown tag is dropped). Lines starting with `{{` (control
 * flow) are skipped, so both branches of an `if` are read.
 * https://helm.sh/docs/chart_template_guide/
 */
import { ev } from '../evidence.ts';
import { isRecord } from './compose.ts';
import type { K8sWorkload, WorkloadContainer } from './k8s-workloads.ts';
import { HOOK_ANNOTATIONS } from './k8s-workloads.ts';

const VALUES_REF = /\{\{-?\s*\.Values\.([A-Za-z0-9_.]+)\s*-?\}\}/g;
const ANY_TEMPLATE = /\{\{[^}]*\}\}/;

/** `text` with plain `.Values` references filled from `values`; undefined parts stay as `{{…}}`. */
export function fillValues(text: string, values: unknown): string {
  return text.replace(VALUES_REF, (whole, path: string) => {
    let at: unknown = values;
    for (const key of path.split('.')) at = isRecord(at) ? at[key] : undefined;
    return typeof at === 'string' || typeof at === 'number' ? String(at) : whole;
  });
}

interface Line {
  indent: number;
  text: string;
  number: number;
}

export function helmTemplateWorkloads(path: string, text: string, values: unknown): K8sWorkload[] {
  const out: K8sWorkload[] = [];
  let doc: Line[] = [];
  const flush = () => {
    const workload = workloadOfLines(path, doc, values);
    if (workload) out.push(workload);
    doc = [];
  };
  text.split('\n').forEach((raw, index) => {
    const trimmed = raw.trim();
    if (/^---/.test(trimmed)) return flush();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('{{')) return;
    doc.push({ indent: raw.length - raw.trimStart().length, text: trimmed, number: index + 1 });
  });
  flush();
  return out;
}

function scalar(text: string, values: unknown): string {
  const filled = fillValues(text, values).trim();
  return /^(["']).*\1$/.test(filled) ? filled.slice(1, -1) : filled;
}

function workloadOfLines(path: string, lines: Line[], values: unknown): K8sWorkload | undefined {
  const kindLine = lines.find((line) => line.indent === 0 && line.text.startsWith('kind:'));
  if (!kindLine) return undefined;
  const kind = scalar(kindLine.text.slice(5), values);
  const metadata = lines.findIndex((line) => line.indent === 0 && line.text === 'metadata:');
  let name = '';
  for (let at = metadata + 1; metadata >= 0 && at < lines.length; at += 1) {
    const line = lines[at];
    if (!line || line.indent === 0) break;
    if (line.text.startsWith('name:')) {
      const value = scalar(line.text.slice(5), values);
      name = ANY_TEMPLATE.test(value) ? '' : value;
      break;
    }
  }
  let hook: string | null = null;
  for (const line of lines) {
    const key = HOOK_ANNOTATIONS.find((item) => line.text.startsWith(`${item}:`));
    if (key) hook = scalar(line.text.slice(key.length + 1), values);
  }
  return {
    kind,
    name,
    hook,
    containers: containersOf(path, lines, values),
    evidence: ev(path, kindLine.number),
  };
}

/** The entries of every `containers:` block (not `initContainers:`). */
function containersOf(path: string, lines: Line[], values: unknown): WorkloadContainer[] {
  const out: WorkloadContainer[] = [];
  for (let at = 0; at < lines.length; at += 1) {
    const block = lines[at];
    if (block?.text !== 'containers:') continue;
    let item: { container: WorkloadContainer; words: string[] } | undefined;
    let itemIndent = -1;
    /** True while the lines are a block list under `command:` or `args:`. */
    let collecting = false;
    for (at += 1; at < lines.length; at += 1) {
      const line = lines[at];
      if (!line) break;
      const isItem = line.text.startsWith('- ');
      if (itemIndent < 0 && isItem && line.indent >= block.indent) itemIndent = line.indent;
      if (itemIndent < 0 || line.indent < itemIndent || (line.indent === itemIndent && !isItem)) {
        at -= 1;
        break;
      }
      if (line.indent === itemIndent) {
        if (item) out.push(finish(item.container, item.words));
        const container = {
          name: '',
          image: null,
          command: null,
          ports: [],
          evidence: ev(path, line.number),
        };
        item = { container, words: [] };
        collecting = false;
      }
      if (!item) continue;
      const body = line.indent === itemIndent ? line.text.slice(2).trim() : line.text;
      const keyIndent = line.indent === itemIndent ? itemIndent + 2 : line.indent;
      if (collecting && keyIndent >= itemIndent + 2 && body.startsWith('- ')) {
        item.words.push(scalar(body.slice(2), values));
        continue;
      }
      const port = /^-?\s*containerPort:\s*(\d{1,5})\s*$/.exec(body);
      if (port) item.container.ports.push(Number(port[1]));
      if (port || keyIndent !== itemIndent + 2) continue;
      const pair = /^([A-Za-z]+):\s*(.*)$/.exec(body);
      collecting = false;
      if (!pair) continue;
      const [, key, rest = ''] = pair;
      if (key === 'name') item.container.name = scalar(rest, values);
      else if (key === 'image') item.container.image = imageOf(scalar(rest, values));
      else if (key === 'command' || key === 'args') {
        const inline = /^\[(.*)\]$/.exec(rest.trim());
        if (inline?.[1] !== undefined)
          item.words.push(...inline[1].split(',').map((word) => scalar(word, values)));
        else if (rest.trim() === '') collecting = true;
        else item.words.push(scalar(rest, values));
      }
    }
    if (item) out.push(finish(item.container, item.words));
  }
  return out;
}

function finish(container: WorkloadContainer, words: string[]): WorkloadContainer {
  const command = words.filter((word) => word !== '').join(' ');
  return {
    ...container,
    command: command === '' || ANY_TEMPLATE.test(command) ? null : command,
  };
}

/** An image whose tag is still a template keeps its repository; an unknown repository is null. */
function imageOf(image: string): string | null {
  if (!ANY_TEMPLATE.test(image)) return image === '' ? null : image;
  const colon = image.lastIndexOf(':');
  const repository = colon > image.lastIndexOf('/') ? image.slice(0, colon) : image;
  return ANY_TEMPLATE.test(repository) || repository === '' ? null : repository;
}
