// The scope tree of the Alluxio local cache (seed 001 sections 4.4 and 5.2): global > schema > table >
// partition, named "schema", "schema.table", "schema.table.partition" as Alluxio's CacheScope ids are.
// Each scope has a quota (unlimited unless configured), its usage in bytes, and the pages cached
// directly in it as a roaring bitmap of slots, so dropping a partition, a table or a schema visits
// only its own pages.

import roaring from 'roaring';

export const SCOPE_LEVELS = ['global', 'schema', 'table', 'partition'] as const;
export const LEVEL_COUNT = SCOPE_LEVELS.length;
export const GLOBAL_SCOPE = 0;
export const NO_SCOPE = -1;

export class CacheScopes {
  private readonly byName = new Map<string, number>([['', GLOBAL_SCOPE]]);
  readonly names: string[] = [''];
  readonly levels: number[] = [0];
  readonly parents: number[] = [NO_SCOPE];
  readonly children: number[][] = [[]];
  readonly quotaBytes: number[] = [Infinity];
  readonly usageBytes: number[] = [0];
  /** Child scopes holding at least one page (a table's cached partitions). */
  readonly childrenInUse: number[] = [0];
  /** ancestors[scope * LEVEL_COUNT + level]: the scope's ancestor (or itself) at that level, or NO_SCOPE. */
  readonly ancestors: number[] = [GLOBAL_SCOPE, NO_SCOPE, NO_SCOPE, NO_SCOPE];
  private readonly pages: Array<InstanceType<typeof roaring.RoaringBitmap32> | undefined> = [undefined];

  get count(): number {
    return this.names.length;
  }

  /** The scope with this name ("" is global), created with its ancestors on first use. */
  scopeOf(name: string): number {
    const known = this.byName.get(name);
    if (known !== undefined) return known;
    const parts = name.split('.');
    if (parts.length > 3 || parts.some((part) => part === '')) {
      throw new RangeError(`scope "${name}" is not "schema", "schema.table" or "schema.table.partition"`);
    }
    const parent = this.scopeOf(parts.slice(0, -1).join('.'));
    const scope = this.names.length;
    this.byName.set(name, scope);
    this.names.push(name);
    this.levels.push(parts.length);
    this.parents.push(parent);
    this.children.push([]);
    this.children[parent]!.push(scope);
    this.quotaBytes.push(Infinity);
    this.usageBytes.push(0);
    this.childrenInUse.push(0);
    for (let level = 0; level < LEVEL_COUNT; level++) {
      this.ancestors.push(level === parts.length ? scope : this.ancestors[parent * LEVEL_COUNT + level]!);
    }
    this.pages.push(undefined);
    return scope;
  }

  ancestor(scope: number, level: number): number {
    return this.ancestors[scope * LEVEL_COUNT + level]!;
  }

  /** Adds a page of `sizeBytes` cached directly in `scope` to its usage and its ancestors'. */
  addPage(scope: number, slot: number, sizeBytes: number): void {
    // The global scope keeps no bitmap: its pages are all pages, listed by the page table.
    if (scope !== GLOBAL_SCOPE) (this.pages[scope] ??= new roaring.RoaringBitmap32()).add(slot);
    for (let s = scope; s !== NO_SCOPE; s = this.parents[s]!) {
      if (this.usageBytes[s] === 0 && this.parents[s] !== NO_SCOPE) this.childrenInUse[this.parents[s]!]!++;
      this.usageBytes[s]! += sizeBytes;
    }
  }

  removePage(scope: number, slot: number, sizeBytes: number): void {
    if (scope !== GLOBAL_SCOPE) this.pages[scope]!.remove(slot);
    for (let s = scope; s !== NO_SCOPE; s = this.parents[s]!) {
      const left = this.usageBytes[s]! - sizeBytes;
      // Byte counts are integers far below 2^53, so usage returns to exactly 0.
      this.usageBytes[s] = left;
      if (left === 0 && this.parents[s] !== NO_SCOPE) this.childrenInUse[this.parents[s]!]!--;
    }
  }

  /** Every slot cached below the scope, and in it unless it is the global scope (see addPage). */
  slotsWithin(scope: number): number[] {
    const slots: number[] = [];
    const pending = [scope];
    while (pending.length > 0) {
      const next = pending.pop()!;
      const own = this.pages[next];
      if (own !== undefined) for (const slot of own) slots.push(slot);
      pending.push(...this.children[next]!);
    }
    return slots;
  }
}
