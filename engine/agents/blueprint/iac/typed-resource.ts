/**
 * Our own small typed constructs for the Terraform resources a blueprint emits (issue 7): each
 * is a TerraformResource subclass whose config type names the attributes we set, in Terraform's
 * own snake_case, so synthesis copies them verbatim. No prebuilt provider package is needed,
 * which keeps hundreds of MB of generated bindings out of an air-gapped install.
 */
import { TerraformProvider, TerraformResource } from 'cdktn';
import type { Construct } from 'constructs';

export type Attributes = Record<string, unknown>;

/** A resource whose attributes are typed by `C` and emitted verbatim. */
export class TypedResource<C extends Attributes> extends TerraformResource {
  readonly attributes: C;

  constructor(scope: Construct, id: string, type: string, provider: string, attributes: C) {
    super(scope, id, {
      terraformResourceType: type,
      terraformGeneratorMetadata: { providerName: provider },
    });
    this.attributes = attributes;
    // Readable, stable addresses (`db_postgres`) instead of path hashes: the plan shows them.
    this.overrideLogicalId(id.replace(/[^A-Za-z0-9_]/g, '_'));
  }

  /** `${type.name.attr}` for use in another resource's attributes. */
  ref(attribute: string): string {
    return `\${${this.terraformResourceType}.${this.friendlyUniqueId}.${attribute}}`;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { ...this.attributes };
  }
}

/** A TypedResource subclass bound to one Terraform resource type. */
export interface ResourceClass<C extends Attributes> {
  new (scope: Construct, id: string, attributes: C): TypedResource<C>;
  readonly terraformType: string;
}

/** Declares a typed resource class for one Terraform resource type. */
export function resourceType<C extends Attributes>(
  type: string,
  provider: string,
): ResourceClass<C> {
  return class extends TypedResource<C> {
    static readonly terraformType = type;

    constructor(scope: Construct, id: string, attributes: C) {
      super(scope, id, type, provider, attributes);
    }
  };
}

export interface ProviderSpec {
  /** Local name, e.g. `aws`. */
  name: string;
  /** Registry address as the internal mirror serves it, e.g. `hashicorp/aws`. */
  source: string;
  version: string;
}

/** A provider block with its attributes; the mirror decides where the binary comes from. */
export class MirroredProvider extends TerraformProvider {
  readonly attributes: Attributes;

  constructor(scope: Construct, spec: ProviderSpec, attributes: Attributes) {
    super(scope, spec.name, {
      terraformResourceType: spec.name,
      terraformGeneratorMetadata: {
        providerName: spec.name,
        providerVersionConstraint: spec.version,
      },
      terraformProviderSource: spec.source,
    });
    this.attributes = attributes;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { ...this.attributes };
  }
}
