import { evaluateConditions, type ConditionContext } from '../../src/emulator/web/static/js/evaluate-conditions.js';

const admin = { id: 1, is_group_admin: true, is_guest: false };
const member = { id: 2, is_group_admin: false, is_guest: false };
const guest = { id: 3, is_group_admin: false, is_guest: true };
const publicRoom = { privacy: 'public', ownerId: 2 };
const privateRoom = { privacy: 'private', ownerId: null };

const one = (condition: string, context: ConditionContext, extra: Record<string, unknown> = {}) => evaluateConditions([{ condition, ...extra }], context);

describe('descriptor conditions (the web client evaluates them; they only hide UI)', () => {
  it('no conditions: always shown; a malformed list: hidden', () => {
    expect(evaluateConditions(undefined, {})).toBe(true);
    expect(evaluateConditions([], {})).toBe(true);
    expect(evaluateConditions('room_is_public', {})).toBe(false);
  });

  it('room_is_public', () => {
    expect(one('room_is_public', { room: publicRoom })).toBe(true);
    expect(one('room_is_public', { room: privateRoom })).toBe(false);
  });

  it('user_is_admin, user_is_guest, user_is_room_owner', () => {
    expect(one('user_is_admin', { user: admin })).toBe(true);
    expect(one('user_is_admin', { user: member })).toBe(false);
    expect(one('user_is_guest', { user: guest })).toBe(true);
    expect(one('user_is_guest', { user: member })).toBe(false);
    expect(one('user_is_room_owner', { room: publicRoom, user: member })).toBe(true);
    expect(one('user_is_room_owner', { room: publicRoom, user: admin })).toBe(false);
    expect(one('user_is_room_owner', { room: privateRoom, user: admin })).toBe(false);
  });

  it('message_matches: params.regex (or params.pattern) against the message text; an invalid regex hides', () => {
    const message = { message: '/task add Milk', from: { kind: 'user', id: 2 } };
    expect(one('message_matches', { message }, { params: { regex: '^/task' } })).toBe(true);
    expect(one('message_matches', { message }, { params: { pattern: 'Milk$' } })).toBe(true);
    expect(one('message_matches', { message }, { params: { regex: '^hello' } })).toBe(false);
    expect(one('message_matches', { message }, { params: { regex: '(' } })).toBe(false);
    expect(one('message_matches', {}, { params: { regex: '.*' } })).toBe(false);
  });

  it('message_contains_link: an http(s) URL in the text, or a card with a url', () => {
    expect(one('message_contains_link', { message: { message: 'see https://example.com/x' } })).toBe(true);
    expect(one('message_contains_link', { message: { message: 'no link here, ftp://nope' } })).toBe(false);
    expect(one('message_contains_link', { message: { message: 'card', card: { style: 'link', url: 'http://x' } } })).toBe(true);
  });

  it('message_sent_by_current_user: a user message from the signed-in user only', () => {
    expect(one('message_sent_by_current_user', { user: member, message: { message: 'm', from: { kind: 'user', id: 2 } } })).toBe(true);
    expect(one('message_sent_by_current_user', { user: admin, message: { message: 'm', from: { kind: 'user', id: 2 } } })).toBe(false);
    expect(one('message_sent_by_current_user', { user: member, message: { message: 'm', from: { kind: 'addon' } } })).toBe(false);
  });

  it('card_matches: each param is a regex a card field must match; no card never matches', () => {
    const message = { message: 'm', card: { style: 'link', url: 'https://jira.example.com/browse/X-1', title: 'X-1' } };
    expect(one('card_matches', { message }, { params: { style: '^link$' } })).toBe(true);
    expect(one('card_matches', { message }, { params: { style: '^link$', url: 'jira' } })).toBe(true);
    expect(one('card_matches', { message }, { params: { style: '^image$' } })).toBe(false);
    expect(one('card_matches', { message: { message: 'm' } }, { params: { style: 'link' } })).toBe(false);
    expect(one('card_matches', { message }, {})).toBe(false);
  });

  it('glance_matches: params.metadata rules (eq, neq, lt, gt, contains; dotted attr) against the glance metadata', () => {
    const glance = { metadata: { isConfigured: true, open: 3, owner: { name: 'ada' }, tags: ['a', 'b'] } };
    expect(one('glance_matches', { glance }, { params: { metadata: [{ attr: 'isConfigured', eq: true }] } })).toBe(true);
    expect(one('glance_matches', { glance }, { params: { metadata: [{ attr: 'open', gt: 2 }, { attr: 'open', lte: 3 }] } })).toBe(true);
    expect(one('glance_matches', { glance }, { params: { metadata: [{ attr: 'open', lt: 3 }] } })).toBe(false);
    expect(one('glance_matches', { glance }, { params: { metadata: [{ attr: 'owner.name', neq: 'bob' }, { attr: 'tags', contains: 'b' }] } })).toBe(true);
    expect(one('glance_matches', { glance }, { params: { metadata: [{ attr: 'isConfigured', approx: true }] } })).toBe(false);
    expect(one('glance_matches', {}, { params: { metadata: [{ attr: 'isConfigured', eq: true }] } })).toBe(false);
  });

  it('invert negates a condition', () => {
    expect(one('user_is_guest', { user: member }, { invert: true })).toBe(true);
    expect(one('user_is_guest', { user: guest }, { invert: true })).toBe(false);
  });

  it('a list holds when every entry holds; and/or (either case) nest; an unknown condition or type hides', () => {
    const context = { room: publicRoom, user: member };
    expect(evaluateConditions([{ condition: 'room_is_public' }, { condition: 'user_is_admin' }], context)).toBe(false);
    expect(evaluateConditions([{ type: 'or', conditions: [{ condition: 'user_is_admin' }, { condition: 'user_is_room_owner' }] }], context)).toBe(true);
    expect(evaluateConditions([{ type: 'AND', conditions: [{ condition: 'room_is_public' }, { type: 'OR', conditions: [{ condition: 'user_is_admin' }, { condition: 'user_is_guest', invert: true }] }] }], context)).toBe(true);
    expect(evaluateConditions([{ type: 'and', conditions: [{ condition: 'room_is_public' }, { condition: 'user_is_admin' }] }], context)).toBe(false);
    expect(evaluateConditions([{ condition: 'user_is_wizard' }], context)).toBe(false);
    expect(evaluateConditions([{ condition: 'toString' }], context)).toBe(false);
    expect(evaluateConditions([{ type: 'xor', conditions: [] }], context)).toBe(false);
  });
});
