// Types of scripts/fetch-helm.mjs for the TypeScript tests.
export interface HelmTool {
  /** Absolute path of the helm binary. */
  helm: string;
  /** `helm version --short`, e.g. v3.17.2+gcc0bbbd. */
  version: string;
}

export const HELM_TOOLS: ReadonlyArray<{ dir: string; package: string; version: RegExp }>;

export function fetchHelm(): Promise<{ helm3: HelmTool; helm4: HelmTool }>;
