// The bounds on a scenario file (issue 5, "Input limits"), checked on the parsed YAML before anything
// converts or validates it, in one pass over its nodes: the file's size, the entries of one list or
// mapping, the nesting depth, duplicate keys (found here with a set, so that a mapping of many keys
// costs linear time, not yaml's quadratic check), and the values aliases expand to (an alias bomb is
// refused at the alias, before it is expanded). The README's "Input limits" lists the same numbers.

import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import { PRINTED_PROBLEMS, type ScenarioIssue } from './scenario-error.js';

export const SCENARIO_LIMITS = {
  /** Size of a scenario file. */
  fileBytes: 4 * 1024 * 1024,
  /** Elements of one list or keys of one mapping. */
  entries: 100_000,
  /** Lists and mappings inside one another. */
  depth: 32,
  /** Values (scalars, lists, mappings) of the scenario once every alias is expanded. */
  expandedValues: 1_000_000,
  /** Aliases (`*name`) in one file. */
  aliases: 1_000,
  /** Problems printed for one file; the rest are counted. */
  printedProblems: PRINTED_PROBLEMS,
  /** `--set` overrides on one command line. */
  overrides: 1_000,
} as const;

const MIB = 1024 * 1024;

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/** Finds every limit a document breaks; empty when it keeps them all. */
export function documentLimitIssues(doc: Document, lineCounter: LineCounter, file: string): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const at = (node: Node | undefined, message: string) => {
    const offset = node?.range?.[0] ?? 0;
    const { line, col } = lineCounter.linePos(offset);
    issues.push({ file, line, column: col, message });
  };
  /** Expanded size of each collection reached so far; `null` while it is being measured (an alias to it is a cycle). */
  const sizes = new Map<Node, number | null>();
  /** The node each anchor names at this point of the document (a later anchor of the same name replaces it). */
  const anchors = new Map<string, Node>();
  let aliases = 0;
  let worst: { alias: Node; name: string; size: number } | undefined;
  let tooDeep = false;

  const measure = (node: unknown, depth: number): number => {
    if (isAlias(node)) {
      aliases += 1;
      if (aliases === SCENARIO_LIMITS.aliases + 1) at(node, `more than ${SCENARIO_LIMITS.aliases} aliases; at most ${SCENARIO_LIMITS.aliases} are allowed`);
      const target = anchors.get(node.source);
      const size = target === undefined ? 1 : sizes.get(target);
      if (size === null) {
        at(node, `alias *${node.source} refers to the collection that holds it`);
        return 1;
      }
      if (worst === undefined || (size ?? 1) > worst.size) worst = { alias: node, name: node.source, size: size ?? 1 };
      return size ?? 1;
    }
    if (!isMap(node) && !isSeq(node) && !isScalar(node)) return 1;
    if (node.anchor !== undefined) anchors.set(node.anchor, node);
    if (isScalar(node)) {
      sizes.set(node, 1);
      return 1;
    }
    if (depth > SCENARIO_LIMITS.depth) {
      if (!tooDeep) at(node, `lists and mappings nest more than ${SCENARIO_LIMITS.depth} deep; a scenario needs far fewer`);
      tooDeep = true;
      return 1;
    }
    if (node.items.length > SCENARIO_LIMITS.entries) {
      const what = isMap(node) ? 'mapping has' : 'list has';
      at(node, `this ${what} ${node.items.length} entries; at most ${SCENARIO_LIMITS.entries} are allowed`);
    }
    sizes.set(node, null);
    let size = 1;
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = keyText(pair.key);
        if (seen.has(key)) at(pair.key as Node, `duplicate key "${key}": each key may appear once in a mapping`);
        seen.add(key);
        size += measure(pair.value, depth + 1);
      }
    } else {
      for (const item of node.items) size += measure(item, depth + 1);
    }
    sizes.set(node, size);
    return size;
  };

  const total = measure(doc.contents, 1);
  if (total > SCENARIO_LIMITS.expandedValues && worst !== undefined) {
    at(
      worst.alias,
      `aliases expand the scenario to ${total} values; at most ${SCENARIO_LIMITS.expandedValues} are allowed (*${worst.name} alone repeats ${worst.size})`,
    );
  }
  return issues;
}

/** Why a file of `sizeBytes` is refused, or undefined when it is within the limit. */
export function fileSizeProblem(sizeBytes: number): string | undefined {
  if (sizeBytes <= SCENARIO_LIMITS.fileBytes) return undefined;
  return `the file is ${(sizeBytes / MIB).toFixed(1)} MiB; scenario files are limited to ${SCENARIO_LIMITS.fileBytes / MIB} MiB`;
}
