/**
 * Request bodies shaped like the ones coding agents send with no flags: the model name of their
 * current release, a large system prompt in blocks with cache marks, tools, a large output limit,
 * streaming. The clients' real CLIs are run elsewhere; these keep the shapes in the e2e suite.
 */

const TOOLS = ['Bash', 'Read', 'Edit', 'Write', 'Glob', 'Grep'].map((name) => ({
  name,
  description: `${name}: a tool of the agent. `.repeat(8),
  input_schema: {
    type: 'object',
    properties: { command: { type: 'string' }, path: { type: 'string' } },
    required: [],
  },
}));

/** Claude Code (no --model): `claude-opus-4-8`, system blocks with cache_control, 32,000 output tokens. */
export function claudeCodeRequest(
  prompt: string,
  options: { model?: string; maxTokens?: number; stream?: boolean } = {},
): Record<string, unknown> {
  return {
    model: options.model ?? 'claude-opus-4-8',
    max_tokens: options.maxTokens ?? 32_000,
    stream: options.stream ?? true,
    system: [
      { type: 'text', text: "You are Claude Code, Anthropic's official CLI for Claude." },
      {
        type: 'text',
        text: 'You are an interactive CLI tool that helps users with software engineering tasks. '.repeat(
          40,
        ),
        cache_control: { type: 'ephemeral' },
      },
    ],
    tools: TOOLS,
    metadata: { user_id: 'user_0123_account__session_4567' },
    messages: [
      {
        role: 'user',
        content: [{ type: 'text', text: prompt, cache_control: { type: 'ephemeral' } }],
      },
    ],
  };
}

/** opencode on the OpenAI-compatible wire (no flags): its provider's default model, 32,000 output tokens, streaming with usage. */
export function opencodeRequest(
  prompt: string,
  options: { model?: string; maxTokens?: number } = {},
): Record<string, unknown> {
  return {
    model: options.model ?? 'gpt-5',
    max_tokens: options.maxTokens ?? 32_000,
    stream: true,
    stream_options: { include_usage: true },
    messages: [
      {
        role: 'system',
        content:
          'You are opencode, an interactive CLI tool that helps users with software engineering tasks. '.repeat(
            30,
          ),
      },
      { role: 'user', content: prompt },
    ],
    tools: TOOLS.map((tool) => ({
      type: 'function',
      function: { name: tool.name, description: tool.description, parameters: tool.input_schema },
    })),
  };
}
