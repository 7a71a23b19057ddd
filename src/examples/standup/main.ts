import 'dotenv/config';
import { loadConfig, startAddon } from '../../index';
import { standupModule } from './standup-module';

/** `node dist/examples/standup/main.js`: the stand-up add-on on its own, configured like `npm start`. */
startAddon(loadConfig(process.env), {
  modules: [standupModule()],
  addon: { key: 'io.github.hipchat-connect.standup', name: 'Stand-up', description: 'A daily stand-up: /standup, a reminder and a glance.' },
}).catch((error: unknown) => {
  console.error(`Start-up failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
