/** Test-only (not exported): records the names of the commands a Redis client sends from now on. */
import type { Redis } from 'ioredis';

/** Wraps `client.sendCommand` so every command sent after the call is named, in order, in the returned list. */
export function recordCommands(client: Redis): string[] {
  const sent: string[] = [];
  const sendCommand = client.sendCommand.bind(client);
  client.sendCommand = ((command: { name: string }) => {
    sent.push(command.name);
    return sendCommand(command as Parameters<typeof sendCommand>[0]);
  }) as typeof client.sendCommand;
  return sent;
}
