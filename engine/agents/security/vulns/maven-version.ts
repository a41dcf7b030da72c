/**
 * Maven version ordering, following org.apache.maven.artifact.versioning.ComparableVersion
 * (https://maven.apache.org/pom.html#version-order-specification): a version is a list of
 * integer, qualifier and sub-list items; `-` opens a sub-list, a digit/letter switch opens one
 * too; known qualifiers order alpha < beta < milestone < rc < snapshot < release < sp, unknown
 * qualifiers sort after them lexically; trailing "null" items (0, "", ga, final, release) drop;
 * as in Maven 3.9, a qualifier after a dot (`2.0.a`) is read like one after a dash (`2.0-a`).
 */

type Item = { kind: 'int'; value: bigint } | { kind: 'str'; value: string } | ListItem;
interface ListItem {
  kind: 'list';
  items: Item[];
}

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const RELEASE_INDEX = String(QUALIFIERS.indexOf(''));

/** Negative, zero or positive as `a` sorts before, equal to or after `b`. */
export function compareMavenVersions(a: string, b: string): number {
  return sign(compareItems(parse(a), parse(b)));
}

function parse(version: string): ListItem {
  const text = version.toLowerCase();
  const root: ListItem = { kind: 'list', items: [] };
  const stack: ListItem[] = [root];
  let list = root;
  let isDigit = false;
  let start = 0;
  const open = () => {
    const child: ListItem = { kind: 'list', items: [] };
    list.items.push(child);
    list = child;
    stack.push(child);
  };
  // Maven 3.9 treats `.X` as `-X` for a qualifier X: it goes into a sub-list of its own.
  const push = (next: Item) => {
    if (next.kind === 'str' && list.items.length > 0) open();
    list.items.push(next);
  };
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (c === '.' || c === '-') {
      list.items.push(
        i === start ? { kind: 'int', value: 0n } : item(isDigit, text.slice(start, i)),
      );
      start = i + 1;
      if (c === '-') open();
    } else if (c >= '0' && c <= '9') {
      if (!isDigit && i > start) {
        // `1.0.0.X1` is read as `1.0.0-X-1`: a qualifier followed by a number.
        push(stringItem(text.slice(start, i), true));
        start = i;
        open();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        push(item(true, text.slice(start, i)));
        start = i;
        open();
      }
      isDigit = false;
    }
  }
  if (text.length > start) push(item(isDigit, text.slice(start)));
  while (stack.length > 0) normalise(stack.pop()!);
  return root;
}

function item(isDigit: boolean, text: string): Item {
  return isDigit ? { kind: 'int', value: BigInt(text) } : stringItem(text, false);
}

function stringItem(value: string, followedByDigit: boolean): Item {
  let out = value;
  if (followedByDigit && value.length === 1) {
    out = ({ a: 'alpha', b: 'beta', m: 'milestone' } as Record<string, string>)[value] ?? value;
  }
  return { kind: 'str', value: ALIASES[out] ?? out };
}

/** Drops trailing null items, stopping at the first non-null item that is not a list. */
function normalise(list: ListItem): void {
  for (let i = list.items.length - 1; i >= 0; i -= 1) {
    const last = list.items[i]!;
    if (isNull(last)) list.items.splice(i, 1);
    else if (last.kind !== 'list') break;
  }
}

function isNull(item: Item): boolean {
  if (item.kind === 'int') return item.value === 0n;
  if (item.kind === 'str') return comparable(item.value) === RELEASE_INDEX;
  return item.items.length === 0;
}

function comparable(qualifier: string): string {
  const index = QUALIFIERS.indexOf(qualifier);
  return index === -1 ? `${QUALIFIERS.length}-${qualifier}` : String(index);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareItems(left: Item | undefined, right: Item | undefined): number {
  if (left === undefined) return right === undefined ? 0 : -compareItems(right, undefined);
  if (left.kind === 'int') {
    if (right === undefined) return left.value === 0n ? 0 : 1;
    if (right.kind === 'int')
      return left.value < right.value ? -1 : left.value > right.value ? 1 : 0;
    return 1;
  }
  if (left.kind === 'str') {
    if (right === undefined) return compareStrings(comparable(left.value), RELEASE_INDEX);
    if (right.kind === 'str')
      return compareStrings(comparable(left.value), comparable(right.value));
    return -1;
  }
  if (right === undefined)
    return left.items.length === 0 ? 0 : compareItems(left.items[0], undefined);
  if (right.kind === 'int') return -1;
  if (right.kind === 'str') return 1;
  const length = Math.max(left.items.length, right.items.length);
  for (let i = 0; i < length; i += 1) {
    const result = compareItems(left.items[i], right.items[i]);
    if (result !== 0) return result;
  }
  return 0;
}

function sign(value: number): number {
  return value < 0 ? -1 : value > 0 ? 1 : 0;
}
