// Maps a key path of the scenario (`workload.classes.0.qps`) to where the operator has to look: the
// line and column of that value in the YAML file, of the deepest mapping or list on the way to it
// when the file lacks it (a missing key), or the `--set` override that wrote it.

import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair, type YAMLMap } from 'yaml';
import type { ScenarioIssue } from './scenario-error.js';
import type { KeyPath } from './schema-walk.js';

/** A `--set` override as applied: its label for messages and the path it wrote. */
export interface AppliedOverride {
  readonly label: string;
  readonly path: KeyPath;
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

function startsWith(path: KeyPath, prefix: KeyPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => String(segment) === String(path[i]));
}

export class IssueLocator {
  /** Each mapping's pairs by key text, built on first use, so that locating many issues stays linear (issue 5). */
  private readonly pairsByKey = new WeakMap<YAMLMap, Map<string, Pair>>();

  constructor(
    private readonly file: string,
    private readonly doc: Document,
    private readonly lineCounter: LineCounter,
    private readonly overrides: readonly AppliedOverride[],
  ) {}

  /** An issue at the value at `path`. */
  at(path: KeyPath, message: string): ScenarioIssue {
    return this.issue(path, message, () => this.deepestNode(path).node);
  }

  /** An issue at the key `key` of the mapping at `path` (an unknown key). */
  atKey(path: KeyPath, key: string, message: string): ScenarioIssue {
    return this.issue([...path, key], message, () => {
      const { node, reached } = this.deepestNode(path);
      if (!reached || !isMap(node)) return node;
      const pair = this.pairOf(node, key);
      return (pair?.key as Node | undefined) ?? node;
    });
  }

  /** Located at the last override that wrote `path` or a parent of it, else at the node `find` returns. */
  private issue(path: KeyPath, message: string, find: () => Node | undefined): ScenarioIssue {
    const override = [...this.overrides].reverse().find((applied) => startsWith(path, applied.path));
    if (override) return { file: override.label, line: 0, column: 0, message };
    const offset = find()?.range?.[0];
    if (offset === undefined) return { file: this.file, line: 1, column: 1, message };
    const { line, col } = this.lineCounter.linePos(offset);
    return { file: this.file, line, column: col, message };
  }

  /** The node at `path`, or the deepest node on the way to it; `reached` says whether the whole path was found. */
  private deepestNode(path: KeyPath): { node: Node | undefined; reached: boolean } {
    let node = this.resolve(this.doc.contents);
    for (const segment of path) {
      const child = this.child(node, segment);
      if (!child?.range) return { node, reached: false };
      node = child;
    }
    return { node, reached: true };
  }

  private child(node: Node | undefined, segment: string | number): Node | undefined {
    if (isMap(node)) {
      const pair = this.pairOf(node, String(segment));
      if (!pair) return undefined;
      const value = this.resolve(pair.value);
      return value?.range ? value : (pair.key as Node);
    }
    if (isSeq(node) && typeof segment === 'number') return this.resolve(node.items[segment]);
    return undefined;
  }

  /** The first pair of `map` with key `key` (the file has no duplicates once its limits are checked). */
  private pairOf(map: YAMLMap, key: string): Pair | undefined {
    let index = this.pairsByKey.get(map);
    if (index === undefined) {
      index = new Map();
      for (const item of map.items) {
        const text = keyText(item.key);
        if (!index.has(text)) index.set(text, item);
      }
      this.pairsByKey.set(map, index);
    }
    return index.get(key);
  }

  private resolve(node: unknown): Node | undefined {
    if (isAlias(node)) return node.resolve(this.doc) ?? node;
    return isMap(node) || isSeq(node) || isScalar(node) ? node : undefined;
  }
}
