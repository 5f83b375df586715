export { startSimulator } from './start-simulator.js';
export { DEFAULT_FLEET } from './default-fleet.js';
export type {
  RunningSimulator,
  SimFaultRates,
  SimFleet,
  SimFlavor,
  SimModelSpec,
  SimModelStats,
  SimOutcome,
  SimProviderSpec,
  SimProviderStats,
  SimRecordedRequest,
  SimStats,
  SimWire,
  StartSimulatorOptions,
} from './sim-types.js';
export { SimReplayTable, replayKey, type SimReplayAnswer } from './replay-table.js';
