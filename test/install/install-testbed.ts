import { EmulatedHipChat } from '../helpers/hipchat-emulator';
import { startTestAddon, type TestAddon } from '../helpers/test-addon';

/** 127.0.0.1 (the emulator) and one non-loopback host, to show http is refused off loopback. */
export const TEST_ALLOWED_HOSTS = '127.0.0.1,hipchat.example.test';
export const TEST_ENCRYPTION_KEY = 'ab'.repeat(32);

export interface InstallTestbed {
  addon: TestAddon;
  hipchat: EmulatedHipChat;
  installationCount(): Promise<number>;
  close(): Promise<void>;
}

/** The real add-on (own database, secrets encrypted) and the emulator as HipChat, both on loopback. */
export async function startInstallTestbed(env: Record<string, string> = {}): Promise<InstallTestbed> {
  const hipchat = await EmulatedHipChat.start();
  const addon = await startTestAddon({ HIPCHAT_ALLOWED_HOSTS: TEST_ALLOWED_HOSTS, ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, ...env });
  return {
    addon,
    hipchat,
    installationCount: () => addon.services.installations.count(),
    async close() {
      await addon.destroy();
      await hipchat.close();
    },
  };
}

/** Polls `condition` until it holds; fails with `what` after `timeoutMs` (generous: never a timing assertion). */
export async function waitFor(what: string, condition: () => Promise<boolean>, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
