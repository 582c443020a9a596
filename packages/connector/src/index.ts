/**
 * @sightline/connector: the event connector server. Public surface only; see README.md: start it,
 * its options, its event log, its errors. The parts the CLI, the benches and the tests drive one by
 * one (ingest, extraction, sessionizing, product stores, webhook signing) are in
 * `@sightline/connector/internal`.
 */
export { connectorErrors, type ConnectorErrorCode } from './errors.ts';
export { startConnector, type ConnectorOptions, type RunningConnector } from './server/start-connector.ts';
export { CONNECTOR_PREFIX, CONNECTOR_SETTINGS, loadConnectorOptions, type LoadConnectorOptionsOptions } from './server/connector-settings.ts';
export type { ProductCredentials } from './server/connector-context.ts';
export type { AdminTokenSource } from './products/admin-token.ts';
export { systemClock, type ConnectorClock } from './clock.ts';
export type { EventLog, LoggablePayload, LoggedPayload, ReplayGap, ReplayResult } from './log/event-log.ts';
export { MemoryEventLog, type MemoryEventLogOptions } from './log/memory-event-log.ts';
export { RedisEventLog, type RedisEventLogOptions } from './log/redis-event-log.ts';
