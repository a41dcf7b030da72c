/**
 * The WHATWG Encoding API's two classes, as the Rego core uses them. Node and browsers both
 * have them; the core's own tsconfig (tsconfig.rego.json) has neither Node nor DOM types, so
 * they are declared here for it alone.
 */
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}

declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}
