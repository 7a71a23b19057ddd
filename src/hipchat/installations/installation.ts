/** One installation of the add-on: a HipChat OAuth client for a whole group (global) or one room. */
export interface Installation {
  oauthId: string;
  oauthSecret: string;
  groupId: number;
  /** Set for a room installation; null for a global (group-wide) one. */
  roomId: number | null;
  capabilitiesUrl: string;
  /** oauth2Provider.tokenUrl from the installation's own capabilities document. */
  tokenUrl: string;
  /** hipchatApiProvider.url, normalised to end with exactly one "/". */
  apiUrl: string;
  /** The HipChat host's origin (e.g. https://www.hipchat.com), where its JavaScript API is served. */
  hipchatBaseUrl: string;
  scopes: string[];
  createdAt: Date;
  updatedAt: Date;
}

export type NewInstallation = Omit<Installation, 'createdAt' | 'updatedAt'>;
