import type { EmulatorContext } from '../emulator-context';
import { emulatorExtras } from '../model/emulator-extras';
import type { HistoryItem, UploadedFile } from '../model/types';
import { dispatchRoomEvent, roomReference, type WebhookResult } from './dispatch-webhooks';
import { assertRoomOpen, findRoomOrFail, findUserOrFail, senderJson } from './room-events';

export interface FileUpload {
  name: string;
  /** The file's bytes; without them `size` (default 0) describes a file the emulator does not hold. */
  content?: Buffer;
  contentType?: string;
  size?: number;
  /** A message shown with the file (HipChat's upload box had one); defaults to the file name. */
  message?: string;
}

export interface UploadResult {
  message: HistoryItem;
  file: UploadedFile;
  webhooks: WebhookResult[];
}

/**
 * A user shares a file in a room: it appears in the history with its `file` and room_file_upload fires
 * with `item.file {name, size, url, thumb_url}` and `item.sender`. It fires no room_message (the
 * emulator's reading: HipChat documented the upload as its own event). The emulator serves the bytes at
 * `url` (loopback only, like the control API); `thumb_url` is the same URL for images, otherwise null.
 */
export async function uploadFile(ctx: EmulatorContext, roomId: number, userId: number, upload: FileUpload): Promise<UploadResult> {
  const room = findRoomOrFail(ctx, roomId);
  const user = findUserOrFail(ctx, userId);
  assertRoomOpen(room);
  const name = upload.name.trim();
  if (name.length < 1 || name.length > 255) throw new Error('name: must be 1–255 characters');
  const contentType = upload.contentType ?? 'application/octet-stream';
  const id = emulatorExtras(ctx.state).storeFile({ name, content: upload.content ?? Buffer.alloc(0), contentType });
  const url = `${ctx.baseUrl()}/_emulator/files/${id}/${encodeURIComponent(name)}`;
  const file: UploadedFile = { name, size: upload.content?.length ?? upload.size ?? 0, url, thumb_url: contentType.startsWith('image/') ? url : null };
  const message = ctx.state.appendHistory({
    roomId: room.id,
    type: 'message',
    from: { kind: 'user', id: user.id, name: user.name, mention_name: user.mention_name },
    message: upload.message ?? name,
    message_format: 'text',
    notify: false,
    mentions: [],
    file,
  });
  const item = { file, room: roomReference(ctx, room), sender: senderJson(user) };
  const webhooks = await dispatchRoomEvent(ctx, { event: 'room_file_upload', room, userId: user.id, item });
  return { message, file, webhooks };
}
