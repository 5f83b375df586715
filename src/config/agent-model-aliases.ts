/**
 * The model names coding agents send by default, routed by `auto` in the no-config demo (none of
 * them is a simulated model; an exact model name still wins over these patterns):
 * - Claude Code: `claude-opus-4-*`, `claude-sonnet-4-*`, `claude-sonnet-5*` (`--model sonnet`),
 *   `claude-haiku-4-*` (its small fast model) — the families, so the next release's date suffix
 *   needs no change;
 * - Codex CLI: `gpt-5`, `gpt-5-codex`, `gpt-5.1-codex-max` … (`gpt-5*`), `codex-mini-latest`,
 *   and the older `o3` / `o4-mini` defaults;
 * - opencode: whatever its provider's default is — the Anthropic and OpenAI families above, and
 *   Google's `gemini-*`.
 */
export const AGENT_MODEL_ALIASES: Readonly<Record<string, string>> = {
  'claude-opus-*': 'auto',
  'claude-sonnet-*': 'auto',
  'claude-haiku-*': 'auto',
  'gpt-5*': 'auto',
  'codex-*': 'auto',
  'o3*': 'auto',
  'o4-mini*': 'auto',
  'gemini-*': 'auto',
};
