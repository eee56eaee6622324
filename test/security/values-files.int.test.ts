/**
 * Adversarial suite, boundary "spec -> YAML values / Pulumi config" (issue 10): strings a spec may
 * hold (YAML indicators, quotes, template actions, unicode, and words or numbers a YAML 1.1 reader
 * takes for booleans, numbers or dates) go through `installctl render`, and every reader of the
 * emitted helm/*.values.yaml and pulumi/Pulumi.<name>.yaml reads back exactly the intended string,
 * with nothing added: YAML 1.2 and YAML 1.1 (the `yaml` library) and Helm 3 and Helm 4 themselves
 * (go-yaml, which also takes Go's number syntax). Each case is compared with a render of a harmless
 * marker in the same field: the hostile render must read as the marker's with the marker replaced.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { render } from '../../cli/services/render.js';
import { runHelm } from '../../cli/conformance/helm/helm.js';
import { helmBinaries, type HelmBinary } from '../charts/helpers.js';
import { loadExample, withValue } from '../helpers/specs.js';

const EXAMPLE = 'aws-ghes-self-hosted-air-gapped.yaml';
const FILES = ['helm/agent-platform.values.yaml', 'helm/model-server.values.yaml', 'pulumi/Pulumi.acme-gov.yaml'];

/** Words and numbers YAML 1.1 or Go reads as something else than a string (each valid in the fields below). */
const AMBIGUOUS = ['yes', 'No', 'ON', 'off', 'y', 'N', 'true', 'null', 'Null', '1_000', '1:20', '0o17', '0b101', '0x1F', '012', '1e3', '2026-01-01'];

interface Field {
  name: string;
  /** The spec with the string in this field. */
  set: (spec: unknown, text: string) => unknown;
  /** A harmless string of the same shape, for the reference render. */
  marker: string;
  strings: string[];
}

const FIELDS: Field[] = [
  {
    name: 'metadata.customer',
    set: (spec, text) => withValue(spec, 'metadata.customer', text),
    marker: 'Zqmarker Corp',
    strings: [
      'Acme: Corp',
      'Acme # Corp',
      '#Acme',
      '"Acme" \'Corp\'',
      "'Acme",
      '{{ .Release.Name }}',
      '{{ .Files.Get "x" }}',
      '- Acme',
      '? Acme',
      '&a Acme *a !tag',
      '@Acme `Corp`',
      '%YAML 1.2',
      '---',
      '...',
      '[Acme]',
      '{a: b}',
      'a | b > c',
      'Acme\\Corp',
      '~',
      'Ünïcødé ☃ 北京 🚀',
      'Acme: {x: y}, [z]',
      ...AMBIGUOUS,
    ],
  },
  {
    name: 'metadata.labels (value)',
    set: (spec, text) => withValue(spec, 'metadata.labels', { 'acme.io/team': text }),
    marker: 'zqmarker',
    strings: AMBIGUOUS.filter((text) => /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(text)),
  },
  {
    name: 'metadata.labels (key)',
    set: (spec, text) => withValue(spec, 'metadata.labels', { [text]: 'x' }),
    marker: 'zqmarker',
    strings: [...AMBIGUOUS.filter((text) => /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(text)), 'acme.io/on', 'acme.io/1_000'],
  },
  {
    name: 'spec.scm.organizations',
    set: (spec, text) => withValue(spec, 'spec.scm.organizations', [text, 'platform']),
    marker: 'zqmarker',
    strings: AMBIGUOUS.filter((text) => /^[A-Za-z0-9][-A-Za-z0-9_.]*$/.test(text)),
  },
  {
    name: 'spec.models.catalog[].name',
    set: (spec, text) => withValue(spec, 'spec.models.catalog.1.name', text),
    marker: 'zqmarker',
    strings: ['yes', 'no', 'on', 'off', 'y', 'n', 'true', 'false', 'null', 'e3'],
  },
];

