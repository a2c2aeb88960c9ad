// Where each server's routing statistics sit in a broker's arrays (issue 5, "Speed at scale"): a
// dense slot per server, in the routing table's unit order, so that the candidates of one selection
// (the servers of a mirror server set, or a segment's replicas) have adjacent slots and one selection
// reads one stretch of memory instead of one cache line, and page, per candidate. At LinkedIn scale
// (1 400 brokers, 5 000 servers) the brokers' statistics are hundreds of megabytes read at random, so
// this order decides how many cache lines and pages a query touches; it changes no result (the
// slots are only where the numbers are kept). One order is shared by every broker of a cluster. A
// server the order does not know yet (one that joined after it was made) gets the next free slot when
// first asked for, so the slots stay dense and the arrays indexed by them grow by doubling
// (withRoomFor).

import type { ServerIndex } from '../ids.js';

export class ServerSlots {
  /** Per server: its slot plus one, 0 while it has none (so a fresh array needs no filling). */
  private slotPlusOne: Int32Array;
  private assigned = 0;

  constructor(servers = 0) {
    this.slotPlusOne = new Int32Array(Math.max(servers, 1));
  }

  /**
   * Slots in the order the units name their servers (each server at its first mention), then the
   * servers no unit names, in index order.
   */
  static inUnitOrder(unitServers: readonly (readonly ServerIndex[])[], servers: number): ServerSlots {
    const slots = new ServerSlots(servers);
    for (const unit of unitServers) for (const server of unit) slots.slotOf(server);
    for (let server = 0; server < servers; server++) slots.slotOf(server as ServerIndex);
    return slots;
  }

  /** Slots given so far: every slot is below this. */
  get size(): number {
    return this.assigned;
  }

  /** The server's slot, the next free one if it has none yet. */
  slotOf(server: ServerIndex): number {
    const slot = this.slotPlusOne[server];
    return slot > 0 ? slot - 1 : this.assign(server);
  }

  private assign(server: ServerIndex): number {
    if (server >= this.slotPlusOne.length) {
      const grown = new Int32Array(Math.max(2 * this.slotPlusOne.length, server + 1));
      grown.set(this.slotPlusOne);
      this.slotPlusOne = grown;
    }
    this.slotPlusOne[server] = ++this.assigned;
    return this.assigned - 1;
  }
}

/**
 * `records` (records of `stride` numbers, by slot) with room for record `slot`: itself, or a copy at
 * least twice as long, the new records zero.
 */
export function withRoomFor(records: Float64Array<ArrayBuffer>, slot: number, stride: number): Float64Array<ArrayBuffer> {
  if ((slot + 1) * stride <= records.length) return records;
  const grown = new Float64Array(Math.max(2 * records.length, (slot + 1) * stride));
  grown.set(records);
  return grown;
}
