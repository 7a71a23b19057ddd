import { readEmulatorSettings } from './read-emulator-settings';
import { startEmulator } from './start-emulator';

async function main(): Promise<void> {
  const settings = readEmulatorSettings(process.env);
  const emulator = await startEmulator({
    ...settings,
    seed: {
      rooms: [{ name: 'Demo', topic: 'Try /task add Something', owner: 'olive' }],
      users: [
        { name: 'Demo User', mention_name: 'demo', is_group_admin: true },
        { name: 'Olive Owner', mention_name: 'olive' },
        { name: 'Mia Member', mention_name: 'mia' },
      ],
    },
  });
  const room = emulator.rooms()[0];
  const user = emulator.users()[0];
  const control = `${emulator.url}/_emulator`;
  console.log(`HipChat emulator listening on ${emulator.url}
  capabilities: ${emulator.capabilitiesUrl}
  room "Demo" id ${room?.id}, user "Demo User" id ${user?.id} (group admin);
  "Olive Owner" owns the room, "Mia Member" is an ordinary member (only admins configure add-ons)

Try:
  curl -s -X POST ${control}/installations -H 'Content-Type: application/json' -d '{"descriptorUrl":"http://127.0.0.1:3000/atlassian-connect.json"}'
  curl -s -X POST ${control}/rooms/${room?.id}/messages -H 'Content-Type: application/json' -d '{"userId":${user?.id},"message":"/task add Buy milk"}'
  curl -s ${control}/rooms/${room?.id}/history
  curl -s ${control}/state
See src/emulator/README.md for every route.`);
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
