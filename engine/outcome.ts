// How a query ends. Every query that arrives ends in exactly one of these (DESIGN.md, "What a run
// produces"); the counts of a run add up to its arrivals.

export const OUTCOMES = ['completed', 'partial', 'rejected', 'killed', 'timedOut'] as const;

/**
 * completed: every server answered ok in time. partial: at least one server answered ok, another
 * rejected, failed or did not answer before the timeout. rejected: no ok answer and at least one
 * rejection or error, or no server to send to, or refused at the broker (budget, QPS cap). killed: a
 * server's engine killed the query's work (heap level, CPU-time limit, exhausted workload budget);
 * it takes precedence over every other answer. timedOut: the query's timeout fired with no ok answer.
 */
export type QueryOutcome = (typeof OUTCOMES)[number];
