// Builds the devices of a timed cache run from the scenario's `storage` section: one SSD per node, and
// per node its HDDs (a DataNode) or one object store shared by all nodes.

import { parseDurationMs, parseSizeBytes } from '../scenario/units.js';
import type { RngSource } from '../../engine/ports.js';
import { type DeviceSpec, StorageDevice } from '../../engine/storage/storage-device.js';
import type { CacheScenario } from './cache-scenario-schema.js';

type DeviceSection = CacheScenario['storage']['ssd'];

export function deviceSpecOf(device: DeviceSection): DeviceSpec {
  return {
    latencyMs: parseDurationMs(device.latency),
    latencyP99Ms: device.latencyP99 === undefined ? 0 : parseDurationMs(device.latencyP99),
    concurrency: device.concurrency,
    bandwidthBytesPerMs: parseSizeBytes(device.bandwidth) / 1000,
    requestBandwidthBytesPerMs: device.requestBandwidth === undefined ? Infinity : parseSizeBytes(device.requestBandwidth) / 1000,
    costPerGet: device.costPerThousandGets / 1000,
    costPerPut: device.costPerThousandPuts / 1000,
  };
}

export interface NodeDevices {
  readonly ssd: StorageDevice;
  readonly remotes: readonly StorageDevice[];
}

/** Devices per node, and every device with its name for the results. */
export function buildDevices(scenario: CacheScenario, rngs: RngSource): { perNode: NodeDevices[]; names: string[]; all: StorageDevice[] } {
  const storage = scenario.storage;
  const names: string[] = [];
  const all: StorageDevice[] = [];
  const add = (name: string, device: StorageDevice) => {
    names.push(name);
    all.push(device);
    return device;
  };
  const device = (name: string, section: DeviceSection) => add(name, new StorageDevice(deviceSpecOf(section), rngs.stream(`device/${name}`)));
  const shared = storage.remote === 'objectStore' ? device('object-store', storage.objectStore) : undefined;
  const perNode = Array.from({ length: scenario.nodes }, (_, node) => {
    const ssd = device(`node-${node}/ssd`, storage.ssd);
    const remotes =
      shared !== undefined
        ? [shared]
        : Array.from({ length: storage.hddsPerNode }, (_, disk) => device(`node-${node}/hdd-${disk}`, storage.hdd));
    return { ssd, remotes };
  });
  return { perNode, names, all };
}
