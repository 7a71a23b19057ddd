// The test kit (`hipchat-connect-server/testing`): an emulated HipChat and the add-on under test, driven
// from a jest (or any) test through real HTTP. See docs/testing.md.
export { startTestKit, type TestKit, type TestKitOptions, type UserInput, type RoomInput } from './start-test-kit';
export type { KitRoom, SayOptions, SayResult } from './kit-room';
export type { RoomActivity } from './room-activity';
export type { RoomEvents } from './room-events';
export type { SettleOptions } from './kit-context';
export type { PageName, PageLike, BrowserLike, OpenPageOptions, OpenedPage } from './open-page';
export type { HipChatSide, HipChatFaults, FaultRule, ReceivedRequest } from './hipchat-side';
export type { KitDatabase, KitDatabaseOption } from './kit-database';
export { preparePgliteTemplate } from './pglite-template';
