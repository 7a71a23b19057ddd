import type { Mention, User } from './types';

/** The users a message @mentions (by mention_name, case-insensitive), in the order users were created. Pure. */
export function findMentions(text: string, users: Iterable<User>, groupId: number): Mention[] {
  const names = new Set([...text.matchAll(/@(\w+)/g)].map((match) => (match[1] ?? '').toLowerCase()));
  return [...users]
    .filter((user) => user.groupId === groupId && names.has(user.mention_name.toLowerCase()))
    .map((user) => ({ id: user.id, name: user.name, mention_name: user.mention_name }));
}
