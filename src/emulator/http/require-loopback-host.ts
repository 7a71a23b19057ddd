import type { RequestHandler } from 'express';
import { sendHipChatError } from './hipchat-error';

/**
 * Whether a Host header names this machine's loopback: 127.0.0.0/8, ::1 or localhost, any port.
 * A DNS-rebinding page reaches a loopback port under its own domain name, so its Host never passes.
 * The WHATWG URL parser canonicalises the spellings (127.1, 0x7f.0.0.1, [0:0::1], LOCALHOST.).
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  let hostname: string;
  try {
    const url = new URL(`http://${host}`);
    // Userinfo, a path or a query smuggled into the header: not a plain host[:port].
    if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return false;
    hostname = url.hostname.replace(/\.$/, '');
  } catch {
    return false;
  }
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * Refuses (403, HipChat's error shape) a request whose Host is not loopback. The control API and web
 * client drive everything (install, post as any user, read every room), so a web page must not reach them
 * through DNS rebinding.
 */
export const requireLoopbackHost: RequestHandler = (req, res, next) => {
  if (isLoopbackHost(req.headers.host)) return next();
  sendHipChatError(
    res,
    403,
    `The emulator's control API and web client answer only requests for a loopback host (127.0.0.1, ::1, localhost); Host "${String(req.headers.host ?? '')}" refused (DNS rebinding protection)`,
  );
};
