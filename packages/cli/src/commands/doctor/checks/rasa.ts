/** The `rasa` check (a running Rasa answers) and the `rasa-actions` reminder of where its actions go. */
import type { DoctorIo } from '../doctor-io.ts';
import { fail, ok, warn, type DoctorCheck } from '../doctor-check.ts';
import { get } from '../http-probe.ts';

export async function checkRasa(io: DoctorIo, rasaUrl: string, bridgeUrl: string | undefined, timeoutS: number): Promise<DoctorCheck[]> {
  const url = `${rasaUrl}/`;
  const probe = await get(io, url, timeoutS);
  let check: DoctorCheck;
  if ('error' in probe) {
    check = fail('rasa', `GET ${url}: ${probe.error}`, "start Rasa (e.g. 'docker compose up rasa' in integrations/rasa) or fix --rasa");
  } else {
    const version = /Hello from Rasa:\s*(\S+)/.exec(probe.body)?.[1];
    check = probe.response.status === 200 && version
      ? ok('rasa', `${rasaUrl} is Rasa ${version}`)
      : fail('rasa', `GET ${url} answered HTTP ${probe.response.status}, not "Hello from Rasa"`, '--rasa must be the Rasa server, e.g. http://localhost:5005');
  }
  const webhook = bridgeUrl ? `${bridgeUrl}/webhook` : 'http://<bridge>:8090/webhook';
  // Rasa does not expose its endpoints.yml over HTTP, so this can only be a reminder.
  const reminder = warn('rasa-actions', "cannot read Rasa's action_endpoint from outside",
    `make sure endpoints.yml has action_endpoint.url: ${webhook} (as Rasa's container reaches the bridge) and restart Rasa after changing it`);
  return [check, reminder];
}
