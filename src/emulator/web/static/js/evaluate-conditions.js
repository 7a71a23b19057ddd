// The descriptor `conditions` of glances, actions and web panels, evaluated as HipChat's client did: they
// decide only what the client shows (the add-on still authorises on its server). Pure, no DOM: the web client
// and the emulator's unit tests (test/emulator/evaluate-conditions.test.ts) run this same file.
//
// Choices where HipChat's documentation was thin (each named in a test):
// - a list of conditions holds when every entry holds (as `and`); `type` is `and`/`or` in either case;
// - `invert: true` negates a condition (and a composition);
// - message_matches: `params.regex` (or `params.pattern`), a regular expression the message text must match;
// - card_matches: every param names a card field (`style`, `url`, `title`, …) whose text must match the
//   param's value as a regular expression; a message without a card never matches;
// - glance_matches: `params.metadata: [{attr, eq|neq|lt|lte|gt|gte|contains}]` against the glance value's
//   metadata (`attr` may be a dotted path); every entry must hold;
// - an unknown condition, an invalid regular expression or a condition without what it needs (a message
//   condition outside a message) is false: the module is hidden, the safer reading.

const LINK = /\bhttps?:\/\/[^\s<>"]+/i;

function regexTest(pattern, text) {
  if (typeof pattern !== 'string' || typeof text !== 'string') return false;
  try {
    return new RegExp(pattern).test(text);
  } catch {
    return false;
  }
}

function readPath(object, path) {
  return String(path)
    .split('.')
    .reduce((value, key) => (value !== null && typeof value === 'object' ? value[key] : undefined), object);
}

const COMPARISONS = {
  eq: (actual, expected) => actual === expected,
  neq: (actual, expected) => actual !== expected,
  lt: (actual, expected) => typeof actual === 'number' && actual < expected,
  lte: (actual, expected) => typeof actual === 'number' && actual <= expected,
  gt: (actual, expected) => typeof actual === 'number' && actual > expected,
  gte: (actual, expected) => typeof actual === 'number' && actual >= expected,
  contains: (actual, expected) => (typeof actual === 'string' || Array.isArray(actual)) && actual.includes(expected),
};

function metadataMatches(rule, metadata) {
  if (!rule || typeof rule !== 'object' || typeof rule.attr !== 'string') return false;
  const operators = Object.keys(rule).filter((key) => key !== 'attr');
  if (operators.length === 0) return false;
  const actual = readPath(metadata, rule.attr);
  return operators.every((operator) => COMPARISONS[operator] !== undefined && COMPARISONS[operator](actual, rule[operator]));
}

function cardMatches(params, card) {
  if (!card || typeof card !== 'object') return false;
  const entries = Object.entries(params ?? {});
  return entries.length > 0 && entries.every(([field, pattern]) => regexTest(pattern, typeof card[field] === 'string' ? card[field] : undefined));
}

const BUILT_IN = {
  room_is_public: ({ room }) => room?.privacy === 'public',
  user_is_admin: ({ user }) => user?.is_group_admin === true,
  user_is_guest: ({ user }) => user?.is_guest === true,
  user_is_room_owner: ({ room, user }) => user !== undefined && room?.ownerId === user.id,
  message_matches: ({ message }, params) => regexTest(params?.regex ?? params?.pattern, message?.message),
  message_contains_link: ({ message }) => LINK.test(message?.message ?? '') || typeof message?.card?.url === 'string',
  message_sent_by_current_user: ({ message, user }) => message?.from?.kind === 'user' && user !== undefined && message.from.id === user.id,
  card_matches: ({ message }, params) => cardMatches(params, message?.card),
  glance_matches: ({ glance }, params) =>
    Array.isArray(params?.metadata) && params.metadata.length > 0 && params.metadata.every((rule) => metadataMatches(rule, glance?.metadata ?? {})),
};

function evaluateOne(entry, context) {
  if (!entry || typeof entry !== 'object') return false;
  let result;
  if (Array.isArray(entry.conditions)) {
    const type = String(entry.type ?? '').toLowerCase();
    if (type === 'and') result = entry.conditions.every((inner) => evaluateOne(inner, context));
    else if (type === 'or') result = entry.conditions.some((inner) => evaluateOne(inner, context));
    else return false;
  } else {
    const check = Object.prototype.hasOwnProperty.call(BUILT_IN, entry.condition) ? BUILT_IN[entry.condition] : undefined;
    if (!check) return false;
    result = check(context, entry.params);
  }
  return entry.invert === true ? !result : result;
}

/**
 * Whether a module with these `conditions` shows. `context`: {room: {privacy, ownerId}, user: {id,
 * is_group_admin, is_guest}, message?: a history item {message, from: {kind, id}, card?}, glance?: {metadata}}.
 * No conditions (undefined or []) means always shown.
 */
export function evaluateConditions(conditions, context) {
  if (conditions === undefined || conditions === null) return true;
  if (!Array.isArray(conditions)) return false;
  return conditions.every((entry) => evaluateOne(entry, context ?? {}));
}