const CASES = FIELDS.flatMap((field) => [field.marker, ...field.strings].map((text) => ({ field, text })));
type Reader = 'yaml 1.2' | 'yaml 1.1' | 'helm3' | 'helm4';
const READERS: Reader[] = ['yaml 1.2', 'yaml 1.1', 'helm3', 'helm4'];
/** Per case index, per file, per reader: what it read. */
const read = new Map<number, Map<string, Map<Reader, unknown>>>();
let work: string;

/** Every case's emitted file as one YAML document, each indented under its own key, read by Helm in one go. */
async function readWithHelm(binary: HelmBinary, texts: Map<string, string>): Promise<Map<string, unknown>> {
  const chart = join(work, 'probe-chart');
  mkdirSync(join(chart, 'templates'), { recursive: true });
  writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: probe\nversion: 0.1.0\n');
  writeFileSync(join(chart, 'templates', 'dump.yaml'), '# {{ toJson .Values }}\n');
  const combined = [...texts].map(([key, text]) => `${key}:\n${text.replace(/^(?=.)/gm, '  ')}`).join('\n');
  const file = join(work, 'combined.yaml');
  writeFileSync(file, combined);
  const result = await runHelm(binary.helm, ['template', 'probe', chart, '-f', file]);
  if (!result.ok) throw new Error(`${binary.name} could not read the emitted files: ${result.stderr}`);
  const line = result.stdout.split('\n').find((candidate) => candidate.startsWith('# {'))!;
  return new Map(Object.entries(JSON.parse(line.slice(2)) as Record<string, unknown>));
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'spec-values-'));
  const example = loadExample(EXAMPLE);
  const texts = new Map<string, string>();
  CASES.forEach(({ field, text }, index) => {
    const specFile = join(work, `case-${index}.yaml`);
    writeFileSync(specFile, stringify(field.set(example, text)));
    const result = render({ spec: specFile, outDir: join(work, `out-${index}`) });
    if (!result.valid) throw new Error(`${field.name} ${JSON.stringify(text)} was refused: ${JSON.stringify(result.issues)}`);
    const files = new Map<string, Map<Reader, unknown>>();
    for (const path of FILES) {
      const text = readFileSync(join(work, `out-${index}`, path), 'utf8');
      files.set(
        path,
        new Map<Reader, unknown>([
          ['yaml 1.2', parse(text)],
          ['yaml 1.1', parse(text, { version: '1.1' })],
        ]),
      );
      texts.set(`c${index}_${FILES.indexOf(path)}`, text);
    }
    read.set(index, files);
  });
  for (const binary of await helmBinaries()) {
    for (const [key, value] of await readWithHelm(binary, texts)) {
      const [, index, file] = /^c(\d+)_(\d+)$/.exec(key)!;
      read.get(Number(index))!.get(FILES[Number(file)]!)!.set(binary.name, value);
    }
  }
}, 300_000);

/** The marker's reading with the marker replaced by the string, as JSON text. */
function expected(marker: unknown, field: Field, text: string): unknown {
  const escape = (value: string) => JSON.stringify(value).slice(1, -1);
  return JSON.parse(JSON.stringify(marker).split(escape(field.marker)).join(escape(text)));
}

describe.each(FIELDS)('spec -> values and Pulumi config: $name', (field) => {
  const markerIndex = CASES.findIndex((entry) => entry.field === field && entry.text === field.marker);
  it.each(field.strings)('%j reads back exactly, nothing added', (text) => {
    const index = CASES.findIndex((entry) => entry.field === field && entry.text === text);
    for (const reader of READERS) {
      const references = FILES.map((path) => JSON.stringify(read.get(markerIndex)!.get(path)!.get(reader)));
      expect(
        references.some((reference) => reference.includes(JSON.stringify(field.marker).slice(1, -1))),
        `the marker reaches a file (${reader})`,
      ).toBe(true);
      for (const path of FILES) {
        const reference = read.get(markerIndex)!.get(path)!.get(reader);
        expect(read.get(index)!.get(path)!.get(reader), `${path} read by ${reader}`).toEqual(expected(reference, field, text));
      }
    }
  });
});
