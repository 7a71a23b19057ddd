import type { ReplayGuard } from '../hipchat/replay/replay-guard';
import type { Db } from '../store/db';
import type { Transactional } from '../store/transactional';
import type { GatewayCaller } from './gateway-caller';

/**
 * Where a caller's change runs. A configuration page's signed request changes something once per jti
 * (the replay guard); the admin token carries no jti, so its changes run in a plain transaction.
 */
export function onceForCaller(caller: GatewayCaller, db: Db, replay: ReplayGuard): Transactional {
  return caller.kind === 'installation' ? replay.once(caller.context) : db;
}

/**
 * Answers a replayed signed request 409 before anything is looked up, so that a replay of a revoke says
 * "replayed", not "not found". `onceForCaller` still records the jti with the change (races included).
 */
export async function refuseReplayedCaller(caller: GatewayCaller, replay: ReplayGuard): Promise<void> {
  if (caller.kind === 'installation') await replay.refuseReplay(caller.context);
}
