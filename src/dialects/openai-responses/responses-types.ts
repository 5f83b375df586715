/**
 * The parts of the OpenAI Responses wire format this dialect writes: the `response` object and
 * its output items, as the openai SDK's `resources/responses` types describe them.
 */

export type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

export interface OutputText {
  type: 'output_text';
  text: string;
  annotations: never[];
  logprobs: never[];
}

export interface MessageItem {
  type: 'message';
  id: string;
  status: ItemStatus;
  role: 'assistant';
  content: OutputText[];
}

export interface SummaryText {
  type: 'summary_text';
  text: string;
}

export interface ReasoningItem {
  type: 'reasoning';
  id: string;
  summary: SummaryText[];
  status?: ItemStatus;
  /** Present when the client asked for `include: ["reasoning.encrypted_content"]`. */
  encrypted_content?: string;
}

export interface FunctionCallItem {
  type: 'function_call';
  id: string;
  status: ItemStatus;
  call_id: string;
  name: string;
  arguments: string;
}

export interface CustomToolCallItem {
  type: 'custom_tool_call';
  id: string;
  status: ItemStatus;
  call_id: string;
  name: string;
  input: string;
}

export type OutputItem = MessageItem | ReasoningItem | FunctionCallItem | CustomToolCallItem;

export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export type ResponseStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

/** The `response` object (`object: "response"`). */
export interface ResponseObject {
  id: string;
  object: 'response';
  created_at: number;
  status: ResponseStatus;
  completed_at: number | null;
  error: { code: string; message: string } | null;
  incomplete_details: { reason: 'max_output_tokens' | 'content_filter' } | null;
  model: string;
  output: OutputItem[];
  usage: ResponsesUsage | null;
  [echoed: string]: unknown;
}
