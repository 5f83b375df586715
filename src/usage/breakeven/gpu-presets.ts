/**
 * Hourly prices of GPUs one can rent to self-host a coding model, each with its public source and
 * the day it was read. Figures are RunPod's "active worker" rates (an always-on GPU billed per
 * second, the closest published price to a dedicated box), per second × 3,600. Prices move:
 * override with `--gpu-hourly`.
 */
export interface GpuPreset {
  name: string;
  description: string;
  memoryGb: number;
  hourlyUsd: number;
  source: string;
  asOf: string;
}

const RUNPOD_SERVERLESS =
  'RunPod Serverless pricing, "Active" cost per second (https://docs.runpod.io/serverless/pricing)';
const READ_ON = '2026-12-02';

export const GPU_PRESETS: readonly GpuPreset[] = [
  {
    name: 'rtx-6000-ada',
    description: 'NVIDIA RTX 6000 Ada (RunPod group "L40, L40S, 6000 Ada PRO")',
    memoryGb: 48,
    hourlyUsd: 1.332,
    source: `${RUNPOD_SERVERLESS}: $0.00037/s`,
    asOf: READ_ON,
  },
  {
    name: 'l40s',
    description: 'NVIDIA L40S (RunPod group "L40, L40S, 6000 Ada PRO")',
    memoryGb: 48,
    hourlyUsd: 1.332,
    source: `${RUNPOD_SERVERLESS}: $0.00037/s`,
    asOf: READ_ON,
  },
  {
    name: 'a6000',
    description: 'NVIDIA RTX A6000 (RunPod group "A6000, A40")',
    memoryGb: 48,
    hourlyUsd: 0.864,
    source: `${RUNPOD_SERVERLESS}: $0.00024/s`,
    asOf: READ_ON,
  },
  {
    name: 'rtx-4090',
    description: 'NVIDIA RTX 4090 (RunPod "4090 PRO")',
    memoryGb: 24,
    hourlyUsd: 0.756,
    source: `${RUNPOD_SERVERLESS}: $0.00021/s`,
    asOf: READ_ON,
  },
  {
    name: 'l4',
    description: 'NVIDIA L4 (RunPod group "L4, A5000, 3090")',
    memoryGb: 24,
    hourlyUsd: 0.468,
    source: `${RUNPOD_SERVERLESS}: $0.00013/s`,
    asOf: READ_ON,
  },
  {
    name: 'a100-80gb',
    description: 'NVIDIA A100 80 GB',
    memoryGb: 80,
    hourlyUsd: 2.16,
    source: `${RUNPOD_SERVERLESS}: $0.00060/s`,
    asOf: READ_ON,
  },
  {
    name: 'h100-80gb',
    description: 'NVIDIA H100 80 GB (RunPod "H100 PRO")',
    memoryGb: 80,
    hourlyUsd: 3.348,
    source: `${RUNPOD_SERVERLESS}: $0.00093/s`,
    asOf: READ_ON,
  },
];

export function gpuPreset(name: string): GpuPreset | undefined {
  return GPU_PRESETS.find((preset) => preset.name === name.toLowerCase());
}
