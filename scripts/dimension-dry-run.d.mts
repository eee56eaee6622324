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
export function applyEdits(edits: DryRunEdit[], read: (path: string) => string | null, write: (path: string, text: string) => void): void;
export function classify(paths: string[]): { handEdited: string[]; tests: string[]; generated: string[] };
