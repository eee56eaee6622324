// Types of scripts/dimension-dry-run.mjs for the TypeScript tests.
export interface DryRunEdit {
  path: string;
  why: string;
  /** The file's text (null: a new file) to its text with the fake value added. */
  edit(text: string | null): string;
}
export const FAKE_SCM: { id: string; def: string; title: string; exportName: string; label: string; saasHost: string };
export const GENERATED: RegExp[];
export const SCM_EDITS: DryRunEdit[];
export const FAKE_PLATFORM: { id: string; def: string; title: string; label: string; installClass: string };
export const PLATFORM_EDITS: DryRunEdit[];
export interface DryRunScenario {
  value: string;
  title: string;
  edits: DryRunEdit[];
  /** The vitest paths run (unit project) in the copy. */
  tests: string[];
  /** Whether tsconfig.test.json is typechecked too. */
  testTsconfig: boolean;
  /** The most hand-edited non-test files allowed; null: measured only. */
  goal: number | null;
}
export const SCENARIOS: { scm: DryRunScenario; platform: DryRunScenario };
export function applyEdits(edits: DryRunEdit[], read: (path: string) => string | null, write: (path: string, text: string) => void): void;
export function classify(paths: string[]): { handEdited: string[]; tests: string[]; generated: string[] };
