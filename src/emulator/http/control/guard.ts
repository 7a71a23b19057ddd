import { InstallError } from '../../driver/installer';
import { GlanceError } from '../../driver/query-glance';
import { HipChatError } from '../hipchat-error';

/**
 * Runs a driver call for a control route and turns its errors into answers: an add-on that answered
 * wrongly is a 502, anything else the driver refuses (unknown room, bad name) a 400.
 */
export async function guard<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InstallError) throw new HipChatError(error.details.addonStatus ? 502 : 400, error.message);
    if (error instanceof GlanceError) throw new HipChatError(502, error.message);
    if (error instanceof HipChatError) throw error;
    throw new HipChatError(400, error instanceof Error ? error.message : String(error));
  }
}
