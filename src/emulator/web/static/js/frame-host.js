// The parent side of HipChat's JavaScript API: every add-on iframe is registered with the
// installation, room and user it was opened for. A message is accepted only from a registered
// iframe's window AND from the origin of the URL it was given, so one add-on cannot speak for
// another, and replies go to that origin only.
import { h } from './dom.js';

const frames = new Set();
let methods = {};

/** Handlers for the add-on's calls: {'dialog.open': (frame, args) => result, …}. */
export function setFrameMethods(table) {
  methods = table;
}

/**
 * An iframe for an add-on page. `context`: {installation, kind, key, roomId, userId, parameters,
 * actionKey?, onRegister?}. The frame gets `receive-parameters` (and the action's own event) once
 * its all.js says it is ready.
 */
export function createAddonFrame(url, context) {
  const iframe = h('iframe', { src: url, class: 'addon-frame', title: context.title ?? context.installation.addonName });
  const frame = { ...context, iframe, origin: new URL(url).origin, registered: new Set() };
  frames.add(frame);
  return frame;
}

export function disposeFrame(frame) {
  if (!frame) return;
  frames.delete(frame);
  frame.iframe.remove();
}

/** Sends an event (a name the page passed to HipChat.register) into the frame. */
export function sendEvent(frame, event, data) {
  frame.iframe.contentWindow?.postMessage({ hipchat: 'host', event, data }, frame.origin);
}

function reply(frame, id, error, result) {
  frame.iframe.contentWindow?.postMessage({ hipchat: 'host', replyTo: id, error, result }, frame.origin);
}

function findFrame(source) {
  for (const frame of frames) if (frame.iframe.contentWindow === source) return frame;
  return undefined;
}

async function handle(frame, message) {
  const args = message.args ?? null;
  if (message.method === 'ready') {
    frame.registered.clear();
    if (frame.parameters !== undefined) {
      sendEvent(frame, 'receive-parameters', frame.parameters);
      if (frame.actionKey) sendEvent(frame, frame.actionKey, frame.parameters);
    }
    return undefined;
  }
  if (message.method === 'register') {
    for (const name of Array.isArray(args) ? args : []) if (typeof name === 'string') frame.registered.add(name);
    frame.onRegister?.(frame);
    return undefined;
  }
  const method = methods[message.method];
  if (!method) throw new Error(`HipChat.${message.method} is not supported by this emulator`);
  return method(frame, args);
}

window.addEventListener('message', (event) => {
  const frame = findFrame(event.source);
  if (!frame || event.origin !== frame.origin) return;
  const message = event.data;
  if (!message || message.hipchat !== 'addon' || typeof message.method !== 'string') return;
  handle(frame, message).then(
    (result) => message.id && reply(frame, message.id, undefined, result ?? null),
    (error) => message.id && reply(frame, message.id, error instanceof Error ? error.message : String(error)),
  );
});
