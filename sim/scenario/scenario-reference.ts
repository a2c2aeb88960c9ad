// The scenario file reference for the README, generated from the schema itself (through its JSON
// Schema) so that it cannot drift from what the loader accepts: one row per key path with its type,
// unit, default and meaning, and the Pinot configuration key it mirrors. Deterministic output.

import * as z from './zod.js';
import { scenarioSchema } from './scenario-schema.js';

/** The parts of a JSON Schema node the reference reads, with the scenario schema's own meta keys. */
interface JsonNode {
  readonly type?: string;
  readonly description?: string;
  readonly default?: unknown;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly anyOf?: readonly JsonNode[];
  readonly oneOf?: readonly JsonNode[];
  readonly properties?: Readonly<Record<string, JsonNode>>;
  readonly required?: readonly string[];
  readonly items?: JsonNode;
  readonly minItems?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly pattern?: string;
  readonly valueKind?: 'duration' | 'size';
  readonly range?: string;
  readonly unit?: string;
  readonly pinot?: string;
  readonly defaultNote?: string;
}

interface Row {
  readonly key: string;
  readonly node: JsonNode;
  readonly required: boolean;
}

const UNITS_OF_KIND = { duration: 'us, ms, s, m, h', size: 'B, KB, KiB, MB, MiB, GB, GiB, TB, TiB' } as const;

function code(value: unknown): string {
  return `\`${typeof value === 'string' && value !== '' ? value : JSON.stringify(value)}\``;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function numberText(node: JsonNode): string {
  const kind = node.type === 'integer' ? 'integer' : 'number';
  const max = node.maximum !== undefined && node.maximum < Number.MAX_SAFE_INTEGER ? node.maximum : undefined;
  if (node.exclusiveMinimum !== undefined) {
    return max === undefined ? `${kind} > ${node.exclusiveMinimum}` : `${kind} in (${node.exclusiveMinimum}, ${max}]`;
  }
  if (node.minimum !== undefined) {
    if (max === undefined) return `${kind} >= ${node.minimum}`;
    return kind === 'integer' ? `integer ${node.minimum} to ${max}` : `${kind} in [${node.minimum}, ${max}]`;
  }
  return kind;
}

function typeText(node: JsonNode): string {
  if (node.anyOf) return node.anyOf.map(typeText).join(' or ');
  if (node.const !== undefined) return code(node.const);
  if (node.enum) return `one of ${node.enum.map(code).join(', ')}`;
  if (node.valueKind) return node.range ? `${node.valueKind} ${node.range}` : node.valueKind;
  if (node.type === 'integer' || node.type === 'number') return numberText(node);
  if (node.type === 'object') return 'mapping';
  if (node.type === 'array') return node.minItems ? `list, at least ${node.minItems}` : 'list';
  if (node.pattern) return `text matching ${code(node.pattern)}`;
  return node.type === 'string' ? 'text' : (node.type ?? 'any');
}

function defaultText(row: Row): string {
  const { node } = row;
  if (node.defaultNote) return node.defaultNote;
  if (row.required) return '**required**';
  if (node.default === undefined) return 'none';
  if (node.type === 'object') return 'all defaults';
  return code(node.default);
}

function meaningText(node: JsonNode): string {
  const pinot = node.pinot ? ` Pinot: ${code(node.pinot)}.` : '';
  return cell(`${node.description ?? ''}${pinot}`.trim());
}

function unitText(node: JsonNode): string {
  if (node.valueKind) return UNITS_OF_KIND[node.valueKind];
  return node.unit ?? '';
}

/** Rows for `node`'s keys under `prefix`, depth first in schema order; list elements as `[]`. */
function rowsOf(node: JsonNode, prefix: string): Row[] {
  const rows: Row[] = [];
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    const key = `${prefix}.${name}`;
    rows.push({ key, node: child, required: node.required?.includes(name) ?? false });
    if (child.type === 'object') rows.push(...rowsOf(child, key));
    if (child.items?.type === 'object') rows.push(...rowsOf(child.items, `${key}[]`));
  }
  return rows;
}

function table(rows: readonly Row[]): string {
  const lines = ['| Key | Type | Unit | Default | Meaning |', '| --- | --- | --- | --- | --- |'];
  for (const row of rows) {
    const cells = [code(row.key), cell(typeText(row.node)), unitText(row.node), cell(defaultText(row)), meaningText(row.node)];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** A section per top-level mapping or list, its own row first; the top-level single values first. */
function sections(root: JsonNode): string[] {
  const rowOf = (key: string, node: JsonNode): Row => ({ key, node, required: root.required?.includes(key) ?? false });
  const properties = Object.entries(root.properties ?? {});
  const isSection = (node: JsonNode) => node.type === 'object' || node.type === 'array';
  const out = ['### Top level', table(properties.filter(([, node]) => !isSection(node)).map(([key, node]) => rowOf(key, node)))];
  for (const [key, node] of properties) {
    if (!isSection(node)) continue;
    out.push(`### \`${key}\``, table([rowOf(key, node), ...rowsOf(node, key)]));
    for (const option of node.items?.oneOf ?? []) {
      const kind = option.properties?.kind?.const;
      out.push(`#### ${code(`kind: ${String(kind)}`)}`, option.description ?? '', table(rowsOf(option, `${key}[]`)));
    }
  }
  return out;
}

const PREAMBLE = [
  '## Scenario file reference',
  'A scenario is a YAML file. Every key below is optional unless marked **required**; the resolved scenario a run writes shows every default. Unknown keys are errors.',
  'Durations carry a unit: `us`, `ms`, `s`, `m` or `h` (e.g. `250us`, `0.1ms`, `30s`, `2m`); a bare number is an error. Sizes carry one of `B`, `KB`, `KiB`, `MB`, `MiB`, `GB`, `GiB`, `TB`, `TiB`.',
  'Any key can be overridden on the command line with `--set path=value`, list elements by index: `--set routing.selector=hybrid`, `--set workload.classes.0.qps=3000`.',
];

/** The reference as Markdown. */
export function renderScenarioReference(): string {
  return renderSchemaReference(scenarioSchema, PREAMBLE);
}

/** The reference of any scenario schema (cluster or cache scenarios) as Markdown, after a preamble. */
export function renderSchemaReference(schema: z.ZodType, preamble: readonly string[]): string {
  const root = z.toJSONSchema(schema, { io: 'input' }) as JsonNode;
  return `${[...preamble, ...sections(root)].filter((block) => block !== '').join('\n\n')}\n`;
}
