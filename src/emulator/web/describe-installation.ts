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
  glances: Array<{ key: string; name: string; target?: string; iconUrl?: string; queryable: boolean }>;
  webPanels: Array<{ key: string; name: string; location: string }>;
  dialogs: Array<{ key: string; title: string; options: DialogOptionsView }>;
  actions: Array<{ key: string; name: string; target?: string; location: string }>;
  configurable: boolean;
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
      return { key, name: label(glance.name, key), ...(glanceTarget ? { target: glanceTarget } : {}), ...(iconUrl ? { iconUrl } : {}), queryable: typeof glance.queryUrl === 'string' };
    }),
    webPanels: list(caps.webPanel).map((panel) => {
      const key = text(panel.key) ?? '';
      return { key, name: label(panel.name, key), location: text(panel.location) ?? 'hipchat.sidebar.right' };
    }),
    dialogs: list(caps.dialog).map((dialog) => {
      const key = text(dialog.key) ?? '';
      return { key, title: label(dialog.title, key), options: describeDialogOptions(dialog.options) };
    }),
    actions: list(caps.action).map((action) => {
      const key = text(action.key) ?? '';
      const actionTarget = target(action.target);
      return { key, name: label(action.name, key), ...(actionTarget ? { target: actionTarget } : {}), location: text(action.location) ?? '' };
    }),
    configurable: typeof record(caps.configurable).url === 'string',
  };
}
