// Pinot's balanced segment assignment for tables without replica groups (PINOT-REFERENCE.md
// "Placement"; Pinot's BalancedNumSegmentAssignmentStrategy): each segment goes to the `replicas`
// instances holding the fewest segments so far, ties to the earlier instance. Replica sets overlap,
// unlike the mirrored layout of instance-partitions.ts.

import type { ServerIndex } from '../ids.js';

/** For each of `segments` segments, in order, the servers it is assigned to. */
export function balancedAssignment(servers: readonly ServerIndex[], segments: number, replicas: number): ServerIndex[][] {
  if (replicas > servers.length) throw new Error(`${replicas} replicas need as many servers, there are ${servers.length}`);
  const load = new Map<ServerIndex, number>(servers.map((server) => [server, 0]));
  const order = servers.map((server, position) => ({ server, position }));
  const assignment: ServerIndex[][] = [];
  for (let s = 0; s < segments; s++) {
    order.sort((a, b) => load.get(a.server)! - load.get(b.server)! || a.position - b.position);
    const chosen = order.slice(0, replicas).map(({ server }) => server);
    for (const server of chosen) load.set(server, load.get(server)! + 1);
    assignment.push(chosen);
  }
  return assignment;
}
