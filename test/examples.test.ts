import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { loadSpecFile } from '../cli/install-spec/load-spec.js';
import { supportMatrix } from '../cli/matrix/engine.js';
import { exampleFiles } from './helpers/specs.js';

const files = exampleFiles();
const results = files.map((file) => loadSpecFile(file));

describe('examples/', () => {
  it('holds at least 8 specs', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  it.each(files.map((file, index) => [basename(file), index] as const))('%s is valid, realistic and editor-ready', (_, index) => {
    const result = results[index]!;
    expect(result.issues, JSON.stringify(result.issues)).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(readFileSync(files[index]!, 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/install.schema.json');
  });

  it('together use every value of every dimension', () => {
    const { dimensions } = supportMatrix();
    for (const [dimension, values] of Object.entries(dimensions)) {
      const used = new Set(results.map((result) => result.cell![dimension as keyof typeof dimensions]));
      expect([...used].sort(), dimension).toEqual([...values].sort());
    }
  });

  it('include a conditional cell with its acknowledgement', () => {
    expect(results.some((result) => result.cell!.status === 'conditional')).toBe(true);
  });

  it('are named after their cell', () => {
    for (const result of results) {
      const name = basename(result.file, '.yaml');
      expect(name.startsWith(result.cell!.platform + '-')).toBe(true);
      expect(name.endsWith(result.cell!.network)).toBe(true);
    }
  });
});
