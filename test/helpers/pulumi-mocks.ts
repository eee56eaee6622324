/** Runs component constructors under Pulumi mocks and returns what they registered. */
import { loadPulumi } from '../../cli/conformance/pulumi/synthesize.js';

export interface Registered {
  type: string;
  name: string;
  custom: boolean;
  inputs: Record<string, any>;
}

export async function registered(create: () => void): Promise<{ resources: Registered[]; error: Error | null }> {
  const pulumi = await loadPulumi();
  const resources: Registered[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        resources.push({ type: args.type, name: args.name, custom: args.custom ?? false, inputs: args.inputs });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: () => ({}),
    },
    'installctl',
    'test',
    false,
  );
  let error: Error | null = null;
  try {
    create();
  } catch (caught) {
    error = caught as Error;
  }
  await pulumi.runtime.disconnect();
  return { resources, error };
}
