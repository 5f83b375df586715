/** Tool types the OpenAI platform runs itself: no upstream served here can run them. */
export const HOSTED_TOOLS: Record<string, string> = {
  web_search: 'web search',
  web_search_preview: 'web search',
  web_search_2025_08_26: 'web search',
  web_search_preview_2025_03_11: 'web search',
  file_search: 'file search',
  code_interpreter: 'code interpreter',
  computer: 'computer use',
  computer_use_preview: 'computer use',
  image_generation: 'image generation',
  mcp: 'remote MCP',
  local_shell: 'local shell',
  shell: 'shell',
  apply_patch: 'apply patch',
  tool_search: 'tool search',
  namespace: 'tool namespaces',
};
