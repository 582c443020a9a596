/** @sightline/bridge: the copilot server. Public surface only; see README.md. */
export {};
