export type * from './request.js';
export type * from './response.js';
export type * from './provider.js';
export type * from './embedding.js';
export { ERROR_CODES, GatewayError, isGatewayError, toGatewayError } from './errors.js';
export type { ErrorCode, GatewayErrorOptions } from './errors.js';
