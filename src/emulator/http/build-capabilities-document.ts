import type { ApiUrlSlashes } from '../emulator-context';

/** Scopes exactly as HipChat Cloud's capabilities document listed them. */
const AVAILABLE_SCOPES = {
  admin_group: {
    description: "Perform group administrative tasks. Note that this scope is restricted from updating the group owner's profile.",
    id: 'admin_group',
    name: 'Administer Group',
  },
  admin_room: { description: 'Perform room administrative tasks', id: 'admin_room', name: 'Administer Room' },
  import_data: {
    description: 'Import users, rooms, and chat history. Only available for select add-ons.',
    id: 'import_data',
    name: 'Import Data',
  },
  manage_rooms: { description: 'Create, update, and remove rooms', id: 'manage_rooms', name: 'Manage Rooms' },
  send_message: { description: 'Send private one-on-one messages', id: 'send_message', name: 'Send Message' },
  send_notification: { description: 'Send room notifications', id: 'send_notification', name: 'Send Notification' },
  view_group: { description: 'View users, rooms, and other group information', id: 'view_group', name: 'View Group' },
  view_messages: {
    description: 'View messages from chat rooms and private chats you have access to',
    id: 'view_messages',
    name: 'View Messages',
  },
  view_room: { description: 'View room information and participants, but not history', id: 'view_room', name: 'View Room' },
};

/**
 * The emulator's capabilities document: the shape of HipChat Cloud's, with its own URLs (`baseUrl`
 * includes any path prefix). Note the two API base forms HipChat Cloud used: `links.api` without a
 * trailing slash and `hipchatApiProvider.url` with one; `slashes` can change either, so add-ons are
 * tested against both ways of joining paths.
 */
export function buildCapabilitiesDocument(baseUrl: string, slashes: ApiUrlSlashes = { linksApi: false, hipchatApiProvider: true }): Record<string, unknown> {
  const api = `${baseUrl}/v2`;
  return {
    capabilities: {
      hipchatApiProvider: { availableScopes: AVAILABLE_SCOPES, url: slashes.hipchatApiProvider ? `${api}/` : api },
      oauth2Provider: { authorizationUrl: `${baseUrl}/users/authorize`, tokenUrl: `${baseUrl}/v2/oauth/token` },
    },
    connect_server_api_version: 1,
    description: 'Group chat and IM built for teams',
    key: 'hipchat',
    links: { api: slashes.linksApi ? `${api}/` : api, homepage: baseUrl, self: `${baseUrl}/v2/capabilities`, subdomain: baseUrl },
    name: 'HipChat',
    vendor: { name: 'Atlassian', url: 'http://atlassian.com' },
  };
}
