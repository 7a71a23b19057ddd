import type { Request, Response } from 'express';
import type { EmulatorEvents, EmulatorState } from '../model/emulator-state';
import { describeInstallation } from './describe-installation';
import type { EmulatorExtras } from '../model/emulator-extras';

const HEARTBEAT_MS = 15_000;

/**
 * Server-Sent Events of the emulator state: history, glance, room, user and installation changes, private
 * messages and per-user glances, so every open client updates without polling. Installations go out
 * without their secret.
 */
export function streamEmulatorEvents(state: EmulatorState, extras: EmulatorExtras, req: Request, res: Response): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
  res.write('retry: 1000\n\n');
  const send = (event: string, data: unknown): void => {
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const handlers: { [K in keyof EmulatorEvents]: (...args: EmulatorEvents[K]) => void } = {
    history: (item) => send('history', item),
    glance: (glance) => send('glance', glance),
    room: (room) => send('room', room),
    user: (user) => send('user', user),
    installation: ({ installation, change }) => send('installation', { change, installation: describeInstallation(installation) }),
  };
  state.on('history', handlers.history);
  state.on('glance', handlers.glance);
  state.on('room', handlers.room);
  state.on('user', handlers.user);
  state.on('installation', handlers.installation);
  const onPrivate = (message: unknown): void => send('private', message);
  const onUserGlance = (glance: unknown): void => send('userGlance', glance);
  extras.on('private', onPrivate);
  extras.on('userGlance', onUserGlance);
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  req.on('close', () => {
    clearInterval(heartbeat);
    state.off('history', handlers.history);
    state.off('glance', handlers.glance);
    state.off('room', handlers.room);
    state.off('user', handlers.user);
    state.off('installation', handlers.installation);
    extras.off('private', onPrivate);
    extras.off('userGlance', onUserGlance);
  });
}
