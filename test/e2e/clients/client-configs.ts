/** The client config files the agent CLI tests write (docs/clients.md shows the same). */

/**
 * The Codex config the test writes to $CODEX_HOME/config.toml (docs/clients.md shows the same).
 * Codex offers hosted web search, a multi-agent tool namespace, goals and image generation by
 * default; Switchyard refuses hosted tools by name, so they are switched off here.
 */
export function codexConfig(baseUrl: string): string {
  return [
    'model = "gpt-4.1"',
    'model_provider = "switchyard"',
    'approval_policy = "never"',
    'sandbox_mode = "danger-full-access"',
    'web_search = "disabled"',
    '',
    '[features]',
    'multi_agent = false',
    'goals = false',
    'image_generation = false',
    '',
    '[model_providers.switchyard]',
    'name = "Switchyard"',
    `base_url = "${baseUrl}/v1"`,
    'wire_api = "responses"',
    'env_key = "SWITCHYARD_API_KEY"',
    '',
    '[analytics]',
    'enabled = false',
    '',
  ].join('\n');
}

/** The project config the test writes (docs/clients.md shows the same). */
export function opencodeConfig(baseUrl: string): Record<string, unknown> {
  return {
    $schema: 'https://opencode.ai/config.json',
    provider: {
      switchyard: {
        npm: '@ai-sdk/openai-compatible',
        name: 'Switchyard',
        options: { baseURL: `${baseUrl}/v1`, apiKey: 'sk-switchyard-test' },
        models: { 'gpt-4.1': { name: 'gpt-4.1', tool_call: true } },
      },
    },
    model: 'switchyard/gpt-4.1',
    small_model: 'switchyard/gpt-4.1',
    autoupdate: false,
    share: 'disabled',
  };
}
