/**
 * `@sightline/sdk/playbook`: reading a playbook's YAML and following its file (Node only: it needs `yaml` and
 * `node:fs`). The playbook's types and its trigger (`playbookTrigger`) are in the main entry.
 *
 * @example
 * import { PlaybookFile } from '@sightline/sdk/playbook';
 * import { playbookTrigger } from '@sightline/sdk';
 * const file = new PlaybookFile({ path: 'playbook.yaml' });
 * await file.start();
 * registry.register(playbookTrigger(() => file.current));
 */
export { parsePlaybook } from './parse-playbook.ts';
export { PlaybookFile, type PlaybookFileOptions } from './playbook-file.ts';
