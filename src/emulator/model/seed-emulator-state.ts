import type { EmulatorState } from './emulator-state';

export interface EmulatorSeed {
  groupName?: string;
  /** `owner`: the mention name of a seeded user who owns the room. */
  rooms?: Array<{ name: string; topic?: string; owner?: string }>;
  users?: Array<{ name: string; mention_name?: string; is_group_admin?: boolean }>;
}

/** Creates the seeded rooms and users (rooms first, so their ids come first), then sets the rooms' owners. */
export function seedEmulatorState(state: EmulatorState, seed: EmulatorSeed = {}): void {
  for (const room of seed.rooms ?? []) state.createRoom({ name: room.name, ...(room.topic !== undefined ? { topic: room.topic } : {}) });
  for (const user of seed.users ?? []) state.createUser(user);
  for (const room of seed.rooms ?? []) {
    const owner = room.owner === undefined ? undefined : state.findUser(`@${room.owner}`);
    const created = state.findRoom(room.name);
    if (owner && created) state.setRoomOwner(created.id, owner.id);
  }
}
