/**
 * A JSON Schema given in a prompt's text, best effort: the last line that parses as a JSON object
 * with `type` or `properties`. Gateways (Switchyard's own Anthropic adapter) and SDKs (the AI
 * SDK's JSON mode on OpenAI-compatible providers) pass a response schema this way to a wire or
 * mode without one; the simulated answer then validates against it.
 */
export function schemaInPrompt(text: string): { schema?: unknown } {
  const lines = text.split('\n');
  for (let index = lines.length - 1; index >= 0; index--) {
    const line = (lines[index] as string).trim();
    if (!line.startsWith('{') || !line.endsWith('}')) continue;
    try {
      const parsed: unknown = JSON.parse(line);
      if (
        typeof parsed === 'object' &&
        parsed !== null &&
        ('type' in parsed || 'properties' in parsed)
      )
        return { schema: parsed };
    } catch {
      // not JSON: keep looking
    }
  }
  return {};
}
