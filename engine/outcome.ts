// How a query ends. Every query that arrives ends in exactly one of these (DESIGN.md, "What a run
// produces"); the counts of a run add up to its arrivals.

export const OUTCOMES = ['completed', 'partial', 'rejected', 'killed', 'timedOut'] as const;

/**
 * completed: every server answered ok in time. partial: at least one server answered ok, another
 * rejected or did not answer before the timeout. rejected: no ok answer and at least one rejection,
 * or no server to send to. killed: ended by the engine (workload budgets). timedOut: the query
 * timeout fired with no ok answer.
 */
export type QueryOutcome = (typeof OUTCOMES)[number];
