/**
 * The machine a run measured, printed at the start and kept in the JSON, so that a run can be
 * pasted into docs/benchmarks.md with what it ran on: CPU model and cores, memory, the
 * 1-minute load average (other work on the machine slows every figure), Node.
 */
import os from 'node:os';

/** What a run ran on. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  node: string;
  platform: string;
  /** The 1-minute load average when the run started. */
  loadAtStart: number;
}

/** The machine now. */
export function machineInfo(): MachineInfo {
  return {
    cpuModel: os.cpus()[0]?.model.trim() ?? '?',
    cores: os.cpus().length,
    memoryBytes: os.totalmem(),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAtStart: oneMinuteLoad(),
  };
}

/** The 1-minute load average. */
export function oneMinuteLoad(): number {
  return os.loadavg()[0] ?? 0;
}

/** "2 cores (Intel Xeon …), 24 GiB RAM, Linux 6.1 x64, Node v20.20.2, load 1.3 at the start". */
export function describeMachine(machine: MachineInfo): string {
  return (
    `${machine.cores} cores (${machine.cpuModel}), ${Math.round(machine.memoryBytes / 1024 ** 3)} GiB RAM, ` +
    `${machine.platform}, Node ${machine.node}; 1-minute load average ${machine.loadAtStart.toFixed(1)} at the start`
  );
}
