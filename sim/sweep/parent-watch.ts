// bin/twin.js re-executes itself once (for a larger young generation) and waits for its child. If that
// wrapper is killed outright (kill -9), nothing tells the child; a long sweep would carry on as an
// orphan. When this process's parent is the twin wrapper, it ends itself once the parent is gone. Any
// other parent (a shell, nohup, a batch engine) is left alone: a sweep may outlive it on purpose.

import { readFileSync } from 'node:fs';

const POLL_MS = 500;

function commandLineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return undefined;
  }
}

/** Ends this process when its parent, the twin wrapper, disappears (Linux; elsewhere nothing). */
export function endWithTwinWrapper(onOrphaned: () => void): void {
  const parent = process.ppid;
  const commandLine = commandLineOf(parent);
  if (commandLine === undefined || !/bin[/\\]twin\.js\b/.test(commandLine)) return;
  setInterval(() => {
    if (process.ppid !== parent) onOrphaned();
  }, POLL_MS).unref();
}
