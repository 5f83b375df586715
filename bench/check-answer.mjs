// What counts as a correct answer. `checkTarget` is the thorough pre-flight check (one real
// request, body fully parsed); `quickCheck` is the cheap per-response check used under load.

/** Sends one request and throws unless the answer is a valid chat completion (or SSE stream). */
export async function checkTarget({ url, headers, body }, stream) {
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  const fail = (why) => {
    throw new Error(`${why} (HTTP ${response.status}): ${text.slice(0, 300)}`);
  };
  if (response.status !== 200) fail('status is not 200');
  if (!stream) {
    let answer;
    try {
      answer = JSON.parse(text);
    } catch {
      fail('body is not JSON');
    }
    const content = answer?.choices?.[0]?.message?.content;
    if (answer?.object !== 'chat.completion' || typeof content !== 'string' || content.length === 0)
      fail('not a chat.completion with content');
    return { contentChars: content.length, completionTokens: answer.usage?.completion_tokens };
  }
  if (!String(response.headers.get('content-type')).includes('text/event-stream'))
    fail('content-type is not text/event-stream');
  const data = text
    .split(/\r?\n/)
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trim());
  if (data.at(-1) !== '[DONE]') fail('stream does not end with data: [DONE]');
  let content = '';
  let chunks = 0;
  for (const payload of data.slice(0, -1)) {
    let chunk;
    try {
      chunk = JSON.parse(payload);
    } catch {
      fail(`SSE data is not JSON: ${payload.slice(0, 80)}`);
    }
    if (chunk.error || chunk.object !== 'chat.completion.chunk')
      fail('SSE event is not a chat.completion.chunk');
    const delta = chunk.choices?.[0]?.delta?.content;
    if (delta) {
      content += delta;
      chunks++;
    }
  }
  if (content.length === 0) fail('stream carried no content');
  return { contentChars: content.length, contentChunks: chunks, sseEvents: data.length };
}

/** Cheap enough to run on every response under load without skewing the load generator. */
export function quickCheck(stream) {
  return stream
    ? (body) => body.trimEnd().endsWith('data: [DONE]') && !body.includes('"error":')
    : (body) =>
        body.startsWith('{') && body.includes('"chat.completion"') && !body.includes('"error":');
}
