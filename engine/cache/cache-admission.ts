// Cache admission (seed 001 section 5.1): rule filters as Presto's local cache applies them (a table
// is cached only if a rule names it; `maxCachedPartitions` bounds how many of its partitions may hold
// pages), then, when configured, the sliding-window rate limiter of the HDFS local cache. A read that
// is not admitted is served from the remote store without populating the cache.

import { BucketTimeRateLimit, type RateLimitConfig } from './bucket-time-rate-limit.js';
import { type CacheScopes, NO_SCOPE } from './cache-scopes.js';

export interface AdmissionRule {
  /** Regular expression that must match the whole "schema.table" name. */
  readonly table: string;
  readonly maxCachedPartitions?: number;
}

export interface AdmissionConfig {
  /** No rules: every table is admitted. */
  readonly rules: readonly AdmissionRule[];
  readonly rateLimit?: RateLimitConfig;
}

const NO_RULE = -1;

export class CacheAdmission {
  private readonly patterns: RegExp[];
  private readonly ruleOfTable = new Map<number, number>();
  private readonly rateLimit: BucketTimeRateLimit | undefined;

  constructor(
    private readonly config: AdmissionConfig,
    private readonly scopes: CacheScopes,
  ) {
    this.patterns = config.rules.map((rule) => new RegExp(`^(?:${rule.table})$`));
    this.rateLimit = config.rateLimit === undefined ? undefined : new BucketTimeRateLimit(config.rateLimit);
  }

  /** Records a read of `file` (cached in `scope`) and says whether its pages may enter the cache. */
  admits(file: number, scope: number, nowMs: number): boolean {
    const byRate = this.rateLimit === undefined || this.rateLimit.recordAndCheck(file, nowMs);
    return this.admittedByRules(scope) && byRate;
  }

  private admittedByRules(scope: number): boolean {
    if (this.patterns.length === 0) return true;
    const table = this.scopes.ancestor(scope, 2);
    if (table === NO_SCOPE) return false;
    const rule = this.ruleFor(table);
    if (rule === NO_RULE) return false;
    const maxPartitions = this.config.rules[rule]!.maxCachedPartitions;
    if (maxPartitions === undefined) return true;
    const partition = this.scopes.ancestor(scope, 3);
    const alreadyCached = partition !== NO_SCOPE && this.scopes.usageBytes[partition]! > 0;
    return alreadyCached || this.scopes.childrenInUse[table]! < maxPartitions;
  }

  private ruleFor(table: number): number {
    let rule = this.ruleOfTable.get(table);
    if (rule === undefined) {
      const name = this.scopes.names[table]!;
      rule = this.patterns.findIndex((pattern) => pattern.test(name));
      this.ruleOfTable.set(table, rule);
    }
    return rule;
  }
}
