import type { Installation } from '../model/types';

/** What the web client needs to draw an add-on's modules. Never carries the oauthSecret. */
export interface InstallationView {
  oauthId: string;
  addonKey: string;
  addonName: string;
  groupId: number;
  roomId?: number;
  descriptorUrl: string;
  active: boolean;
  /** `conditions` go to the browser as declared; static/js/evaluate-conditions.js decides what shows. */
  glances: Array<{ key: string; name: string; target?: string; iconUrl?: string; queryable: boolean; conditions?: unknown[] }>;
  webPanels: Array<{ key: string; name: string; location: string; conditions?: unknown[] }>;
  dialogs: Array<{ key: string; title: string; options: DialogOptionsView }>;
  /** location `hipchat.message.action` ("…" on a message) or `hipchat.input.action` (beside the message box). */
  actions: Array<{ key: string; name: string; target?: string; location: string; conditions?: unknown[] }>;
  /** externalPage modules: links the client opens in a new tab (signed, like every page). */
  externalPages: Array<{ key: string; name: string }>;
  configurable: boolean;
  /** adminPage: the group admin's page of the add-on (shown to group admins on the Add-ons page). */
  adminPage: boolean;
}

export interface DialogOptionsView {
  width?: string;
  height?: string;
  primaryAction?: { key: string; name: string; enabled: boolean };
  secondaryActions: Array<{ key: string; name: string }>;
}

type Loose = Record<string, unknown>;

function record(value: unknown): Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Loose) : {};
}

function list(value: unknown): Loose[] {
  return Array.isArray(value) ? value.map(record) : [];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** `{value: "…"}` (HipChat's i18n shape) or a plain string. */
function label(value: unknown, fallback: string): string {
  return text(value) ?? text(record(value).value) ?? fallback;
}

function conditions(value: unknown): { conditions?: unknown[] } {
  return Array.isArray(value) ? { conditions: value } : {};
}

function target(value: unknown): string | undefined {
  return text(value) ?? text(record(value).key);
}

function button(value: unknown): { key: string; name: string } | undefined {
  const entry = record(value);
  const key = text(entry.key);
  return key ? { key, name: label(entry.name, key) } : undefined;
}

/** Dialog options as the descriptor declared them (size, primaryAction, secondaryActions). */
export function describeDialogOptions(value: unknown): DialogOptionsView {
  const options = record(value);
  const size = record(options.size);
  const primary = button(options.primaryAction);
  return {
    ...(text(size.width) ? { width: text(size.width) } : {}),
    ...(text(size.height) ? { height: text(size.height) } : {}),
    ...(primary ? { primaryAction: { ...primary, enabled: record(options.primaryAction).enabled !== false } } : {}),
    secondaryActions: list(options.secondaryActions).flatMap((entry) => button(entry) ?? []),
  };
}

export function describeInstallation(installation: Installation): InstallationView {
  const caps = record(installation.descriptor.capabilities);
  return {
    oauthId: installation.oauthId,
    addonKey: installation.addonKey,
    addonName: installation.addonName,
    groupId: installation.groupId,
    ...(installation.roomId !== undefined ? { roomId: installation.roomId } : {}),
    descriptorUrl: installation.descriptorUrl,
    active: installation.active,
    glances: list(caps.glance).map((glance) => {
      const key = text(glance.key) ?? '';
      const iconUrl = text(record(glance.icon).url);
      const glanceTarget = target(glance.target);
      return { key, name: label(glance.name, key), ...(glanceTarget ? { target: glanceTarget } : {}), ...(iconUrl ? { iconUrl } : {}), queryable: typeof glance.queryUrl === 'string', ...conditions(glance.conditions) };
    }),
    webPanels: list(caps.webPanel).map((panel) => {
      const key = text(panel.key) ?? '';
      return { key, name: label(panel.name, key), location: text(panel.location) ?? 'hipchat.sidebar.right', ...conditions(panel.conditions) };
    }),
    dialogs: list(caps.dialog).map((dialog) => {
      const key = text(dialog.key) ?? '';
      return { key, title: label(dialog.title, key), options: describeDialogOptions(dialog.options) };
    }),
    actions: list(caps.action).map((action) => {
      const key = text(action.key) ?? '';
      const actionTarget = target(action.target);
      return { key, name: label(action.name, key), ...(actionTarget ? { target: actionTarget } : {}), location: text(action.location) ?? '', ...conditions(action.conditions) };
    }),
    externalPages: list(caps.externalPage).map((page) => {
      const key = text(page.key) ?? '';
      return { key, name: label(page.name, key) };
    }),
    configurable: typeof record(caps.configurable).url === 'string',
    adminPage: typeof record(caps.adminPage).url === 'string',
  };
}
