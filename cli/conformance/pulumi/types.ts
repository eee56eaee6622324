/** Shapes shared by the synthesis harness, the resource policies and the cloud modules. */
import type { InstallSettings } from '../../../stacks/settings.js';

export interface SynthesizedResource {
  urn: string;
  /** Provider type token, e.g. aws:ec2/vpc:Vpc, or installctl:aws:Network for components. */
  type: string;
  name: string;
  /** The parent's type token, or null for a root resource. */
  parentType: string | null;
  custom: boolean;
  inputs: Record<string, any>;
  /** The resource option ignoreChanges (property paths), when set. */
  ignoreChanges?: string[];
}

export interface Synthesis {
  stack: string;
  settings: InstallSettings;
  resources: SynthesizedResource[];
  /** Data-source functions the program called, sorted. */
  invokes: string[];
  /** Errors raised by the program (component argument checks, failed applies). */
  errors: string[];
  /** The program's exported stack outputs, resolved (outputs, agentPlatformValues, modelServerValues). */
  outputs: Record<string, unknown>;
}

export interface Violation {
  policy: string;
  /** type::name of the offending resource, or null for a missing one. */
  resource: string | null;
  message: string;
}

export interface PolicyContext {
  settings: InstallSettings;
  resources: SynthesizedResource[];
  ofType(type: string): SynthesizedResource[];
}

/** What the synthesis harness and the policies know about one platform's cloud (on-prem's: none of it). */
export interface CloudModule {
  /** Provider package prefix in type tokens: aws, azure-native, gcp; null when the platform has no cloud provider. */
  provider: string | null;
  /** Outputs the mock returns for a resource, beyond echoing its inputs. */
  computed(type: string, name: string, inputs: Record<string, any>, settings: InstallSettings): Record<string, unknown>;
  /** Results of data-source calls. */
  invoke(token: string, inputs: Record<string, any>, settings: InstallSettings): Record<string, unknown>;
  /** The install and customer tag values as the stacks write them (GCP label values are restricted). */
  tagValue(value: string): string;
  /** The tags or labels a resource carries, from its inputs. */
  tagsOf(resource: SynthesizedResource): Record<string, string> | undefined;
  /** Input properties that carry tags or labels, as named in the provider's Args interfaces. */
  tagProperties: string[];
  /** Cloud-specific policies (air-gapped exposure, private API, encryption, GPU pool, model service). */
  policies: Array<(context: PolicyContext) => Violation[]>;
  /** Input properties worth keeping in the golden resource snapshots. */
  keyProperties: string[];
}

export function resourceId(resource: Pick<SynthesizedResource, 'type' | 'name'>): string {
  return `${resource.type}::${resource.name}`;
}
