import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { EmulatorState } from './emulator-state';
import type { GlanceContent, PrivateMessage, StoredUserGlance } from './types';

/**
 * Events of the extras: 'private' (a private message appended to a user's private chat) and
 * 'userGlance' (a glance value pushed for one user).
 */
export interface EmulatorExtrasEvents {
  private: [PrivateMessage];
  userGlance: [StoredUserGlance];
}

interface StoredFile {
  name: string;
  content: Buffer;
  contentType: string;
}

/**
 * What the emulator keeps beside EmulatorState for private chats, per-user glances and uploaded
 * files. Kept apart (one per state, see emulatorExtras) so the core model stays small.
 */
export class EmulatorExtras extends EventEmitter<EmulatorExtrasEvents> {
  private readonly privateChats = new Map<number, PrivateMessage[]>();
  private readonly userGlances = new Map<string, StoredUserGlance>();
  private readonly files = new Map<string, StoredFile>();

  constructor() {
    super();
    this.setMaxListeners(0);
  }

  appendPrivateMessage(message: Omit<PrivateMessage, 'id' | 'date'>): PrivateMessage {
    const stored: PrivateMessage = { id: randomUUID(), date: new Date().toISOString(), ...message };
    const chat = this.privateChats.get(message.userId) ?? [];
    chat.push(stored);
    this.privateChats.set(message.userId, chat);
    this.emit('private', stored);
    return stored;
  }

  privateChat(userId: number): PrivateMessage[] {
    return [...(this.privateChats.get(userId) ?? [])];
  }

  setUserGlance(glance: { oauthId: string; userId: number; key: string; content: GlanceContent }): StoredUserGlance {
    const stored: StoredUserGlance = { ...glance, updatedAt: new Date().toISOString() };
    this.userGlances.set(`${glance.oauthId} ${glance.userId} ${glance.key}`, stored);
    this.emit('userGlance', stored);
    return stored;
  }

  getUserGlance(oauthId: string, userId: number, key: string): StoredUserGlance | undefined {
    return this.userGlances.get(`${oauthId} ${userId} ${key}`);
  }

  allUserGlances(): StoredUserGlance[] {
    return [...this.userGlances.values()];
  }

  forgetInstallation(oauthId: string): void {
    for (const [id, glance] of this.userGlances) if (glance.oauthId === oauthId) this.userGlances.delete(id);
  }

  storeFile(file: StoredFile): string {
    const id = randomUUID();
    this.files.set(id, file);
    return id;
  }

  getFile(id: string): StoredFile | undefined {
    return this.files.get(id);
  }
}

const extrasByState = new WeakMap<EmulatorState, EmulatorExtras>();

/** The extras of one emulator (created on first use). */
export function emulatorExtras(state: EmulatorState): EmulatorExtras {
  let extras = extrasByState.get(state);
  if (!extras) {
    const created = new EmulatorExtras();
    state.on('installation', ({ installation, change }) => {
      if (change === 'removed') created.forgetInstallation(installation.oauthId);
    });
    extrasByState.set(state, (extras = created));
  }
  return extras;
}
