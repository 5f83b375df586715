/**
 * Server-side (Lua) scripts of the Redis spend guard: each check and the reservation that follows
 * it, or a settlement, runs as one atomic step on Redis, so replicas admit requests one at a time
 * against the same spent + reserved. Money is integer nano-USD.
 *
 * KEYS (every script): 1 total hash, 2 month hash, 3 day hash — fields `seeded`, `spent`,
 * `reserved` — 4 reservations (sorted set: score = expiry, member = `id|estimate`), 5 rate log
 * (sorted set: score = time, member = `id|tokens`), 6 tokens in the rate log (integer).
 */

/** Drops expired reservations (a replica that died mid-request) from `reserved`. Shared prologue. */
const SWEEP = `
local now = tonumber(ARGV[1])
local expired = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now)
for _, member in ipairs(expired) do
  local estimate = tonumber(string.match(member, '|(%d+)$')) or 0
  for i = 1, 3 do
    if redis.call('EXISTS', KEYS[i]) == 1 then
      if estimate > 0 and redis.call('HINCRBY', KEYS[i], 'reserved', 0 - estimate) < 0 then redis.call('HSET', KEYS[i], 'reserved', 0) end
    end
  end
end
if #expired > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now) end
local windowStart = now - tonumber(ARGV[15])
local old = redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', windowStart)
local oldTokens = 0
for _, member in ipairs(old) do oldTokens = oldTokens + (tonumber(string.match(member, '|(%d+)$')) or 0) end
if #old > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', windowStart)
  if oldTokens > 0 and redis.call('DECRBY', KEYS[6], oldTokens) < 0 then redis.call('SET', KEYS[6], 0) end
end
`;

/**
 * ARGV: 1 now, 2 estimate nano, 3 estimated tokens, 4 daily limit nano, 5 monthly, 6 total
 * (-1 = none), 7 rpm, 8 tpm (-1 = none), 9 reservation id, 10 reservation expiry, 11 day ttl ms,
 * 12 month ttl ms, 13-14 unused, 15 rate window ms.
 * Returns {'seed'} when a window has no baseline yet, {'budget', name, spent, reserved},
 * {'rate', 'requests'|'tokens'|'too_big', used, retryAfterMs} or {'ok'}.
 */
export const RESERVE_SCRIPT = `
for i = 1, 3 do
  if redis.call('HEXISTS', KEYS[i], 'seeded') == 0 then return {'seed'} end
end
${SWEEP}
local estimate = tonumber(ARGV[2])
local tokens = tonumber(ARGV[3])
local budgets = {{'total', 6, 1}, {'monthly', 5, 2}, {'daily', 4, 3}}
for _, budget in ipairs(budgets) do
  local limit = tonumber(ARGV[budget[2]])
  if limit >= 0 then
    local spent = tonumber(redis.call('HGET', KEYS[budget[3]], 'spent') or '0')
    local reserved = tonumber(redis.call('HGET', KEYS[budget[3]], 'reserved') or '0')
    local committed = spent + reserved
    if committed >= limit or committed + estimate > limit then return {'budget', budget[1], tostring(spent), tostring(reserved)} end
  end
end
local window = tonumber(ARGV[15])
local rpm = tonumber(ARGV[7])
local tpm = tonumber(ARGV[8])
local function retryAfter()
  local oldest = redis.call('ZRANGE', KEYS[5], 0, 0, 'WITHSCORES')
  if #oldest < 2 then return window end
  return math.max(1, tonumber(oldest[2]) + window - now)
end
if rpm >= 0 and redis.call('ZCARD', KEYS[5]) + 1 > rpm then return {'rate', 'requests', tostring(rpm), tostring(retryAfter())} end
if tpm >= 0 then
  if tokens > tpm then return {'rate', 'too_big', '0', '0'} end
  local used = tonumber(redis.call('GET', KEYS[6]) or '0')
  if used + tokens > tpm then return {'rate', 'tokens', tostring(used), tostring(retryAfter())} end
end
local id = ARGV[9]
redis.call('ZADD', KEYS[5], now, id .. '|' .. tokens)
redis.call('INCRBY', KEYS[6], tokens)
redis.call('PEXPIRE', KEYS[5], window * 2)
redis.call('PEXPIRE', KEYS[6], window * 2)
for i = 1, 3 do redis.call('HINCRBY', KEYS[i], 'reserved', estimate) end
redis.call('ZADD', KEYS[4], tonumber(ARGV[10]), id .. '|' .. estimate)
redis.call('PEXPIRE', KEYS[3], tonumber(ARGV[11]))
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[12]))
return {'ok'}
`;

/**
 * ARGV: 1 now, 2 reservation id, 3 estimate nano, 4 actual nano, 5 estimated tokens, 6 actual
 * tokens, 15 rate window ms. A reservation already swept (expired) is not subtracted again; the
 * spend is added to the windows that still exist (a rolled-over day keeps its own total).
 */
export const SETTLE_SCRIPT = `
local id = ARGV[2]
local estimate = tonumber(ARGV[3])
local actual = tonumber(ARGV[4])
local held = redis.call('ZREM', KEYS[4], id .. '|' .. estimate) == 1
for i = 1, 3 do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    if held and estimate > 0 and redis.call('HINCRBY', KEYS[i], 'reserved', 0 - estimate) < 0 then redis.call('HSET', KEYS[i], 'reserved', 0) end
    redis.call('HINCRBY', KEYS[i], 'spent', actual)
  end
end
local member = id .. '|' .. ARGV[5]
local at = redis.call('ZSCORE', KEYS[5], member)
if at then
  redis.call('ZREM', KEYS[5], member)
  redis.call('ZADD', KEYS[5], at, id .. '|' .. ARGV[6])
  local delta = tonumber(ARGV[6]) - tonumber(ARGV[5])
  if delta ~= 0 and redis.call('INCRBY', KEYS[6], delta) < 0 then redis.call('SET', KEYS[6], 0) end
end
return 1
`;

/**
 * Baselines from the ledger. ARGV: 1 total nano, 2 month nano, 3 day nano, 4 month ttl, 5 day ttl,
 * 6 mode: 'seed' sets a window's spend only if it has no baseline yet; 'reconcile' (after an
 * outage) raises it to at least the ledger's figure, never lowers it.
 */
export const SEED_SCRIPT = `
local ttls = {0, tonumber(ARGV[4]), tonumber(ARGV[5])}
for i = 1, 3 do
  local value = tonumber(ARGV[i])
  if redis.call('HSETNX', KEYS[i], 'seeded', 1) == 1 then
    redis.call('HINCRBY', KEYS[i], 'spent', value)
  elseif ARGV[6] == 'reconcile' then
    local spent = tonumber(redis.call('HGET', KEYS[i], 'spent') or '0')
    if value > spent then redis.call('HSET', KEYS[i], 'spent', value) end
  end
  if ttls[i] > 0 and redis.call('PTTL', KEYS[i]) < 0 then redis.call('PEXPIRE', KEYS[i], ttls[i]) end
end
return 1
`;
