import canonicalizeModule from 'canonicalize';

/**
 * RFC 8785 JSON Canonicalization Scheme (https://www.rfc-editor.org/rfc/rfc8785) from the
 * `canonicalize` package, by one of the RFC's authors. The package is CommonJS
 * (`module.exports = serialize`) while its typings declare an ES default export; under
 * `nodenext` that makes TypeScript see a namespace, so the call signature is restated here.
 */
export const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;
