import 'dotenv/config';
import { ConfigError, loadConfig } from './config';
import { startEmulator } from './emulator';
import { startAddon } from './runtime';

/**
 * `npm run dev`: the HipChat emulator and the add-on on loopback, the add-on installed into a demo room,
 * and a short guide. Both keep their state in memory (the emulator always does), so every run starts
 * clean; set PGLITE_DIR or DATABASE_URL to keep the add-on's data instead.
 */
async function main(): Promise<void> {
  const emulatorPort = Number(process.env.EMULATOR_PORT ?? 4000);
  const addonPort = Number(process.env.PORT ?? 3000);
  const emulator = await startEmulator({
    port: emulatorPort,
    host: '127.0.0.1',
    // A group admin (who may configure), a room owner and an ordinary member, to try who may do what.
    seed: {
      rooms: [{ name: 'Demo', topic: 'Try /task add Buy milk', owner: 'olive' }],
      users: [
        { name: 'Ada Lovelace', mention_name: 'ada', is_group_admin: true },
        { name: 'Olive Owner', mention_name: 'olive' },
        { name: 'Mia Member', mention_name: 'mia' },
      ],
    },
  });
  const config = loadConfig({
    LOG_LEVEL: 'warn',
    PGLITE_DIR: 'memory://',
    ...process.env,
    PORT: String(addonPort),
    BASE_URL: `http://127.0.0.1:${addonPort}`,
    HIPCHAT_ALLOWED_HOSTS: '127.0.0.1,localhost',
  });
  const addon = await startAddon(config);
  const room = emulator.rooms()[0];
  const user = emulator.users()[0];
  if (!room || !user) throw new Error('the emulator was not seeded with a room and a user');
  await emulator.install(`${config.baseUrl}/atlassian-connect.json`, { roomId: room.id });

  const control = `${emulator.url}/_emulator`;
  console.log(`
HipChat emulator: ${emulator.url}/   (web client: open it in a browser)
Tasks add-on:     ${config.baseUrl}/atlassian-connect.json, installed in room "${room.name}" (id ${room.id})

Post a slash command as ${user.name}:
  curl -s -X POST ${control}/rooms/${room.id}/messages -H 'content-type: application/json' -d '{"userId": ${user.id}, "message": "/task add Buy milk"}'
${user.name} is a group admin (configures Tasks); Olive Owner owns the room; Mia Member is an ordinary member.
Read the room's history:
  curl -s ${control}/rooms/${room.id}/history
`);

  const stop = () => {
    Promise.allSettled([addon.stop(), emulator.close()]).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `npm run dev failed: ${(error as Error).message}`);
  process.exit(1);
});
