import type { ServerResponse } from 'node:http';
import { GatewayError } from '../core/errors.js';
import type { DialectName } from './endpoints.js';
import type { ListedModel, ModelDirectory } from './model-directory.js';
import { sendJson } from './respond.js';

/** Fixed creation time reported for every model (the API requires one; ours carry no real date). */
const CREATED = 1_735_689_600; // 2025-01-01T00:00:00Z

/** GET /v1/models in the caller's dialect: OpenAI's list object, or Anthropic's paged list. */
export function listModels(
  directory: ModelDirectory,
  dialect: DialectName,
  response: ServerResponse,
): void {
  const models = directory.list();
  if (dialect === 'anthropic') {
    const data = models.map(anthropicModel);
    sendJson(response, 200, {
      data,
      has_more: false,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
    });
  } else {
    sendJson(response, 200, { object: 'list', data: models.map(openAIModel) });
  }
}

/** GET /v1/models/{id}. */
export function showModel(
  directory: ModelDirectory,
  id: string,
  dialect: DialectName,
  response: ServerResponse,
): void {
  const model = directory.find(id);
  if (!model)
    throw new GatewayError(
      'model_not_found',
      `The model "${id.slice(0, 100)}" does not exist on this gateway.`,
      { param: 'model' },
    );
  sendJson(response, 200, dialect === 'anthropic' ? anthropicModel(model) : openAIModel(model));
}

function openAIModel(model: ListedModel): Record<string, unknown> {
  return {
    id: model.id,
    object: 'model',
    created: CREATED,
    owned_by:
      model.aliasOf === undefined && model.policy === undefined
        ? model.providers.join(',')
        : 'switchyard',
    ...(model.aliasOf === undefined ? {} : { alias_of: model.aliasOf }),
    ...(model.policy === undefined ? {} : { routing_policy: model.policy }),
    endpoints: model.endpoints,
  };
}

function anthropicModel(model: ListedModel): Record<string, unknown> {
  return {
    type: 'model',
    id: model.id,
    display_name:
      model.policy !== undefined
        ? `${model.id} (routed: ${model.policy})`
        : model.aliasOf === undefined
          ? model.id
          : `${model.id} (routes to ${model.aliasOf})`,
    created_at: new Date(CREATED * 1000).toISOString(),
    endpoints: model.endpoints,
  };
}
