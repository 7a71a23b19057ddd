import { Emulator, type EmulatorOptions } from './emulator';
import { createEmulatorApp } from './http/create-emulator-app';

/** Starts an emulator listening on options.port (0 = random) of 127.0.0.1. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = new Emulator(options, createEmulatorApp);
  await emulator.listen();
  return emulator;
}
