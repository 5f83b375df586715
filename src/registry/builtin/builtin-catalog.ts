import type { CatalogModel } from '../catalog-types.js';
import { ANTHROPIC_MODELS } from './anthropic-models.js';
import { DEEPSEEK_MODELS } from './deepseek-models.js';
import { EMBEDDING_MODELS } from './embedding-models.js';
import { MISTRAL_MODELS } from './mistral-models.js';
import { OPEN_WEIGHT_MODELS } from './open-weight-models.js';
import { OPENAI_MODELS } from './openai-models.js';

/** Every built-in model, with its deployments on real providers and on the simulator fleet. */
export const BUILTIN_CATALOG: readonly CatalogModel[] = [
  ...DEEPSEEK_MODELS,
  ...OPEN_WEIGHT_MODELS,
  ...MISTRAL_MODELS,
  ...OPENAI_MODELS,
  ...ANTHROPIC_MODELS,
  ...EMBEDDING_MODELS,
];

/** Savings are reported against this model unless config names another (`catalog.reference_model`). */
export const DEFAULT_REFERENCE_MODEL = 'gpt-4.1';
