import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CoverageParseError } from './coverage-report.ts';

export type XmlNode = Record<string, unknown>;

/**
 * Parses a coverage XML report. Entity processing is off: reports never need it, and it is how
 * hostile XML (billion laughs, external entities) does damage.
 */
export function parseXml(text: string, source: string, repeated: ReadonlySet<string>): XmlNode {
  const valid = XMLValidator.validate(text);
  if (valid !== true)
    throw new CoverageParseError(
      source,
      `not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`,
    );
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    processEntities: false,
    htmlEntities: false,
    parseAttributeValue: false,
    isArray: (name) => repeated.has(name),
  });
  return parser.parse(text) as XmlNode;
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export function intAttribute(node: XmlNode | undefined, name: string): number | undefined {
  const value = node?.[`@${name}`];
  if (value === undefined) return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}
